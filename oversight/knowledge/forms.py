"""Forms of the knowledge pages: they only parse input; the rules live in knowledge.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.catalog.models import Service, ServiceCategory
from oversight.catalog.selectors import category_list, service_list
from oversight.configuration.models import ConfigurationItem
from oversight.configuration.selectors import ci_list
from oversight.knowledge.choices import ArticleAction, Audience
from oversight.problems.models import KnownError
from oversight.problems.selectors import known_error_list


class ArticleForm(forms.Form):
    """An article's text in the organisation's language and optionally in English, its readers and links."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text: a blank line starts a new paragraph."),
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("Text (English)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("English readers see this text when it is filled in."),
    )
    audience = forms.ChoiceField(label=_("Readers"), choices=Audience.choices, initial=Audience.INTERNAL)
    category = forms.ModelChoiceField(label=_("Category"), queryset=ServiceCategory.objects.none(), required=False)
    services = forms.ModelMultipleChoiceField(
        label=_("Services"), queryset=Service.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    known_errors = forms.ModelMultipleChoiceField(
        label=_("Known errors"), queryset=KnownError.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    configuration_items = forms.ModelMultipleChoiceField(
        label=_("Configuration items"), queryset=ConfigurationItem.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_list(user=user)
        self.fields["services"].queryset = service_list(user=user).order_by("code")
        self.fields["known_errors"].queryset = known_error_list(user=user)
        self.fields["configuration_items"].queryset = ci_list(user=user).order_by("name")


class TransitionForm(forms.Form):
    """One transition of an article, with a note (required to return an article to its author)."""

    action = forms.ChoiceField(choices=ArticleAction.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False)


class SuggestForm(forms.Form):
    """What a person is typing into a new work order (all optional)."""

    title = forms.CharField(required=False)
    description = forms.CharField(required=False)
    service = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    def text(self) -> str:
        """The title and the description as one text to search (a long description is cut, not refused)."""
        data = self.cleaned_data
        return f"{data.get('title') or ''}\n{data.get('description') or ''}"[:2000]


class DeflectForm(SuggestForm):
    """What the requester had typed when they said an article solved their problem."""
