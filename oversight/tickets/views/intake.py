"""QR intake points: the printable list and the QR images (generated locally)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from oversight.core.files import DOWNLOAD_CSP, download_response
from oversight.core.views import RoleRequiredMixin
from oversight.tenancy.choices import Role
from oversight.tickets.selectors import intake_point_list


class IntakePointListView(RoleRequiredMixin, TemplateView):
    """`/intake-points/`: the organisation's QR codes, ready to print."""

    allowed_roles = frozenset({Role.CLIENT_ADMIN})
    template_name = "tickets/intake_points.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        points = intake_point_list(user=self.request.user).select_related("service", "offering", "site")
        context["points"] = [
            {"point": p, "url": self.request.build_absolute_uri(reverse("tickets:intake", args=[p.token]))}
            for p in points.order_by("label")
        ]
        return context


class IntakePointQRView(RoleRequiredMixin, View):
    """The QR code of one intake point as SVG or PNG, generated locally."""

    allowed_roles = frozenset({Role.CLIENT_ADMIN})

    def get(self, request, pk, fmt):
        point = intake_point_list(user=request.user).filter(pk=pk).first()
        if point is None:
            raise Http404
        url = request.build_absolute_uri(reverse("tickets:intake", args=[point.token]))
        buffer = io.BytesIO()
        if fmt == "svg":
            image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
            image.save(buffer)
            content_type = "image/svg+xml"
        else:
            qrcode.make(url, box_size=10, border=2).save(buffer, format="PNG")
            content_type = "image/png"
        if request.GET.get("download"):
            return download_response(
                buffer.getvalue(),
                content_type=content_type,
                filename=f"qr-{point.pk}.{fmt}",
                cache_control="private, max-age=3600",
            )
        # Shown inline on the intake-points page (an <img>): an image, never sniffed as anything else.
        response = HttpResponse(buffer.getvalue(), content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = DOWNLOAD_CSP
        response["Cache-Control"] = "private, max-age=3600"
        return response
