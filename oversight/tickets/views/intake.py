"""QR intake points: the printable list and the QR images (generated locally)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from oversight.core.files import download_response
from oversight.core.qr import inline_image_response, qr_image
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
        content, content_type = qr_image(url, fmt)
        if request.GET.get("download"):
            return download_response(
                content,
                content_type=content_type,
                filename=f"qr-{point.pk}.{fmt}",
                cache_control="private, max-age=3600",
            )
        # Shown inline on the intake-points page (an <img>).
        return inline_image_response(content, content_type)
