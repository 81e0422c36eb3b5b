"""Web pages for contracts: the list, a contract with its version timeline, terms and documents, and the
client administrator's forms (create, edit a draft, amend, activate, terminate, withdraw, upload).

Views only parse input and call contracts.services; what anyone may see comes from contracts.selectors.
Every role that may see contracts reads them; only client administrators write (others get 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View
from django.views.generic import TemplateView

from oversight.contracts import selectors, services
from oversight.contracts.api.views import document_response
from oversight.contracts.choices import ContractStatus
from oversight.contracts.filters import ContractFilter
from oversight.contracts.forms import (
    AmendForm,
    ContractHeaderForm,
    DocumentForm,
    TerminateForm,
    TermsBundle,
    WithdrawForm,
)
from oversight.contracts.models import ContractVersion
from oversight.contracts.permissions import may_manage_contracts
from oversight.core.errors import ApplicationError
from oversight.core.kpis import registry
from oversight.core.listing import sort_list
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.core.zones import local_today
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import STAFF_ROLES

# The contract list's column headers sort by these keys (core.listing.sort_list).
CONTRACT_SORT_KEYS = {
    "number": ("number",),
    "title": ("title",),
    "vendor": ("vendor__name",),
    "status": ("status",),
    "term": ("starts_on",),
}
WRITERS = frozenset({Role.CLIENT_ADMIN})
UNIT_LABELS = {
    "percent": "%",
    "seconds": _("seconds"),
    "count": _("count"),
    "stars": _("stars"),
    "nps": _("points"),
}


class ContractListView(RoleRequiredMixin, TemplateView):
    """`/contracts/`: the contracts the user may see, filtered by vendor, status or text."""

    allowed_roles = STAFF_ROLES
    template_name = "contracts/contract_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = ContractFilter(self.request.GET or None, queryset=selectors.contract_list(user=user), user=user)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.contract_list(user=user)
        qs, sorting = sort_list(qs, self.request, keys=CONTRACT_SORT_KEYS, default=("number", "pk"))
        context.update(
            {
                "filter": filterset,
                "sorting": sorting,
                "page": paginate(qs, self.request),
                "may_manage": may_manage_contracts(user, user.organisation),
            }
        )
        return context


def _version_rows(version: ContractVersion) -> dict:
    """Display rows of a version's terms (units of commitment targets, bands from the top)."""
    commitments = []
    for c in version.commitments.all():
        spec = registry.get(c.indicator)
        commitments.append(
            {
                "c": c,
                "unit": UNIT_LABELS.get(spec.unit, spec.unit),
                "comparison": "≥" if spec.higher_is_better else "≤",
                "steps_word": (
                    pgettext_lazy("credit step: a value under the threshold", "below")
                    if spec.higher_is_better
                    else pgettext_lazy("credit step: a value over the threshold", "above")
                ),
            }
        )
    return {
        "bands": sorted(version.bands.all(), key=lambda b: b.upper, reverse=True),
        "commitments": commitments,
        "allocation_total": sum((c.allocation_percent for c in version.commitments.all()), 0),
    }


def contract_page(request, contract, *, status: int = 200, forms: dict | None = None):
    """Render a contract: header, version timeline, the terms of one version, documents and admin actions."""
    user = request.user
    today = local_today(contract.organisation)
    versions = selectors.contract_versions(contract=contract, full=True)
    in_force = selectors.contract_version_in_force(contract, today)
    shown = in_force or (versions[-1] if versions else None)
    requested = request.GET.get("version")
    if requested:
        shown = next((v for v in versions if str(v.number) == requested), None)
        if shown is None:
            raise Http404
    may_manage = may_manage_contracts(user, contract.organisation)
    forms = forms or {}
    latest = versions[-1] if versions else None
    withdrawable = (
        latest if may_manage and latest is not None and latest.number > 1 and latest.effective_from > today else None
    )
    if may_manage:
        forms.setdefault("terminate", TerminateForm(initial={"terminated_on": today}))
        forms.setdefault("document", DocumentForm(versions=versions))
        if withdrawable is not None:
            forms.setdefault("withdraw", WithdrawForm(initial={"version": withdrawable.number}))
    context = {
        "contract": contract,
        "versions": versions,
        "in_force": in_force,
        "shown": shown,
        "rows": _version_rows(shown) if shown else None,
        "today": today,
        "documents": selectors.contract_documents(user=user, contract=contract),
        "may_manage": may_manage,
        "is_draft": contract.status == ContractStatus.DRAFT,
        "is_active": contract.status == ContractStatus.ACTIVE,
        "may_terminate": contract.status in (ContractStatus.DRAFT, ContractStatus.ACTIVE),
        "withdrawable": withdrawable,
        "forms": forms,
        "open_panel": next((name for name, form in forms.items() if form.is_bound), ""),
    }
    return render(request, "contracts/contract_detail.html", context, status=status)


