"""The supervision hotline (监管热线): its settings, QR code and printable poster, the reports and their triage
(client roles), and the public page with its form (no sign-in, rate-limited per caller address)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.core.errors import ApplicationError
from oversight.core.files import download_response
from oversight.core.qr import inline_image_response, qr_image
from oversight.core.ratelimit import client_ip, rate_limit_hit
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.liaisons import selectors
from oversight.liaisons.choices import HotlineStatus
from oversight.liaisons.filters import HotlineReportFilter
from oversight.liaisons.forms import ConvertForm, DismissForm, HotlineAreaForm, HotlinePageForm, HotlineReportForm
from oversight.liaisons.services.hotline import (
    PAGE_FIELDS,
    hotline_area_save,
    hotline_page_save,
    hotline_report_convert,
    hotline_report_dismiss,
    hotline_report_submit,
)
from oversight.liaisons.views import submit
from oversight.tenancy.roles import CLIENT_OPERATORS, CLIENT_ROLES, is_client_operator

PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}


def _public_url(request, page) -> str:
    return request.build_absolute_uri(page.public_url())


def _page_or_404(request):
    page = selectors.hotline_page_of(user=request.user)
    if page is None:
        raise Http404
    return page


def _settings_context(request, form=None, area_form=None) -> dict:
    page = selectors.hotline_page_of(user=request.user)
    may_manage = is_client_operator(request.user, request.user.organisation_id)
    initial = {} if page is None else {name: getattr(page, name) for name in PAGE_FIELDS}
    return {
        "page_obj": page,
        "public_url": _public_url(request, page) if page else "",
        "areas": list(page.areas.select_related("vendor").order_by("position", "pk")) if page else [],
        "may_manage": may_manage,
        "form": form or (HotlinePageForm(initial=initial) if may_manage else None),
        "area_form": area_form or (HotlineAreaForm(user=request.user) if may_manage and page else None),
        "open_reports": selectors.hotline_report_list(user=request.user).filter(status=HotlineStatus.NEW).count(),
    }


class HotlineSettingsView(RoleRequiredMixin, View):
    """`/liaisons/hotline/`: the page's texts, its service areas, its public address and QR code."""

    allowed_roles = CLIENT_ROLES

    def get(self, request):
        return render(request, "liaisons/hotline_settings.html", _settings_context(request))

    def post(self, request):
        if not is_client_operator(request.user, request.user.organisation_id):
            raise PermissionDenied(_("Only the client's supervisors and administrators manage the hotline."))
        form = HotlinePageForm(request.POST)
        saved = submit(
            request,
            form,
            lambda data: hotline_page_save(actor=request.user, organisation=request.user.organisation, **data),
            _("The hotline page was saved."),
        )
        if saved is not None:
            return redirect("liaisons:hotline-settings")
        return render(request, "liaisons/hotline_settings.html", _settings_context(request, form=form), status=400)


class HotlineAreaCreateView(RoleRequiredMixin, View):
    """`POST /liaisons/hotline/areas/`: add a service area to the page."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request):
        page = _page_or_404(request)
        form = HotlineAreaForm(request.POST, user=request.user)
        saved = submit(
            request,
            form,
            lambda data: hotline_area_save(actor=request.user, page=page, **data),
            _("The service area was saved."),
        )
        if saved is not None:
            return redirect("liaisons:hotline-settings")
        context = _settings_context(request, area_form=form)
        return render(request, "liaisons/hotline_settings.html", context, status=400)


class HotlineAreaEditView(RoleRequiredMixin, View):
    """`/liaisons/hotline/areas/<pk>/`: change a service area."""

    allowed_roles = CLIENT_OPERATORS
    fields = ("name", "name_en", "text", "text_en", "vendor", "position")

    def get(self, request, pk):
        area = selectors.hotline_area_get(user=request.user, pk=pk)
        form = HotlineAreaForm(user=request.user, initial={name: getattr(area, name) for name in self.fields})
        return render(request, "liaisons/hotline_area_form.html", {"form": form, "area": area})

    def post(self, request, pk):
        area = selectors.hotline_area_get(user=request.user, pk=pk)
        form = HotlineAreaForm(request.POST, user=request.user)
        saved = submit(
            request,
            form,
            lambda data: hotline_area_save(actor=request.user, page=area.page, area=area, **data),
            _("The service area was saved."),
        )
        if saved is not None:
            return redirect("liaisons:hotline-settings")
        return render(request, "liaisons/hotline_area_form.html", {"form": form, "area": area}, status=400)


class HotlineQrView(RoleRequiredMixin, View):
    """`/liaisons/hotline/qr.<fmt>`: the QR code of the public page as SVG or PNG (`?download=1` to save it)."""

    allowed_roles = CLIENT_ROLES

    def get(self, request, fmt):
        page = _page_or_404(request)
        content, content_type = qr_image(_public_url(request, page), fmt)
        if request.GET.get("download"):
            return download_response(
                content, content_type=content_type, filename=f"hotline.{fmt}", cache_control="private, max-age=3600"
            )
        return inline_image_response(content, content_type)


class HotlinePosterView(RoleRequiredMixin, View):
    """`/liaisons/hotline/poster/`: the printable poster: title, hotline phone and e-mail, QR code, address."""

    allowed_roles = CLIENT_ROLES

    def get(self, request):
        page = _page_or_404(request)
        context = {"page_obj": page, "public_url": _public_url(request, page)}
        return render(request, "liaisons/hotline_poster.html", context)


class HotlineReportListView(RoleRequiredMixin, View):
    """`/liaisons/hotline/reports/`: reports received, newest first, by status."""

    allowed_roles = CLIENT_ROLES

    def get(self, request):
        filtered = HotlineReportFilter(request.GET, queryset=selectors.hotline_report_list(user=request.user))
        context = {"page": paginate(filtered.qs, request), "filter": filtered}
        return render(request, "liaisons/hotline_report_list.html", context)


def _report_context(request, report, convert_form=None, dismiss_form=None) -> dict:
    may_manage = is_client_operator(request.user, report.organisation_id) and report.status == HotlineStatus.NEW
    return {
        "report": report,
        "may_manage": may_manage,
        "convert_form": convert_form or (ConvertForm(user=request.user) if may_manage else None),
        "dismiss_form": dismiss_form or (DismissForm() if may_manage else None),
    }


class HotlineReportDetailView(RoleRequiredMixin, View):
    """`/liaisons/hotline/reports/<pk>/`: one report, what it became, and the triage forms."""

    allowed_roles = CLIENT_ROLES

    def get(self, request, pk):
        report = selectors.hotline_report_get(user=request.user, pk=pk)
        return render(request, "liaisons/hotline_report_detail.html", _report_context(request, report))


class HotlineReportConvertView(RoleRequiredMixin, View):
    """`POST /liaisons/hotline/reports/<pk>/convert/`: pass the report on as a complaint or a work order."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        report = selectors.hotline_report_get(user=request.user, pk=pk)
        form = ConvertForm(request.POST, user=request.user)
        saved = submit(
            request,
            form,
            lambda data: hotline_report_convert(actor=request.user, report=report, **data),
            _("The report was passed on."),
        )
        if saved is not None:
            return redirect(report)
        report = selectors.hotline_report_get(user=request.user, pk=pk)
        context = _report_context(request, report, convert_form=form)
        return render(request, "liaisons/hotline_report_detail.html", context, status=400)


