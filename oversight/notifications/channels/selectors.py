"""Reads of the notification channels through the one visibility gate: client administrators and supervisors of
the organisation see its channels, subscriptions and delivery log; everyone else sees none."""

from __future__ import annotations

from django.db.models import QuerySet

from oversight.notifications.channels.models import Channel, Delivery, Subscription
from oversight.tenancy.visibility import restrict


def channel_list(*, user) -> QuerySet[Channel]:
    """The channels the user may see, by name."""
    return restrict(Channel.objects.all(), user).select_related("quiet_calendar")


def subscription_list(*, user, channel: Channel) -> QuerySet[Subscription]:
    """The subscriptions of one (visible) channel."""
    return restrict(Subscription.objects.filter(channel=channel), user).select_related("user")


def delivery_list(*, user) -> QuerySet[Delivery]:
    """The delivery log the user may see, newest first."""
    return restrict(Delivery.objects.all(), user).select_related("channel", "digest")


def calendar_choices(*, user) -> QuerySet:
    """The business calendars of the user's organisation, for the quiet hours (read through the gate; the model
    is reached through the channel's foreign key: the notifications app sits below the catalog)."""
    model = Channel._meta.get_field("quiet_calendar").related_model
    return restrict(model.objects.filter(organisation_id=user.organisation_id), user).order_by("name")


def organisation_people(*, user) -> QuerySet:
    """The people of the user's organisation a subscription may name (client administrators choose them)."""
    model = Subscription._meta.get_field("user").related_model
    return restrict(model.objects.filter(organisation_id=user.organisation_id, is_active=True), user).order_by(
        "username"
    )
