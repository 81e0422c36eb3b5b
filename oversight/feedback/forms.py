"""Forms of the feedback pages. They only parse input; feedback.services decides and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core import clock
from oversight.core.periods import quarter_of
from oversight.feedback.choices import ComplaintSource, Quarter
from oversight.feedback.selectors import complaint_assignable
from oversight.feedback.services.ratings import COMMENT_MAX

STAR_CHOICES = [
    (1, _("1 – very dissatisfied")),
    (2, _("2 – dissatisfied")),
    (3, _("3 – neutral")),
    (4, _("4 – satisfied")),
    (5, _("5 – very satisfied")),
]
RECOMMEND_CHOICES = [(i, str(i)) for i in range(11)]


class RatingForm(forms.Form):
    """The public rating page: 1–5 stars, an optional comment, an optional 0–10 recommendation."""

    stars = forms.TypedChoiceField(
        label=_("How satisfied are you with the service?"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5 stars.")},
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us? (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Please do not write patient or personal data here."),
    )
    recommend = forms.TypedChoiceField(
        label=_("How likely are you to recommend this service to a colleague? (optional, 0–10)"),
        choices=RECOMMEND_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )


class VersionedForm(forms.Form):
    """Carries the complaint version the page showed, so a stale page gets a conflict instead of an overwrite."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ComplaintActionForm(VersionedForm):
    """A complaint transition, with the resolution or the reason some of them need."""

    text = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintAssignForm(VersionedForm):
    """Hand the complaint to a client supervisor (empty: back to the queue)."""

    assignee = forms.ModelChoiceField(label=_("Handled by"), queryset=None, required=False, empty_label=_("(queue)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = complaint_assignable(user=user)


class ComplaintCommentForm(forms.Form):
    """A note on the complaint: the vendor's response, or the client's (optionally internal) note."""

    body = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    is_internal = forms.BooleanField(label=_("Internal (the vendor does not see it)"), required=False, initial=False)

    def __init__(self, *args, may_internal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_internal:
            del self.fields["is_internal"]


class ComplaintOpenForm(forms.Form):
    """Open a complaint by hand, e.g. after a call to the supervision hotline."""

    source = forms.ChoiceField(
        label=_("Source"),
        choices=[(source.value, source.label) for source in (ComplaintSource.HOTLINE, ComplaintSource.MANUAL)],
        initial=ComplaintSource.HOTLINE,
    )
    summary = forms.CharField(label=_("Summary"), max_length=300)
    description = forms.CharField(
        label=_("What happened?"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )


class DrawPublishForm(forms.Form):
    """Publish a quarter's draw: the frozen participants (their digest) and the future public seed source."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2999)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=Quarter.choices, coerce=int)
    winners_count = forms.IntegerField(label=_("Number of winners"), min_value=1, max_value=1000)
    seed_source = forms.CharField(
        label=_("Seed source"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "A public value nobody knows yet and nobody controls, e.g. “the winning numbers of the China Welfare "
            "Lottery draw of 2026-04-07”. Publish this page before that value is known."
        ),
    )

    def __init__(self, *args, default_winners: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = clock.now().date()
            previous = quarter_of(today) - 1  # the quarter that ended last (0 = Q4 of last year)
            self.initial.setdefault("year", today.year if previous else today.year - 1)
            self.initial.setdefault("quarter", previous or 4)
            self.initial.setdefault("winners_count", default_winners)


class DrawRunForm(forms.Form):
    """Enter the seed, once the named source has published it."""

    seed = forms.CharField(
        label=_("Seed"), max_length=500, help_text=_("Exactly as published by the source, e.g. 03 11 19 24 30 + 07.")
    )
