"""Forms of the evaluation pages. They only parse input; the services check the business rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.catalog.selectors import calendar_list
from oversight.contracts.choices import ContractStatus
from oversight.contracts.selectors import contract_list
from oversight.core.kpis import scheme_source_choices
from oversight.scorecards.choices import (
    MANUAL,
    Dimension,
    MissingPolicy,
    PeriodKind,
    RuleKind,
    Unit,
)
from oversight.scorecards.services import IndicatorInput, SchemeSettings


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several optional files (a list; empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PeriodOpenForm(forms.Form):
    """Open (and compute) the month or quarter of a contract on demand."""

    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices, initial=PeriodKind.QUARTERLY)
    day = forms.DateField(
        label=_("Any day of the period"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("YYYY-MM-DD")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = (
            contract_list(user=user).exclude(status=ContractStatus.DRAFT).order_by("number")
        )


class ManualEntryForm(forms.Form):
    """The value (or event count) of one manual indicator, with a note and evidence."""

    indicator = forms.CharField(widget=forms.HiddenInput)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=4, min_value=0)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("Evidence"), help_text=_("Photos, inspection sheets, PDFs (several allowed)."))


class DisputeForm(forms.Form):
    """A dispute of an indicator, or of one work order behind it, with the reason and evidence."""

    indicator = forms.ChoiceField(label=_("Indicator"))
    work_order = forms.CharField(
        label=_("Work order (optional)"),
        required=False,
        max_length=40,
        help_text=_("Its number, to dispute only this work order's part in the figure."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Evidence"))

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.code, i.name) for i in indicators]


class DecisionForm(forms.Form):
    """The client's decision on a dispute."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    corrected_value = forms.DecimalField(
        label=_("Corrected value"),
        required=False,
        max_digits=14,
        decimal_places=4,
        help_text=_("Only when accepting a dispute of a manual indicator."),
    )


class ReviseForm(forms.Form):
    """Why a signed period is corrected."""

    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))


# ---------------------------------------------------------------------------------------------- scheme editor


