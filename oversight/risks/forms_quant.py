"""Forms of the quantification pages. They only parse input; `risks.simulation` and `oversight.quant` decide
(their refusals come back onto the field they name, `add_domain_error`)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core.errors import ApplicationError
from oversight.quant import montecarlo
from oversight.risks.choices import RiskCategory
from oversight.risks.choices_quant import FrequencyKind, SeverityKind
from oversight.tenancy.selectors import vendor_list

AMOUNT = {"max_digits": 16, "decimal_places": 2}


def add_domain_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's refusal on the field it names (or above the form)."""
    field = exc.extra.get("field") if exc.extra else None
    form.add_error(field if field in form.fields else None, exc.message)


class QuantificationForm(forms.Form):
    """A risk's inputs: how often it happens, and what one occurrence costs."""

    frequency = forms.ChoiceField(label=_("How often"), choices=FrequencyKind.choices)
    rate = forms.DecimalField(
        label=_("Probability or events per year"),
        max_digits=8,
        decimal_places=4,
        help_text=_("At most once a year: the probability (0 to 1). Can recur: the expected events per year."),
    )
    severity = forms.ChoiceField(label=_("Cost estimate"), choices=SeverityKind.choices)
    low = forms.DecimalField(label=_("Lowest cost (a), or P5"), **AMOUNT)
    mode = forms.DecimalField(
        label=_("Most likely cost (m)"), required=False, help_text=_("Not used for a lognormal range."), **AMOUNT
    )
    high = forms.DecimalField(label=_("Highest cost (b), or P95"), **AMOUNT)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")


class CorrelationForm(forms.Form):
    """The correlation of this risk's yearly loss with another quantified risk's (0 removes it)."""

    other = forms.ModelChoiceField(label=_("Other risk"), queryset=None)
    coefficient = forms.DecimalField(
        label=_("Correlation"),
        max_digits=4,
        decimal_places=3,
        min_value=Decimal("-1"),
        max_value=Decimal("1"),
        help_text=_("From −1 to 1; 0 removes the correlation."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = candidates


class SimulationForm(forms.Form):
    """A new run: which risks (all, one vendor's, one category's), how many iterations, the seed, the appetite."""

    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *RiskCategory.choices], required=False)
    iterations = forms.IntegerField(
        label=_("Iterations"),
        initial=montecarlo.MIN_ITERATIONS,
        min_value=montecarlo.MIN_ITERATIONS,
        max_value=montecarlo.MAX_ITERATIONS,
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        required=False,
        min_value=0,
        max_value=montecarlo.MAX_SEED,
        help_text=_("Leave empty for a new random seed; the same seed gives the same result again."),
    )
    appetite = forms.DecimalField(
        label=_("Risk appetite (yearly loss)"),
        required=False,
        min_value=Decimal("0"),
        help_text=_("The simulation reports the chance that a year's loss exceeds it."),
        **AMOUNT,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendor_list(user=user).order_by("name")
