"""Forms of the contract pages. They only parse input into `validation.Terms`; contracts.services decides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oversight.catalog.choices import SLAMetric
from oversight.catalog.selectors import service_list, sla_policy_version_list
from oversight.contracts.choices import (
    AmountBasis,
    DocumentKind,
    FeePeriod,
    UnitRateKind,
)
from oversight.contracts.templatetags.contracts_ui import plain_decimal
from oversight.contracts.validation import (
    BandInput,
    CommitmentInput,
    ShareStepInput,
    StaffingInput,
    Terms,
    UnitRateInput,
)
from oversight.core.errors import ApplicationError
from oversight.core.kpis import commitment_indicator_choices
from oversight.tenancy.choices import StaffPosition
from oversight.tenancy.selectors import site_list, vendor_list
from oversight.tickets.forms import check_upload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = {"max_digits": 14, "decimal_places": 4}


class ContractHeaderForm(forms.Form):
    """Who the contract is with and how it is called."""

    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None)
    number = forms.CharField(label=_("Contract number"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="CNY", help_text=_("ISO 4217 code, e.g. CNY, USD, EUR.")
    )

    def __init__(self, *args, user, fixed_vendor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")
        if fixed_vendor is not None:
            self.fields["vendor"].disabled = True
            self.fields["vendor"].initial = fixed_vendor.pk


class TermsForm(forms.Form):
    """The single-valued terms of a version and its scope."""

    term_start = forms.DateField(label=_("Term start"), widget=DATE)
    term_end = forms.DateField(label=_("Term end"), widget=DATE)
    fee_period = forms.ChoiceField(label=_("Fee period"), choices=FeePeriod.choices)
    fixed_fee = forms.DecimalField(label=_("Fixed fee per period"), max_digits=14, decimal_places=2, min_value=0)
    at_risk_percent = forms.DecimalField(
        label=_("Fees at risk (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("Share of the period invoice at risk for service credits."),
    )
    max_deduction = forms.DecimalField(
        label=_("Maximum score deduction"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    max_deduction_basis = forms.ChoiceField(label=_("Expressed as"), choices=AmountBasis.choices)
    renewal_notice_days = forms.IntegerField(
        label=_("Renewal notice period (days)"), min_value=0, max_value=3650, initial=90
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services in scope"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites in scope"),
        queryset=None,
        required=False,
        help_text=_("None selected: the whole organisation."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, user, vendor=None, amending: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        services = service_list(user=user).select_related("vendor").order_by("vendor__name", "name")
        if vendor is not None:
            services = services.filter(vendor=vendor)
        self.fields["services"].queryset = services
        self.fields["services"].label_from_instance = lambda s: (
            f"{s.vendor.name} · {s.name}" if vendor is None else s.name
        )
        self.fields["sites"].queryset = site_list(user=user).order_by("name")
        if amending:
            self.fields["term_start"].disabled = True
            self.fields["term_start"].help_text = _("The term start cannot be amended.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end <= start:
            self.add_error("term_end", _("The term must end after it starts."))
        return cleaned


class BandForm(forms.Form):
    """One score band row (empty rows are ignored)."""

    upper = forms.DecimalField(label=_("Below"), max_digits=5, decimal_places=2, required=False)
    lower = forms.DecimalField(
        label=_("Down to"), max_digits=5, decimal_places=2, required=False, help_text=_("Empty: down to 0.")
    )
    per_point = forms.DecimalField(label=_("Per point"), required=False, **NUMBER)
    per_point_basis = forms.ChoiceField(label=_("Per point as"), choices=AmountBasis.choices)
    step = forms.DecimalField(label=_("One-off"), required=False, **NUMBER)
    step_basis = forms.ChoiceField(label=_("One-off as"), choices=AmountBasis.choices)

    def to_input(self) -> BandInput | None:
        data = self.cleaned_data
        if data.get("upper") is None:
            return None
        return BandInput(
            upper=data["upper"],
            lower=data.get("lower"),
            per_point=data.get("per_point") or Decimal(0),
            per_point_basis=data["per_point_basis"],
            step=data.get("step") or Decimal(0),
            step_basis=data["step_basis"],
        )


def parse_share_steps(text: str) -> tuple[ShareStepInput, ...]:
    """Read "90: 50, 80: 100" (beyond 90 -> 50 %, beyond 80 -> 100 %) into share steps."""
    steps = []
    for part in (text or "").replace("；", ",").replace(";", ",").replace("，", ",").split(","):
        part = part.strip().replace("：", ":").replace("%", "")
        if not part:
            continue
        threshold, sep, share = part.partition(":")
        try:
            if not sep:
                raise InvalidOperation
            steps.append(ShareStepInput(Decimal(threshold.strip()), Decimal(share.strip())))
        except InvalidOperation as exc:
            raise forms.ValidationError(
                _("Write each step as threshold: share, separated by commas (e.g. 90: 50, 80: 100).")
            ) from exc
    return tuple(steps)


def format_share_steps(steps) -> str:
    """The inverse of `parse_share_steps`, for editing."""
    return ", ".join(f"{plain_decimal(s.threshold)}: {plain_decimal(s.share_percent)}" for s in steps)


class CommitmentForm(forms.Form):
    """One SLA commitment row (rows without a code are ignored)."""

    code = forms.SlugField(label=_("Code"), max_length=40, required=False)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    sla_metric = forms.ChoiceField(label=_("SLA metric"), choices=[("", "—"), *SLAMetric.choices], required=False)
    indicator = forms.ChoiceField(
        label=_("Indicator"),
        # The registered sources when the form is built (oversight.core.kpis).
        choices=lambda: [("", _("(from the SLA metric)")), *commitment_indicator_choices()],
        required=False,
    )
    target = forms.DecimalField(label=_("Target"), required=False, **NUMBER)
    allocation_percent = forms.DecimalField(label=_("Allocation (%)"), max_digits=5, decimal_places=2, required=False)
    miss_share_percent = forms.DecimalField(
        label=_("Share if missed (%)"), max_digits=5, decimal_places=2, required=False, initial=100
    )
    share_steps = forms.CharField(
        label=_("Graduated shares"),
        required=False,
        max_length=500,
        help_text=_("Optional: threshold: share, e.g. 90: 50, 80: 100 (below 90 → 50 %, below 80 → 100 %)."),
    )
    sla_policy_versions = forms.ModelMultipleChoiceField(
        label=_("SLA policy versions"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sla_policy_versions"].queryset = (
            sla_policy_version_list(user=user).select_related("policy").order_by("policy__name", "number")
        )

    def clean_share_steps(self):
        return parse_share_steps(self.cleaned_data.get("share_steps", ""))

    def to_input(self) -> CommitmentInput | None:
        data = self.cleaned_data
        if not data.get("code") and not data.get("name"):
            return None
        return CommitmentInput(
            code=data.get("code") or "",
            name=data.get("name") or "",
            name_en=data.get("name_en") or "",
            sla_metric=data.get("sla_metric") or "",
            indicator=data.get("indicator") or "",
            target=data.get("target") if data.get("target") is not None else "",
            allocation_percent=data.get("allocation_percent") if data.get("allocation_percent") is not None else "",
            miss_share_percent=data["miss_share_percent"] if data.get("miss_share_percent") is not None else 100,
            share_steps=data.get("share_steps") or (),
            sla_policy_versions=tuple(data.get("sla_policy_versions") or ()),
        )


class UnitRateForm(forms.Form):
    """One unit rate row (rows without a rate are ignored)."""

    kind = forms.ChoiceField(label=_("Work-order type"), choices=UnitRateKind.choices)
    rate = forms.DecimalField(label=_("Rate"), max_digits=14, decimal_places=2, required=False, min_value=0)
    included_quantity = forms.IntegerField(label=_("Included per period"), min_value=0, required=False)

    def to_input(self) -> UnitRateInput | None:
        data = self.cleaned_data
        if data.get("rate") is None:
            return None
        return UnitRateInput(kind=data["kind"], rate=data["rate"], included_quantity=data.get("included_quantity") or 0)


class StaffingForm(forms.Form):
    """One contracted staffing row (rows without a count are ignored)."""

    position = forms.ChoiceField(label=_("Position"), choices=StaffPosition.choices)
    # Its own context: a head count (人数) here, not the scorecard dimension "People" (人员).
    count = forms.IntegerField(label=pgettext_lazy("headcount", "People"), min_value=1, max_value=10000, required=False)

    def to_input(self) -> StaffingInput | None:
        data = self.cleaned_data
        if not data.get("count"):
            return None
        return StaffingInput(position=data["position"], count=data["count"])


BandFormSet = forms.formset_factory(BandForm, extra=0, max_num=20, absolute_max=20)
CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=0, max_num=30, absolute_max=30)
UnitRateFormSet = forms.formset_factory(UnitRateForm, extra=0, max_num=len(UnitRateKind), absolute_max=10)
StaffingFormSet = forms.formset_factory(StaffingForm, extra=0, max_num=len(StaffPosition), absolute_max=10)
EXTRA_ROWS = {"bands": 2, "commitments": 2, "unit_rates": 0, "staffing": 1}


class TermsBundle:
    """The terms form and the four row formsets of a version, parsed together into `validation.Terms`."""

    FORMSETS = {
        "bands": BandFormSet,
        "commitments": CommitmentFormSet,
        "unit_rates": UnitRateFormSet,
        "staffing": StaffingFormSet,
    }

    def __init__(self, data=None, *, user, vendor=None, initial: Terms | None = None, amending: bool = False):
        self.initial_terms = initial
        self.form = TermsForm(data, user=user, vendor=vendor, amending=amending, initial=self._main_initial(initial))
        rows = self._row_initial(initial)
        self.formsets = {}
        for name, formset_class in self.FORMSETS.items():
            kwargs = {"form_kwargs": {"user": user}} if name == "commitments" else {}
            # A bound formset takes its rows from the data only: with initial rows, an unchanged extra row
            # would count as empty and be dropped.
            initial_rows = rows[name] if data is None else None
            formset = formset_class(data, prefix=name, initial=initial_rows, **kwargs)
            if data is None:
                formset.extra = EXTRA_ROWS[name]
            self.formsets[name] = formset
        self.errors_by_field: dict[str, list] = {}

    @staticmethod
    def _main_initial(terms: Terms | None) -> dict:
        if terms is None:
            return {"fee_period": FeePeriod.MONTHLY, "max_deduction_basis": AmountBasis.PERCENT}
        return {
            "term_start": terms.term_start,
            "term_end": terms.term_end,
            "fee_period": terms.fee_period,
            "fixed_fee": terms.fixed_fee,
            "at_risk_percent": terms.at_risk_percent,
            "max_deduction": terms.max_deduction,
            "max_deduction_basis": terms.max_deduction_basis,
            "renewal_notice_days": terms.renewal_notice_days,
            "services": [s.pk for s in terms.services],
            "sites": [s.pk for s in terms.sites],
        }

    @staticmethod
    def _row_initial(terms: Terms | None) -> dict[str, list[dict]]:
        if terms is None:
            return {
                "bands": [],
                "commitments": [],
                "unit_rates": [{"kind": k} for k in UnitRateKind.values],
                "staffing": [],
            }
        rates = {r.kind: r for r in terms.unit_rates}
        return {
            "bands": [
                {
                    "upper": b.upper,
                    "lower": b.lower,
                    "per_point": plain_decimal(b.per_point),
                    "per_point_basis": b.per_point_basis,
                    "step": plain_decimal(b.step),
                    "step_basis": b.step_basis,
                }
                for b in terms.bands
            ],
            "commitments": [
                {
                    "code": c.code,
                    "name": c.name,
                    "name_en": c.name_en,
                    "sla_metric": c.sla_metric,
                    "indicator": "" if c.sla_metric else c.indicator,
                    "target": plain_decimal(c.target),
                    "allocation_percent": c.allocation_percent,
                    "miss_share_percent": c.miss_share_percent,
                    "share_steps": format_share_steps(c.share_steps),
                    "sla_policy_versions": [v.pk for v in c.sla_policy_versions],
                }
                for c in terms.commitments
            ],
            "unit_rates": [
                {
                    "kind": k,
                    "rate": rates[k].rate if k in rates else None,
                    "included_quantity": rates[k].included_quantity if k in rates else None,
                }
                for k in UnitRateKind.values
            ],
            "staffing": [{"position": s.position, "count": s.count} for s in terms.staffing],
        }

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for formset in self.formsets.values():
            valid = formset.is_valid() and valid
        return valid

    def terms(self) -> Terms:
        """The parsed terms (call after `is_valid()`); empty rows are left out."""
        data = self.form.cleaned_data
        rows = {
            name: tuple(item for item in (f.to_input() for f in formset.forms if f.cleaned_data) if item is not None)
            for name, formset in self.formsets.items()
        }
        term_start = data["term_start"]
        if self.form.fields["term_start"].disabled and self.initial_terms is not None:
            term_start = self.initial_terms.term_start
        return Terms(
            term_start=term_start,
            term_end=data["term_end"],
            fixed_fee=data["fixed_fee"],
            fee_period=data["fee_period"],
            at_risk_percent=data["at_risk_percent"],
            max_deduction=data.get("max_deduction"),
            max_deduction_basis=data["max_deduction_basis"],
            renewal_notice_days=data["renewal_notice_days"],
            services=tuple(data["services"]),
            sites=tuple(data.get("sites") or ()),
            **rows,
        )

    def show_error(self, exc: ApplicationError, fallback_form: forms.Form) -> None:
        """Put a service's refusal next to the input it is about (the user's input is kept)."""
        field = exc.extra.get("field")
        if field in self.form.fields:
            self.form.add_error(field, exc.message)
        elif field in self.formsets:
            self.errors_by_field.setdefault(field, []).append(exc.message)
        elif field in fallback_form.fields:
            fallback_form.add_error(field, exc.message)
        else:
            fallback_form.add_error(None, exc.message)


class AmendForm(forms.Form):
    """When an amendment takes effect and why."""

    effective_from = forms.DateField(label=_("In force from"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class TerminateForm(forms.Form):
    """Ending a contract early."""

    terminated_on = forms.DateField(label=_("Last day in force"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    """Withdrawing the latest amendment before it takes effect."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=2)
    reason = forms.CharField(label=_("Reason"), max_length=4000)


class DocumentForm(forms.Form):
    """Uploading a contract document; size and real type are checked early to keep the rest of the input."""

    file = forms.FileField(label=_("File"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False, help_text=_("Default: the file name."))
    version = forms.TypedChoiceField(label=_("Version"), coerce=int, required=False, empty_value=None)
    is_internal = forms.BooleanField(label=_("Client only (hidden from the vendor)"), required=False)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [("", "—"), *((v.number, f"v{v.number}") for v in versions)]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload
