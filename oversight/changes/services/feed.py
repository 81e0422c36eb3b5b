"""Writes of the calendar feed keys (ADR 0029): a person creates (or re-creates) and revokes their own key to a
calendar's `.ics` feed, one live key per feed (the change calendar's, the meetings'), so re-creating one leaves the
other's address working; reads find the live key behind a presented secret."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.changes.choices import FeedKind
from oversight.changes.models import CalendarFeedKey
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.tenancy.roles import is_client, is_vendor
from oversight.tenancy.services import api_token_hash

#: What a feed key starts with (tells it apart from an API token, `ovs_`, and one feed's key from another's), and
#: how much of it stays visible.
FEED_KEY_MARKS = {FeedKind.CHANGES: "ovc_", FeedKind.MEETINGS: "ovm_"}
FEED_KEY_MARK = FEED_KEY_MARKS[FeedKind.CHANGES]
FEED_KEY_PREFIX_LENGTH = 12


def may_have_feed(user) -> bool:
    """The calendars' readers: the client side and vendor staff (requesters see no change and no meeting)."""
    return bool(user is not None and user.is_active and (is_client(user) or is_vendor(user)))


def _revoke_live(owner, *, actor, now, feed: str) -> None:
    for key in CalendarFeedKey.objects.select_for_update().filter(owner=owner, feed=feed, revoked_at__isnull=True):
        key.revoked_at = now
        key.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=(
                "changes.calendarfeedkey.revoked"
                if feed == FeedKind.CHANGES
                else "changes.calendarfeedkey.meetings_revoked"
            ),
            obj=key,
            after={"prefix": key.prefix},
        )


def live_feed_key(*, user, feed: str = FeedKind.CHANGES) -> CalendarFeedKey | None:
    """The person's live key to one feed, or None."""
    return CalendarFeedKey.objects.filter(owner=user, feed=feed, revoked_at__isnull=True).first()


@transaction.atomic
def feed_key_create(*, actor, feed: str = FeedKind.CHANGES) -> tuple[CalendarFeedKey, str]:
    """Give the actor a new key to one of their calendar feeds, revoking the one they had for it; returns the key
    and its secret, which is shown this once only (the feed's address holds it)."""
    feed = FeedKind(feed)
    if not may_have_feed(actor):
        raise NotAllowed(
            _("Your role has no change calendar.") if feed == FeedKind.CHANGES else _("Your role has no calendar feed.")
        )
    now = clock.now()
    _revoke_live(actor, actor=actor, now=now, feed=feed)
    secret = FEED_KEY_MARKS[feed] + secrets.token_urlsafe(30)
    key = CalendarFeedKey.objects.create(
        owner=actor, feed=feed, prefix=secret[:FEED_KEY_PREFIX_LENGTH], key_hash=api_token_hash(secret), created_at=now
    )
    audit_record(
        actor=actor,
        action=(
            "changes.calendarfeedkey.created"
            if feed == FeedKind.CHANGES
            else "changes.calendarfeedkey.meetings_created"
        ),
        obj=key,
        after={"prefix": key.prefix},
    )
    return key, secret


@transaction.atomic
def feed_key_revoke(*, actor, feed: str = FeedKind.CHANGES) -> int:
    """Revoke the actor's live key to one feed (its address then answers 404); returns how many were revoked."""
    if actor is None or not actor.is_authenticated:
        raise ApplicationError(_("Sign in first."))
    live = CalendarFeedKey.objects.filter(owner=actor, feed=feed, revoked_at__isnull=True).count()
    _revoke_live(actor, actor=actor, now=clock.now(), feed=FeedKind(feed))
    return live


def feed_key_owner(*, secret: str, feeds=(FeedKind.CHANGES,)):
    """The active person whose live key to one of ``feeds`` this secret is, or None (unknown, revoked, a key of
    another feed, inactive or no longer a reader)."""
    if not secret or len(secret) > 100 or not secret.startswith(tuple(FEED_KEY_MARKS[f] for f in feeds)):
        return None
    key = (
        CalendarFeedKey.objects.select_related("owner", "owner__organisation")
        .filter(key_hash=api_token_hash(secret), feed__in=list(feeds), revoked_at__isnull=True)
        .first()
    )
    if key is None or not may_have_feed(key.owner):
        return None
    return key.owner