class SchemeHeaderForm(forms.Form):
    """The settings of a new scheme version."""

    name = forms.CharField(label=_("Name"), max_length=200)
    period_kind = forms.ChoiceField(label=_("Evaluation cadence"), choices=PeriodKind.choices)
    reopen_window_days = forms.IntegerField(label=_("First-time fix: reopen window (days)"), min_value=0, max_value=90)
    dispute_window_days = forms.IntegerField(label=_("Dispute window (days)"), min_value=1, max_value=60)
    dispute_calendar = forms.ModelChoiceField(
        label=_("Count the dispute window on"),
        queryset=None,
        required=False,
        empty_label=_("Plain calendar days"),
        help_text=_("Working days of this calendar."),
    )
    note = forms.CharField(label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispute_calendar"].queryset = calendar_list(user=user)

    def scheme_settings(self) -> SchemeSettings:
        data = self.cleaned_data
        return SchemeSettings(
            name=data["name"],
            period_kind=data["period_kind"],
            reopen_window_days=data["reopen_window_days"],
            dispute_window_days=data["dispute_window_days"],
            dispute_calendar=data["dispute_calendar"],
            note=data["note"],
        )


def _parse_steps(text: str) -> list[list[str]]:
    """ "98:10; 95:8" -> [["98", "10"], ["95", "8"]] (thresholds and points)."""
    steps = []
    for part in (text or "").replace("\n", ";").replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        threshold, sep, points = part.partition(":")
        if not sep:
            raise forms.ValidationError(_("Write each step as threshold:points, separated by semicolons."))
        try:
            Decimal(threshold.strip())
            Decimal(points.strip())
        except InvalidOperation as exc:
            raise forms.ValidationError(_("Thresholds and points must be numbers.")) from exc
        steps.append([threshold.strip(), points.strip()])
    return steps


class IndicatorForm(forms.Form):
    """One indicator row of the scheme editor; the rule's numbers are the fields of its kind."""

    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices)
    weight = forms.DecimalField(label=_("Weight"), max_digits=5, decimal_places=2, min_value=0, max_value=100)
    # The registered sources when the form is built (an app may register one later than this module loads).
    source = forms.ChoiceField(label=_("Source"), choices=scheme_source_choices)
    unit = forms.ChoiceField(label=_("Unit (manual)"), choices=[("", "—"), *Unit.choices], required=False)
    rule_kind = forms.ChoiceField(label=_("Scoring rule"), choices=RuleKind.choices)
    max_points = forms.DecimalField(label=_("Maximum points"), required=False, max_digits=10, decimal_places=4)
    full_at = forms.DecimalField(label=_("Full points at"), required=False, max_digits=14, decimal_places=4)
    zero_at = forms.DecimalField(label=_("Zero points at"), required=False, max_digits=14, decimal_places=4)
    steps = forms.CharField(
        label=_("Steps (threshold:points; …)"), required=False, help_text=_("e.g. 98:10; 95:8; 90:5")
    )
    higher_is_better = forms.BooleanField(label=_("Higher is better (steps)"), required=False, initial=True)
    per_event = forms.DecimalField(label=_("Points per event"), required=False, max_digits=10, decimal_places=4)
    floor = forms.DecimalField(label=_("Floor"), required=False, max_digits=10, decimal_places=4)
    missing_policy = forms.ChoiceField(label=_("Without a value"), choices=MissingPolicy.choices)
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=14, decimal_places=4)
    description = forms.CharField(
        label=_("How it is measured"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_from(item: IndicatorInput) -> dict:
        """Initial data of a row from a stored indicator."""
        rule = dict(item.rule)
        initial = {
            "code": item.code,
            "name": item.name,
            "name_en": item.name_en,
            "dimension": item.dimension,
            "weight": item.weight,
            "source": item.source,
            "unit": item.unit,
            "rule_kind": rule.get("kind"),
            "max_points": rule.get("max_points"),
            "missing_policy": item.missing_policy,
            "target": item.target,
            "description": item.description,
        }
        if rule.get("kind") == RuleKind.LINEAR:
            initial |= {"full_at": rule.get("full_at"), "zero_at": rule.get("zero_at")}
        elif rule.get("kind") == RuleKind.STEP:
            initial |= {
                "steps": "; ".join(f"{t}:{p}" for t, p in rule.get("steps", [])),
                "higher_is_better": rule.get("higher_is_better", True),
            }
        else:
            initial |= {"per_event": rule.get("per_event"), "floor": rule.get("floor")}
        return initial

    def clean(self):
        data = super().clean()
        kind = data.get("rule_kind")
        rule: dict = {"kind": kind}
        if data.get("max_points") is not None:
            rule["max_points"] = str(data["max_points"])
        if kind == RuleKind.LINEAR:
            for name in ("full_at", "zero_at"):
                if data.get(name) is None:
                    self.add_error(name, _("Required for a linear rule."))
                else:
                    rule[name] = str(data[name])
        elif kind == RuleKind.STEP:
            try:
                rule["steps"] = _parse_steps(data.get("steps", ""))
            except forms.ValidationError as exc:
                self.add_error("steps", exc)
            rule["higher_is_better"] = bool(data.get("higher_is_better"))
        elif kind == RuleKind.DEDUCTION:
            if data.get("per_event") is None:
                self.add_error("per_event", _("Required for a deduction."))
            else:
                rule["per_event"] = str(data["per_event"])
            if data.get("floor") is not None:
                rule["floor"] = str(data["floor"])
        data["rule"] = rule
        return data

    def indicator_input(self) -> IndicatorInput:
        data = self.cleaned_data
        return IndicatorInput(
            code=data["code"],
            name=data["name"],
            name_en=data.get("name_en", ""),
            dimension=data["dimension"],
            weight=data["weight"],
            source=data["source"],
            rule=data["rule"],
            missing_policy=data["missing_policy"],
            unit=data.get("unit", "") if data["source"] == MANUAL else "",
            target=data.get("target"),
            description=data.get("description", ""),
        )


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=1, can_delete=True, max_num=60)
