"""Pages of the CMDB spot checks: the list (with each check's accuracy), a check, and the form that samples a
vendor's CIs and records each field found correct or wrong. Views parse and call `configuration.spotchecks`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.configuration import permissions, selectors, spotchecks
from oversight.configuration.choices import CIStatus
from oversight.configuration.forms import SpotCheckForm, SpotCheckVendorForm
from oversight.core import zones
from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.kpi.results import percent
from oversight.tenancy.roles import STAFF_ROLES


def with_counts(queryset):
    """Spot checks with how many fields were checked and found correct (one query)."""
    return queryset.annotate(checked=Count("items"), correct=Count("items", filter=Q(items__correct=True)))


class SpotCheckListView(RoleRequiredMixin, View):
    """`/configuration/spot-checks/`: the spot checks the user may see, each with its accuracy."""

    allowed_roles = STAFF_ROLES

    def get(self, request):
        user = request.user
        page = paginate(with_counts(selectors.spot_check_list(user=user)), request)
        for check in page.items:
            check.accuracy = percent(check.correct, check.checked)
        context = {"page": page, "may_record": permissions.may_spot_check(user)}
        return render(request, "configuration/spot_check_list.html", context)


class SpotCheckDetailView(RoleRequiredMixin, View):
    """`/configuration/spot-checks/<pk>/`: one spot check, field by field."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        check = selectors.spot_check_get(user=request.user, pk=pk)
        items = list(selectors.spot_check_item_list(user=request.user).filter(spot_check=check).order_by("ci__name"))
        correct = sum(1 for item in items if item.correct)
        context = {"check": check, "check_items": items, "correct": correct, "accuracy": percent(correct, len(items))}
        return render(request, "configuration/spot_check_detail.html", context)


class SpotCheckCreateView(RoleRequiredMixin, View):
    """`/configuration/spot-checks/new/?vendor=<pk>`: choose the vendor, then check a sample of its CIs."""

    allowed_roles = STAFF_ROLES
    template_name = "configuration/spot_check_form.html"

    def _check(self, request):
        if not permissions.may_spot_check(request.user):
            raise PermissionDenied(_("Your role cannot record spot checks."))

    def _candidates(self, user, vendor):
        return selectors.ci_list(user=user).filter(vendor=vendor).exclude(status=CIStatus.RETIRED)

    def get(self, request):
        self._check(request)
        chooser = SpotCheckVendorForm(request.GET or None, user=request.user)
        if not (chooser.is_bound and chooser.is_valid()):
            return render(request, self.template_name, {"chooser": chooser})
        vendor = chooser.cleaned_data["vendor"]
        sample = spotchecks.spot_check_sample(cis=self._candidates(request.user, vendor))
        form = SpotCheckForm(cis=sample, initial={"checked_on": zones.local_today(vendor.organisation)})
        return render(request, self.template_name, {"form": form, "vendor": vendor})

    def post(self, request):
        self._check(request)
        chooser = SpotCheckVendorForm(request.POST, user=request.user)
        if not chooser.is_valid():
            return render(request, self.template_name, {"chooser": chooser}, status=400)
        vendor = chooser.cleaned_data["vendor"]
        ids = [value for value in request.POST.getlist("ci") if value.isdigit()]
        cis = self._candidates(request.user, vendor).filter(pk__in=ids).order_by("name", "pk")
        form = SpotCheckForm(request.POST, cis=cis)
        status = 400
        if form.is_valid():
            try:
                check = spotchecks.spot_check_record(
                    actor=request.user,
                    vendor=vendor,
                    checked_on=form.cleaned_data["checked_on"],
                    results=form.results(),
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("The spot check was recorded."))
                return redirect("configuration:spot_check_detail", pk=check.pk)
        return render(request, self.template_name, {"form": form, "vendor": vendor}, status=status)
