"""Web pages of the vendor portfolio: overview, vendor detail (tier history, monthly scores and trend chart),
critical-service coverage with the management of qualifications, the portfolio settings and a vendor's staff
compliance.

Client roles only, except the compliance page, which a vendor manager may open for their own vendor. What
anyone may see comes from portfolio.selectors (another organisation's or vendor's vendor is a 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.charts import Series, line_chart
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.listing import sort_list, sort_rows
from oversight.core.views import RoleRequiredMixin
from oversight.core.zones import local_today
from oversight.portfolio import permissions, selectors, services
from oversight.portfolio.forms import PortfolioSettingsForm, QualificationForm
from oversight.tenancy.choices import Role, VendorTier
from oversight.tenancy.roles import CLIENT_ROLES

# The sortable columns of each portfolio table (`?sort=key` or `?sort=-key`; anything else is the default order).
TIER_RANK = {value: rank for rank, value in enumerate(VendorTier.values)}  # strategic first
OVERVIEW_SORT_KEYS = {
    "vendor": lambda row: row["vendor"].name,
    "tier": lambda row: TIER_RANK.get(row["vendor"].tier),
    "month": lambda row: row["score"].month if row["score"] else None,
    "technical": lambda row: row["score"].technical if row["score"] else None,
    "response": lambda row: row["score"].response if row["score"] else None,
    "cost": lambda row: row["score"].cost if row["score"] else None,
    "compliance": lambda row: row["compliance"].figure,
    "coverage": lambda row: len(row["warnings"]),
}
COVERAGE_SORT_KEYS = {
    "service": lambda row: row.service.name,
    "primary": lambda row: row.primary.name if row.primary else None,
    "qualified": lambda row: row.count,
    "status": lambda row: row.ok,
}
COMPLIANCE_SORT_KEYS = {
    "position": lambda row: str(row.label),
    "contracted": lambda row: row.contracted,
    "active": lambda row: row.active,
    "qualified": lambda row: row.qualified,
    "filled": lambda row: row.filled,
}
SCORE_SORT_KEYS = {
    "month": ("month",),
    "technical": ("technical",),
    "response": ("response",),
    "cost": ("cost",),
    "cost_per_work_order": ("cost_per_work_order",),
}


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
        rows, sorting = sort_rows(rows, self.request, keys=OVERVIEW_SORT_KEYS)
        context.update(
            {
                "rows": rows,
                "sorting": sorting,
                "has_scores": any(row["score"] for row in rows),  # else four columns of dashes: left out
                "min_vendors": selectors.settings_for(user.organisation).min_critical_vendors,
            }
        )
        return context


class VendorDetailView(RoleRequiredMixin, TemplateView):
    """`/portfolio/vendors/<pk>/`: tier history, monthly scores and their trend."""

    allowed_roles = CLIENT_ROLES
    template_name = "portfolio/vendor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        vendor = selectors.vendor_get(user=user, pk=kwargs["pk"])
        newest_first = selectors.monthly_scores(user=user, vendor=vendor)
        scores, sorting = sort_list(newest_first, self.request, keys=SCORE_SORT_KEYS, default=("-month",))
        scores = list(scores)
        chart = ""
        if scores:
            ordered = sorted(scores, key=lambda score: score.month)
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
                "sorting": sorting,
                "chart": chart,
            }
        )
        return context


def _require_manager(user, organisation_id) -> None:
    """403 for the client roles that only read (before any form is read: a refused write never reads input)."""
    if not permissions.may_manage(user, organisation_id):
        raise PermissionDenied(_("Only client administrators and supervisors may change the vendor portfolio."))


def _qualification_form(user, service, data=None) -> QualificationForm:
    vendors = selectors.vendor_list(user=user).filter(organisation_id=service.organisation_id, is_active=True)
    today = local_today(service.organisation)
    return QualificationForm(data, vendors=vendors, prefix=f"s{service.pk}", initial={"valid_from": today})


def coverage_page(request, *, status: int = 200, bound: QualificationForm | None = None, bound_service=None):
    """Render the coverage page; ``bound`` is a refused add form shown again with its errors."""
    user = request.user
    today = _today(user)
    rows = selectors.coverage(user=user, on=today) if today else []
    by_service = selectors.qualifications_by_service(user=user, services=[r.service for r in rows])
    for row in rows:
        row.qualifications = by_service.get(row.service.pk, [])
        row.may_manage = permissions.may_manage(user, row.service.organisation_id)
        if row.may_manage:
            is_bound = bound is not None and bound_service is not None and bound_service.pk == row.service.pk
            row.form = bound if is_bound else _qualification_form(user, row.service)
    rows, sorting = sort_rows(rows, request, keys=COVERAGE_SORT_KEYS)
    context = {
        "rows": rows,
        "sorting": sorting,
        "on": today,
        "settings": selectors.settings_for(user.organisation) if user.organisation_id else None,
    }
    return render(request, "portfolio/coverage.html", context, status=status)


class CoverageView(RoleRequiredMixin, View):
    """`/portfolio/coverage/`: each critical service with its qualified vendors, a red/green status, and (for
    client administrators and supervisors) the forms to add and remove qualifications."""

    allowed_roles = CLIENT_ROLES

    def get(self, request):
        return coverage_page(request)


class QualificationAddView(RoleRequiredMixin, View):
    """`POST /portfolio/coverage/services/<pk>/qualifications/`: qualify a vendor for a service."""

    allowed_roles = CLIENT_ROLES

    def post(self, request, pk):
        service = selectors.service_get(user=request.user, pk=pk)
        _require_manager(request.user, service.organisation_id)
        form = _qualification_form(request.user, service, request.POST)
        if not form.is_valid():
            messages.error(request, _("The qualification was not added."))
            return coverage_page(request, status=400, bound=form, bound_service=service)
        try:
            services.qualification_add(actor=request.user, service=service, **form.cleaned_data)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
            messages.error(request, exc.message)
            return coverage_page(request, status=400, bound=form, bound_service=service)
        messages.success(request, _("The qualification was added."))
        return redirect("portfolio:coverage")


class QualificationRemoveView(RoleRequiredMixin, View):
    """`POST /portfolio/qualifications/<pk>/remove/`: remove a qualification."""

    allowed_roles = CLIENT_ROLES

    def post(self, request, pk):
        qualification = selectors.qualification_get(user=request.user, pk=pk)
        _require_manager(request.user, qualification.service.organisation_id)
        try:
            services.qualification_remove(actor=request.user, qualification=qualification)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The qualification was removed."))
        return redirect("portfolio:coverage")


class SettingsView(RoleRequiredMixin, View):
    """`/portfolio/settings/`: the organisation's portfolio settings (client administrators and supervisors
    change them; executives and auditors read them)."""

    allowed_roles = CLIENT_ROLES
    template_name = "portfolio/settings.html"

    def _render(self, request, form, current, status=200):
        may_manage = permissions.may_manage(request.user, current.organisation_id)
        context = {"form": form if may_manage else None, "current": current, "may_manage": may_manage}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        current = selectors.organisation_settings(user=request.user)
        initial = {
            "min_critical_vendors": current.min_critical_vendors,
            "target_cost_per_work_order": current.target_cost_per_work_order,
        }
        return self._render(request, PortfolioSettingsForm(initial=initial), current)

    def post(self, request):
        current = selectors.organisation_settings(user=request.user)
        _require_manager(request.user, current.organisation_id)
        form = PortfolioSettingsForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, current, status=400)
        try:
            services.portfolio_settings_update(
                actor=request.user, organisation=current.organisation, **form.cleaned_data
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
            return self._render(request, form, current, status=400)
        messages.success(request, _("The portfolio settings were saved."))
        return redirect("portfolio:settings")


class ComplianceView(RoleRequiredMixin, TemplateView):
    """`/portfolio/vendors/<pk>/compliance/`: contracted positions, filled posts and certificate warnings."""

    allowed_roles = CLIENT_ROLES | {Role.VENDOR_MANAGER}
    template_name = "portfolio/compliance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        vendor = selectors.vendor_get(user=self.request.user, pk=kwargs["pk"], compliance=True)
        result = selectors.staff_compliance(vendor, local_today(vendor.organisation))
        positions, sorting = sort_rows(result.positions, self.request, keys=COMPLIANCE_SORT_KEYS)
        context.update({"vendor": vendor, "result": result, "positions": positions, "sorting": sorting})
        return context
