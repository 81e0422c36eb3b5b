"""Web pages of the vendor portfolio: overview, vendor detail (tier history, monthly scores and trend chart),
critical-service coverage and a vendor's staff compliance.

Client roles only, except the compliance page, which a vendor manager may open for their own vendor. What
anyone may see comes from portfolio.selectors (another organisation's or vendor's vendor is a 404).
"""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from oversight.contracts.selectors import local_today
from oversight.core.charts import Series, line_chart
from oversight.core.views import RoleRequiredMixin
from oversight.portfolio import selectors
from oversight.tenancy.choices import CLIENT_ROLES, Role


def _today(user):
    return local_today(user.organisation) if user.organisation_id else None


class OverviewView(RoleRequiredMixin, TemplateView):
    """`/portfolio/`: every vendor with its tier, latest monthly score, staff compliance and coverage warnings."""

    allowed_roles = CLIENT_ROLES
    template_name = "portfolio/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = _today(user)
        vendors = list(selectors.vendor_list(user=user))
        latest = selectors.latest_scores(vendors)
        coverage = selectors.coverage(user=user, on=today) if today else []
        warnings = selectors.coverage_warnings_by_vendor(coverage)
        rows = []
        for vendor in vendors:
            on = local_today(vendor.organisation)
            rows.append(
                {
                    "vendor": vendor,
                    "score": latest.get(vendor.pk),
                    "compliance": selectors.staff_compliance(vendor, on),
                    "warnings": warnings.get(vendor.pk, []),
                }
            )
        context.update({"rows": rows})
        return context


class VendorDetailView(RoleRequiredMixin, TemplateView):
    """`/portfolio/vendors/<pk>/`: tier history, monthly scores and their trend."""

    allowed_roles = CLIENT_ROLES
    template_name = "portfolio/vendor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        vendor = selectors.vendor_get(user=user, pk=kwargs["pk"])
        scores = list(selectors.monthly_scores(user=user, vendor=vendor))
        chart = ""
        if scores:
            ordered = list(reversed(scores))
            chart = mark_safe(  # noqa: S308 - built by oversight.core.charts, every text escaped
                line_chart(
                    categories=[s.month.strftime("%Y-%m") for s in ordered],
                    series=[
                        Series(str(_("Technical capability")), [s.technical for s in ordered]),
                        Series(str(_("Response speed")), [s.response for s in ordered]),
                        Series(str(_("Cost")), [s.cost for s in ordered]),
                    ],
                    title=str(_("Monthly scores")),
                    y_min=0,
                    y_max=100,
                    label=str(_("Monthly scores of the vendor")),
                )
            )
        context.update(
            {
                "vendor": vendor,
                "changes": list(selectors.tier_changes(user=user, vendor=vendor)),
                "scores": scores,
                "chart": chart,
            }
        )
        return context


class CoverageView(RoleRequiredMixin, TemplateView):
    """`/portfolio/coverage/`: each critical service with its qualified vendors and a red/green status."""

    allowed_roles = CLIENT_ROLES
    template_name = "portfolio/coverage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = _today(user)
        context.update({"rows": selectors.coverage(user=user, on=today) if today else [], "on": today})
        return context


class ComplianceView(RoleRequiredMixin, TemplateView):
    """`/portfolio/vendors/<pk>/compliance/`: contracted positions, filled posts and certificate warnings."""

    allowed_roles = CLIENT_ROLES | {Role.VENDOR_MANAGER}
    template_name = "portfolio/compliance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        vendor = selectors.vendor_get(user=self.request.user, pk=kwargs["pk"], compliance=True)
        result = selectors.staff_compliance(vendor, local_today(vendor.organisation))
        context.update({"vendor": vendor, "result": result})
        return context