class HotlineReportDismissView(RoleRequiredMixin, View):
    """`POST /liaisons/hotline/reports/<pk>/dismiss/`: close a report that calls for nothing, with the reason."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, pk):
        report = selectors.hotline_report_get(user=request.user, pk=pk)
        form = DismissForm(request.POST)
        saved = submit(
            request,
            form,
            lambda data: hotline_report_dismiss(actor=request.user, report=report, note=data["note"]),
            _("The report was dismissed."),
        )
        if saved is not None:
            return redirect(report)
        report = selectors.hotline_report_get(user=request.user, pk=pk)
        context = _report_context(request, report, dismiss_form=form)
        return render(request, "liaisons/hotline_report_detail.html", context, status=400)


# ---------------------------------------------------------------------------------------------- the public page


def hotline_rate_limited(request, page) -> bool:
    """Count one report from this caller to this page; True when over the limit of the current window."""
    return rate_limit_hit(
        f"liaisons:hotline:{page.pk}:{client_ip(request)}",
        limit=int(getattr(settings, "OVERSIGHT_HOTLINE_RATE_LIMIT", 5)),
        window=int(getattr(settings, "OVERSIGHT_HOTLINE_RATE_WINDOW", 600)),
    )


def _private(response):
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


class PublicHotlineView(View):
    """`/liaisons/h/<token>/`: the public supervision hotline page (no sign-in): channels and contacts per service
    area, and a form to report a problem (no personal data required; at most so many reports per caller and
    window, 429 beyond)."""

    def page(self, request, page, form, status=200):
        context = {"page_obj": page, "sections": selectors.public_hotline_contacts(page=page), "form": form}
        return _private(render(request, "liaisons/hotline_public.html", context, status=status))

    def get(self, request, token):
        page = selectors.public_hotline_page(token=token)
        return self.page(request, page, HotlineReportForm(page=page))

    def post(self, request, token):
        page = selectors.public_hotline_page(token=token)
        form = HotlineReportForm(request.POST, page=page)
        if not form.is_valid():
            return self.page(request, page, form, status=400)
        if hotline_rate_limited(request, page):
            form.add_error(None, _("Too many reports from your connection. Please try again in a few minutes."))
            response = self.page(request, page, form, status=429)
            response["Retry-After"] = str(int(getattr(settings, "OVERSIGHT_HOTLINE_RATE_WINDOW", 600)))
            return response
        try:
            hotline_report_submit(
                page=page,
                area_id=form.cleaned_data["area"] or None,
                **{
                    "description": form.cleaned_data["description"],
                    "contact": form.cleaned_data["contact"],
                },
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self.page(request, page, form, status=400)
        return redirect(reverse("liaisons:hotline-thanks", args=[page.token]))


class PublicHotlineThanksView(View):
    """`/liaisons/h/<token>/thanks/`: the report was received."""

    def get(self, request, token):
        page = selectors.public_hotline_page(token=token)
        return _private(render(request, "liaisons/hotline_thanks.html", {"page_obj": page}))
