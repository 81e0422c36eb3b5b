"""Web pages of the service reports: the picker, the report of a vendor or of a contract, and its PDF and XLSX.

Views parse the URL and call ``reports.selectors`` (the one place that decides visibility: a role that may never
read reports gets 403, a vendor or contract it may not see 404); a period key that is not a month or a quarter is
a 400 page saying how to write one.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView

from oversight.core.charts import Series, bar_chart, line_chart
from oversight.core.errors import ApplicationError
from oversight.core.files import download_response
from oversight.core.views import RoleRequiredMixin
from oversight.reports import selectors
from oversight.reports.documents import (
    PDF_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    chart_specs,
    report_filename,
    report_pdf,
    report_xlsx,
)
from oversight.reports.periods import last_complete_period, period_from_key, previous_period
from oversight.scorecards.choices import PeriodKind
from oversight.tenancy.roles import MANAGEMENT_ROLES, is_client


def svg_charts(report) -> list[str]:
    """The report's trend charts as inline SVG (the same series the PDF draws)."""
    out = []
    for spec in chart_specs(report):
        draw = bar_chart if spec.kind == "bar" else line_chart
        out.append(
            mark_safe(  # noqa: S308 - built by oversight.core.charts, every text escaped
                draw(
                    categories=spec.categories,
                    series=[Series(name, values) for name, values in spec.series],
                    title=spec.title,
                    label=spec.title,
                    unit=spec.unit,
                    y_min=spec.y_min,
                    y_max=spec.y_max,
                )
            )
        )
    return out


def report_urls(report) -> dict[str, str]:
    """The page, PDF and XLSX addresses of a report."""
    if report.contract is not None:
        prefix, pk = "reports:contract", report.contract.pk
    else:
        prefix, pk = "reports:vendor", report.vendor.pk
    return {
        kind: reverse(prefix if kind == "page" else f"{prefix}_{kind}", args=[pk, report.key])
        for kind in ("page", "pdf", "xlsx")
    }


def bad_period(request, exc: ApplicationError):
    """The 400 page of a period key that names no month or quarter."""
    return render(request, "reports/report_error.html", {"message": exc.message}, status=exc.status_code)


class _ReportMixin(RoleRequiredMixin):
    """Gate the role, find the vendor or contract (404), parse the period (400), build the report."""

    allowed_roles = MANAGEMENT_ROLES
    for_contract = False

    def build(self, request, pk, period):
        user = request.user
        if self.for_contract:
            contract = selectors.report_contract_get(user=user, pk=pk)
            vendor, contract_id = contract.vendor, contract.pk
        else:
            vendor, contract_id = selectors.report_vendor_get(user=user, pk=pk), None
        parsed = period_from_key(period, vendor.organisation)
        return selectors.service_report(user=user, vendor_id=vendor.pk, contract_id=contract_id, period=parsed)

    def get(self, request, pk, period):
        try:
            report = self.build(request, pk, period)
        except ApplicationError as exc:
            return bad_period(request, exc)
        return self.respond(request, report)

    def respond(self, request, report):
        raise NotImplementedError


class ReportPageView(_ReportMixin, TemplateView):
    """`/reports/vendors/<pk>/<period>/` and `/reports/contracts/<pk>/<period>/`: the report with its charts."""

    template_name = "reports/report.html"

    def respond(self, request, report):
        context = self.get_context_data(
            report=report,
            charts=svg_charts(report),
            urls=report_urls(report),
            breaches_shown=report.breaches[: selectors.PAGE_BREACHES],
            breaches_more=max(0, len(report.breaches) - selectors.PAGE_BREACHES),
            breach_counts=report.breach_counts(),
        )
        return self.render_to_response(context)


class ReportPdfView(_ReportMixin, View):
    """The report as PDF."""

    def respond(self, request, report):
        return download_response(
            report_pdf(report), content_type=PDF_CONTENT_TYPE, filename=report_filename(report, "pdf")
        )


class ReportXlsxView(_ReportMixin, View):
    """The report as XLSX."""

    def respond(self, request, report):
        return download_response(
            report_xlsx(report), content_type=XLSX_CONTENT_TYPE, filename=report_filename(report, "xlsx")
        )


class ReportIndexView(RoleRequiredMixin, TemplateView):
    """`/reports/`: pick a vendor, optionally a contract, and a period; redirects to the report."""

    allowed_roles = MANAGEMENT_ROLES
    template_name = "reports/index.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        kind = request.GET.get("kind") or PeriodKind.MONTHLY
        if kind not in PeriodKind.values:
            kind = PeriodKind.MONTHLY
        key = (request.GET.get("period") or "").strip()
        contract_pk = (request.GET.get("contract") or "").strip()
        vendor_pk = (request.GET.get("vendor") or "").strip()
        if contract_pk or vendor_pk:
            try:
                if contract_pk and vendor_pk:
                    vendor = selectors.report_vendor_get(user=user, pk=vendor_pk)
                    target = selectors.report_contract_of_vendor(user=user, pk=contract_pk, vendor_id=vendor.pk)
                elif contract_pk:
                    target = selectors.report_contract_get(user=user, pk=contract_pk)
                else:
                    target = selectors.report_vendor_get(user=user, pk=vendor_pk)
                organisation, pk = target.organisation, target.pk
                name = "reports:contract" if contract_pk else "reports:vendor"
                period = period_from_key(key, organisation) if key else last_complete_period(organisation, kind)
            except ApplicationError as exc:
                return bad_period(request, exc)
            return redirect(name, pk, period.key)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        vendors = list(selectors.report_vendors(user=user))
        contracts = list(selectors.report_contracts(user=user))
        defaults = {}
        recent = []
        if vendors:
            organisation = vendors[0].organisation
            for kind in PeriodKind.values:
                defaults[kind] = last_complete_period(organisation, kind).key
            # The last complete months and quarters, for one-click links.
            for kind, count in ((PeriodKind.MONTHLY, 6), (PeriodKind.QUARTERLY, 4)):
                period = last_complete_period(organisation, kind)
                keys = []
                for _i in range(count):
                    keys.append(period.key)
                    period = previous_period(period, organisation)
                recent.append((kind, keys))
        context.update(
            {
                "vendors": vendors,
                "contracts": contracts,
                "kinds": PeriodKind.choices,
                "defaults": defaults,
                "default_key": defaults.get(PeriodKind.MONTHLY, ""),
                "recent": recent,
                "may_compare_vendors": is_client(user),
            }
        )
        return context
