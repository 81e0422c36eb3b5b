"""Forms of the register's pages (risks, ratings, reviews, mitigations, the matrix). They only parse input;
`risks.services` decides."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from oversight.catalog.selectors import service_list
from oversight.contracts.selectors import contract_list
from oversight.risks import matrices, selectors
from oversight.risks.choices import RatingKind, RiskCategory, RiskLevel, ScoreFormula, Treatment
from oversight.tenancy.roles import CLIENT_ROLES
from oversight.tenancy.selectors import user_list, vendor_list

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def client_people(user):
    """The client users of the reader's organisation (owners, approvers)."""
    return (
        user_list(user=user)
        .filter(organisation_id=user.organisation_id, role__in=CLIENT_ROLES, is_active=True)
        .order_by("username")
    )


class RiskForm(forms.Form):
    """A risk's details: title, cause → event → consequence, category, owner, what it concerns, treatment,
    contingency plan and next review."""

    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=RiskCategory.choices)
    owner = forms.ModelChoiceField(label=_("Risk owner"), queryset=None)
    cause = forms.CharField(label=_("Cause"), widget=TEXT)
    event = forms.CharField(label=_("Risk event"), widget=TEXT)
    consequence = forms.CharField(label=_("Consequence"), widget=TEXT)
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None, required=False)
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False)
    treatment = forms.ChoiceField(label=_("Treatment"), choices=[("", "—"), *Treatment.choices], required=False)
    treatment_note = forms.CharField(label=_("Treatment details"), widget=TEXT, required=False)
    acceptance_approver = forms.ModelChoiceField(label=_("Acceptance approved by"), queryset=None, required=False)
    acceptance_expires_on = forms.DateField(label=_("Acceptance expires on"), widget=DATE, required=False)
    contingency_plan = forms.CharField(
        label=_("Contingency plan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One action per line; opened as tracked actions."),
    )
    next_review_date = forms.DateField(
        label=_("Next review"), widget=DATE, required=False, help_text=_("Empty: from the risk's level.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = client_people(user)
        self.fields["acceptance_approver"].queryset = client_people(user)
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")
        self.fields["contract"].queryset = contract_list(user=user).order_by("number")
        self.fields["service"].queryset = service_list(user=user).order_by("name")


class RatingForm(forms.Form):
    """One rating: which kind, the cell (levels of the version in use), optional probability and amount."""

    kind = forms.ChoiceField(label=_("Rating"), choices=RatingKind.choices)
    probability_level = forms.TypedChoiceField(label=_("Probability"), coerce=int, choices=())
    impact_level = forms.TypedChoiceField(label=_("Impact"), coerce=int, choices=())
    probability = forms.DecimalField(
        label=_("Probability (0–1)"), required=False, min_value=Decimal(0), max_value=Decimal(1), decimal_places=4
    )
    impact = forms.DecimalField(
        label=_("Impact (amount, yuan)"), required=False, min_value=Decimal(0), decimal_places=2
    )
    reason = forms.CharField(label=_("Reason"), widget=TEXT, required=False)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["probability_level"].choices = [
            (p, f"{p} · {matrices.probability_label(version, p)}") for p in range(1, version.probability_levels + 1)
        ]
        self.fields["impact_level"].choices = [
            (i, f"{i} · {matrices.impact_label(version, i)}") for i in range(1, version.impact_levels + 1)
        ]


class ReviewForm(forms.Form):
    """A review: does the risk still hold as written, what changed, when next."""

    still_valid = forms.TypedChoiceField(
        label=_("Does the risk still hold as written?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        initial="yes",
    )
    changes = forms.CharField(label=_("What changed"), widget=TEXT, required=False)
    next_review_date = forms.DateField(
        label=_("Next review"), widget=DATE, required=False, help_text=_("Empty: from the risk's level.")
    )


class MitigationForm(forms.Form):
    """A mitigation: what, who, by when, at what cost, for which risks."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    cost = forms.DecimalField(label=_("Cost (yuan)"), required=False, min_value=Decimal(0), decimal_places=2)
    risks = forms.ModelMultipleChoiceField(label=_("Risks it serves"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = client_people(user)
        self.fields["risks"].queryset = selectors.risk_list(user=user).order_by("number")


def level_code(text: str) -> str:
    """A level written by its name in either language (or its code) as its code; unknown text is kept, and
    the service refuses it in plain language."""
    wanted = text.strip().lower()
    for level in RiskLevel:
        with translation.override("en"):
            english = str(level.label).lower()
        with translation.override("zh-hans"):
            chinese = str(level.label).lower()
        if wanted in (level.value, english, chinese):
            return level.value
    return text.strip()


def _split_lines(text: str) -> list[list[str]]:
    return [[part.strip() for part in line.split("|")] for line in (text or "").splitlines() if line.strip()]


class MatrixForm(forms.Form):
    """A new matrix version written as text: levels "中文 | English" one a line (lowest first), bands
    "start | level | colour | days to the next review" one a line, and for the table formula the scores of each
    row (lowest probability first) separated by spaces."""

    formula = forms.ChoiceField(label=_("Score formula"), choices=ScoreFormula.choices)
    normalise = forms.BooleanField(label=_("Scores on 0–10"), required=False)
    probability_labels = forms.CharField(
        label=_("Probability levels"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Chinese name | English name, one a line, lowest first."),
    )
    impact_labels = forms.CharField(
        label=_("Impact levels"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Chinese name | English name, one a line, lowest first."),
    )
    bands = forms.CharField(
        label=_("Level bands"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Start score | level | colour | days to the next review, one a line, lowest first."),
    )
    cell_scores = forms.CharField(
        label=_("Cell scores"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Only for the table formula: one row per probability level, lowest first."),
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    @staticmethod
    def initial_from(version) -> dict:
        return {
            "formula": version.formula,
            "normalise": version.normalise,
            "probability_labels": "\n".join(f"{e['zh']} | {e['en']}" for e in version.probability_labels),
            "impact_labels": "\n".join(f"{e['zh']} | {e['en']}" for e in version.impact_labels),
            "bands": "\n".join(
                f"{b['start']} | {matrices.level_label(b['level'])} | {b['colour']} | {b['review_days']}"
                for b in version.bands
            ),
            "cell_scores": "\n".join(" ".join(str(v) for v in row) for row in version.cell_scores or ()),
        }

    def _labels(self, name: str) -> list[dict]:
        rows = _split_lines(self.cleaned_data.get(name, ""))
        if any(len(row) != 2 for row in rows):
            raise ValidationError({name: _("Write each level as: Chinese name | English name.")})
        return [{"zh": zh, "en": en} for zh, en in rows]

    def content(self) -> dict:
        """The matrix content for `risks.services.risk_matrix_version_save` (which validates the rules)."""
        bands = []
        for row in _split_lines(self.cleaned_data.get("bands", "")):
            if len(row) != 4:
                raise ValidationError({"bands": _("Write each band as start | level | colour | days.")})
            bands.append({"start": row[0], "level": level_code(row[1]), "colour": row[2], "review_days": row[3]})
        table = [line.split() for line in (self.cleaned_data.get("cell_scores") or "").splitlines() if line.strip()]
        return {
            "formula": self.cleaned_data["formula"],
            "normalise": self.cleaned_data.get("normalise", False),
            "probability_labels": self._labels("probability_labels"),
            "impact_labels": self._labels("impact_labels"),
            "bands": bands,
            "cell_scores": table,
        }
