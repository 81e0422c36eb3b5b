"""Forms of the channel pages: they parse input; the services decide (and say what is wrong)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.notifications.channels.choices import ChannelKind, DeliveryStatus
from oversight.notifications.channels.identities import LABELS
from oversight.notifications.channels.selectors import calendar_choices, organisation_people
from oversight.notifications.channels.services import CONFIG_FIELDS
from oversight.notifications.choices import Topic
from oversight.tenancy.choices import Role


class ChannelForm(forms.Form):
    """A channel's settings; the address and the secret are write-only (left empty: kept)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(
        label=_("Webhook address"),
        max_length=2000,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("The robot's webhook address, with its token. Stored encrypted and never shown again."),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("DingTalk's SEC… secret, Feishu's signature secret or the webhook's shared secret."),
    )
    clear_secret = forms.BooleanField(label=_("Remove the stored secret"), required=False)
    allowed_hosts = forms.CharField(
        label=_("Allowed internal addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One host name, address or network (CIDR) a line that this channel may reach although it is internal."
        ),
    )
    quiet_calendar = forms.ModelChoiceField(
        label=_("Quiet outside the working hours of"),
        queryset=None,
        required=False,
        help_text=_("Outside this calendar's working hours messages wait, except critical ones (P1)."),
    )
    rate_per_minute = forms.IntegerField(label=_("Messages per minute"), min_value=1, max_value=600, initial=20)
    burst = forms.IntegerField(label=_("Burst"), min_value=1, max_value=100, initial=5)
    digest_window_seconds = forms.IntegerField(
        label=_("Digest window (seconds)"),
        min_value=0,
        max_value=86400,
        initial=0,
        help_text=_("Hold non-critical messages this long and post what has gathered as one digest (0: at once)."),
    )
    is_enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args, user, channel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.fields["quiet_calendar"].queryset = calendar_choices(user=user)
        if channel is None:
            self.fields["url"].required = True
            del self.fields["clear_secret"]
        else:
            self.fields["url"].help_text = _(
                "An address is set. Enter a new one to replace it; leave empty to keep it."
            )
            if channel.signing_secret:
                self.fields["secret"].help_text = _(
                    "A secret is set. Enter a new one to replace it; leave empty to keep it."
                )

    def settings(self) -> dict:
        """The channel fields for the service."""
        data = self.cleaned_data
        return {key: data[key] for key in CONFIG_FIELDS}


class SubscriptionForm(forms.Form):
    """Route a topic to the channel for one person or for a role."""

    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices], required=False)
    user = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False)
    digest = forms.BooleanField(
        label=_("Digest"),
        required=False,
        help_text=_("Collect these messages and post them together every 15 minutes."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = organisation_people(user=user)


class DeliveryFilterForm(forms.Form):
    """The delivery log's filters."""

    channel = forms.ModelChoiceField(label=_("Channel"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *DeliveryStatus.choices], required=False)
    q = forms.CharField(label=_("Title contains"), required=False, max_length=100)

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels


class ChatIdentityForm(forms.Form):
    """How a person is @-mentioned in group chats (the service checks each value and says what is wrong)."""

    wecom_user_id = forms.CharField(
        label=LABELS["wecom_user_id"],
        max_length=64,
        required=False,
        help_text=_("The account of the person in the WeCom admin console (contacts)."),
    )
    dingtalk_user_id = forms.CharField(
        label=LABELS["dingtalk_user_id"],
        max_length=64,
        required=False,
        help_text=_("The account of the person in the DingTalk admin console; without it DingTalk mentions by mobile."),
    )
    dingtalk_mobile = forms.CharField(
        label=LABELS["dingtalk_mobile"],
        max_length=30,
        required=False,
        help_text=_("The mobile number of the DingTalk account; empty: the phone of the profile."),
    )
    feishu_user_id = forms.CharField(
        label=LABELS["feishu_user_id"],
        max_length=64,
        required=False,
        help_text=_("The identifier of the person's Feishu account for this app."),
    )