class ContractDetailView(RoleRequiredMixin, View):
    """`/contracts/<pk>/`: the contract, its versions, the terms in force (or `?version=N`) and documents."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        return contract_page(request, selectors.contract_get(user=request.user, pk=pk))


class ContractFormView(RoleRequiredMixin, View):
    """Base of the create / edit-draft / amend pages: a header or amendment form plus the terms bundle."""

    allowed_roles = WRITERS
    template_name = "contracts/contract_form.html"
    title = ""

    def render_form(self, request, context: dict, status: int = 200):
        bundle = context["bundle"]
        context.setdefault("title", self.title)
        context["formsets"] = bundle.formsets
        context["formset_errors"] = bundle.errors_by_field
        return render(request, self.template_name, context, status=status)


class ContractCreateView(ContractFormView):
    """`/contracts/new/`: a new contract as a draft."""

    title = _("New contract")

    def get(self, request):
        header = ContractHeaderForm(user=request.user)
        return self.render_form(request, {"header": header, "bundle": TermsBundle(user=request.user)})

    def post(self, request):
        header = ContractHeaderForm(request.POST, user=request.user)
        bundle = TermsBundle(request.POST, user=request.user)
        valid = header.is_valid()
        valid = bundle.is_valid() and valid
        if valid:
            try:
                contract = services.contract_create(
                    actor=request.user,
                    vendor=header.cleaned_data["vendor"],
                    number=header.cleaned_data["number"],
                    title=header.cleaned_data["title"],
                    currency=header.cleaned_data["currency"],
                    terms=bundle.terms(),
                )
            except ApplicationError as exc:
                bundle.show_error(exc, header)
            else:
                messages.success(request, _("The contract was saved as a draft. Check it, then activate it."))
                return redirect("contracts:detail", pk=contract.pk)
        return self.render_form(request, {"header": header, "bundle": bundle}, status=400)


class ContractEditView(ContractFormView):
    """`/contracts/<pk>/edit/`: change a draft (number, title, currency, terms)."""

    title = _("Edit draft contract")

    def _contract(self, request, pk):
        contract = selectors.contract_get(user=request.user, pk=pk)
        if contract.status != ContractStatus.DRAFT:
            messages.error(request, _("Only a draft can be edited; an active contract changes by amendment."))
            return contract, False
        return contract, True

    def get(self, request, pk):
        contract, editable = self._contract(request, pk)
        if not editable:
            return redirect("contracts:detail", pk=contract.pk)
        version = selectors.contract_versions(contract=contract, full=True)[-1]
        header = ContractHeaderForm(
            user=request.user,
            fixed_vendor=contract.vendor,
            initial={"number": contract.number, "title": contract.title, "currency": contract.currency},
        )
        bundle = TermsBundle(user=request.user, vendor=contract.vendor, initial=selectors.version_terms(version))
        return self.render_form(request, {"header": header, "bundle": bundle, "contract": contract})

    def post(self, request, pk):
        contract, editable = self._contract(request, pk)
        if not editable:
            return redirect("contracts:detail", pk=contract.pk)
        header = ContractHeaderForm(request.POST, user=request.user, fixed_vendor=contract.vendor)
        bundle = TermsBundle(request.POST, user=request.user, vendor=contract.vendor)
        valid = header.is_valid()
        valid = bundle.is_valid() and valid
        if valid:
            try:
                services.contract_update_draft(
                    actor=request.user,
                    contract=contract,
                    number=header.cleaned_data["number"],
                    title=header.cleaned_data["title"],
                    currency=header.cleaned_data["currency"],
                    terms=bundle.terms(),
                )
            except ApplicationError as exc:
                bundle.show_error(exc, header)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("contracts:detail", pk=contract.pk)
        return self.render_form(request, {"header": header, "bundle": bundle, "contract": contract}, status=400)


class ContractAmendView(ContractFormView):
    """`/contracts/<pk>/amend/`: a new version from a date, pre-filled with the latest terms."""

    title = _("Amend contract")

    def _current(self, contract):
        return selectors.version_terms(selectors.contract_versions(contract=contract, full=True)[-1])

    def get(self, request, pk):
        contract = selectors.contract_get(user=request.user, pk=pk)
        if contract.status != ContractStatus.ACTIVE:
            messages.error(request, _("Only an active contract can be amended."))
            return redirect("contracts:detail", pk=contract.pk)
        current = self._current(contract)
        bundle = TermsBundle(user=request.user, vendor=contract.vendor, initial=current, amending=True)
        return self.render_form(request, {"header": AmendForm(), "bundle": bundle, "contract": contract})

    def post(self, request, pk):
        contract = selectors.contract_get(user=request.user, pk=pk)
        current = self._current(contract)
        header = AmendForm(request.POST)
        bundle = TermsBundle(request.POST, user=request.user, vendor=contract.vendor, initial=current, amending=True)
        valid = header.is_valid()
        valid = bundle.is_valid() and valid
        if valid:
            terms = bundle.terms()
            try:
                version = services.contract_amend(
                    actor=request.user,
                    contract=contract,
                    effective_from=header.cleaned_data["effective_from"],
                    reason=header.cleaned_data["reason"],
                    **{name: getattr(terms, name) for name in services.AMENDABLE_FIELDS},
                )
            except ApplicationError as exc:
                bundle.show_error(exc, header)
            else:
                messages.success(
                    request,
                    _("Version %(n)s was created; it is in force from %(date)s.")
                    % {"n": version.number, "date": version.effective_from.isoformat()},
                )
                return redirect("contracts:detail", pk=contract.pk)
        return self.render_form(request, {"header": header, "bundle": bundle, "contract": contract}, status=400)


class ContractActionView(RoleRequiredMixin, View):
    """Base of the POST-only actions on a contract page: parse a form, call a service, map its errors."""

    allowed_roles = WRITERS
    panel = ""
    form_class = None

    def build_form(self, request, contract):
        return self.form_class(request.POST)

    def perform(self, request, contract, form):
        raise NotImplementedError

    def post(self, request, pk):
        contract = selectors.contract_get(user=request.user, pk=pk)
        form = self.build_form(request, contract) if self.form_class else None
        if form is not None and not form.is_valid():
            return contract_page(request, contract, status=400, forms={self.panel: form})
        try:
            message = self.perform(request, contract, form)
        except ApplicationError as exc:
            if form is not None:
                field = exc.extra.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
            messages.error(request, exc.message)
            current = selectors.contract_get(user=request.user, pk=pk)
            return contract_page(request, current, status=exc.status_code, forms={self.panel: form} if form else None)
        messages.success(request, message)
        return redirect("contracts:detail", pk=contract.pk)


class ContractActivateView(ContractActionView):
    """Activate a draft."""

    def perform(self, request, contract, form):
        services.contract_activate(actor=request.user, contract=contract)
        return _("The contract is active.")


class ContractTerminateView(ContractActionView):
    """Terminate a contract early."""

    panel = "terminate"
    form_class = TerminateForm

    def perform(self, request, contract, form):
        services.contract_terminate(
            actor=request.user,
            contract=contract,
            terminated_on=form.cleaned_data["terminated_on"],
            reason=form.cleaned_data["reason"],
        )
        return _("The contract was terminated.")


class AmendmentWithdrawView(ContractActionView):
    """Withdraw the latest amendment before it takes effect."""

    panel = "withdraw"
    form_class = WithdrawForm

    def perform(self, request, contract, form):
        version = ContractVersion.objects.filter(contract=contract, number=form.cleaned_data["version"]).first()
        if version is None:
            raise ApplicationError(_("This amendment was already withdrawn."), code="gone")
        services.contract_amendment_withdraw(actor=request.user, version=version, reason=form.cleaned_data["reason"])
        return _("The amendment was withdrawn.")


class DocumentUploadView(ContractActionView):
    """Attach a document to a contract (type checked from its bytes, size limited)."""

    panel = "document"
    form_class = DocumentForm

    def build_form(self, request, contract):
        return DocumentForm(request.POST, request.FILES, versions=selectors.contract_versions(contract=contract))

    def perform(self, request, contract, form):
        number = form.cleaned_data.get("version")
        version = ContractVersion.objects.filter(contract=contract, number=number).first() if number else None
        services.contract_document_create(
            actor=request.user,
            contract=contract,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            version=version,
            is_internal=form.cleaned_data["is_internal"],
        )
        return _("The document was attached.")


class DocumentDownloadView(RoleRequiredMixin, View):
    """Send a contract document only after the visibility check; always as a download."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        return document_response(selectors.contract_document_get(user=request.user, pk=pk))
