"""Forms of the e-mail intake pages: they parse input only; the services decide (and refuse with a clear message)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from oversight.catalog.selectors import offering_list, service_list
from oversight.mailintake.choices import InboundStatus
from oversight.mailintake.models import Mailbox
from oversight.tenancy.selectors import user_list

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


class MailboxForm(forms.ModelForm):
    """A mailbox: where its mails come from, and what a new mail becomes."""

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "address",
            "kind",
            "host",
            "port",
            "use_ssl",
            "username",
            "password_env",
            "folder",
            "path",
            "service",
            "offering",
            "unknown_sender",
            "catch_all_requester",
            "is_active",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = service_list(user=user).filter(is_active=True)
        self.fields["offering"].queryset = offering_list(user=user).filter(is_active=True)
        self.fields["catch_all_requester"].queryset = user_list(user=user).filter(
            is_active=True, organisation_id=user.organisation_id
        )
        self.fields["port"].validators += [MinValueValidator(1), MaxValueValidator(65535)]


class LogFilterForm(forms.Form):
    """Filters of the inbound mail log: status, mailbox and the received days."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *InboundStatus.choices])
    mailbox = forms.ModelChoiceField(label=_("Mailbox"), required=False, queryset=Mailbox.objects.none())
    day_from = forms.DateField(label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    day_to = forms.DateField(label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, mailboxes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailbox"].queryset = mailboxes

    def clean(self):
        cleaned = super().clean()
        for name in ("day_from", "day_to"):
            day = cleaned.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Choose a day between 2000 and 2100."))
        return cleaned
