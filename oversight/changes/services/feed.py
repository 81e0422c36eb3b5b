"""Writes of the calendar feed keys (ADR 0029): a person creates (or re-creates) and revokes their own key to the
change calendar's `.ics` feed; reads find the live key behind a presented secret."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.changes.models import CalendarFeedKey
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.tenancy.roles import is_client, is_vendor
from oversight.tenancy.services import api_token_hash

#: What a feed key starts with (tells it apart from an API token, `ovs_`), and how much of it stays visible.
FEED_KEY_MARK = "ovc_"
FEED_KEY_PREFIX_LENGTH = 12


def may_have_feed(user) -> bool:
    """The change calendar's readers: the client side and vendor staff (requesters see no change)."""
    return bool(user is not None and user.is_active and (is_client(user) or is_vendor(user)))


def _revoke_live(owner, *, actor, now) -> None:
    for key in CalendarFeedKey.objects.select_for_update().filter(owner=owner, revoked_at__isnull=True):
        key.revoked_at = now
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="changes.calendarfeedkey.revoked", obj=key, after={"prefix": key.prefix})


@transaction.atomic
def feed_key_create(*, actor) -> tuple[CalendarFeedKey, str]:
    """Give the actor a new key to their calendar feed, revoking the one they had; returns the key and its secret,
    which is shown this once only (the feed's address holds it)."""
    if not may_have_feed(actor):
        raise NotAllowed(_("Your role has no change calendar."))
    now = clock.now()
    _revoke_live(actor, actor=actor, now=now)
    secret = FEED_KEY_MARK + secrets.token_urlsafe(30)
    key = CalendarFeedKey.objects.create(
        owner=actor, prefix=secret[:FEED_KEY_PREFIX_LENGTH], key_hash=api_token_hash(secret), created_at=now
    )
    audit_record(actor=actor, action="changes.calendarfeedkey.created", obj=key, after={"prefix": key.prefix})
    return key, secret


@transaction.atomic
def feed_key_revoke(*, actor) -> int:
    """Revoke the actor's live feed key (its address then answers 404); returns how many were revoked (0 or 1)."""
    if actor is None or not actor.is_authenticated:
        raise ApplicationError(_("Sign in first."))
    live = CalendarFeedKey.objects.filter(owner=actor, revoked_at__isnull=True).count()
    _revoke_live(actor, actor=actor, now=clock.now())
    return live


def feed_key_owner(*, secret: str):
    """The active person whose live key this secret is, or None (unknown, revoked, inactive or no longer a
    reader of changes)."""
    if not secret or not secret.startswith(FEED_KEY_MARK) or len(secret) > 100:
        return None
    key = (
        CalendarFeedKey.objects.select_related("owner", "owner__organisation")
        .filter(key_hash=api_token_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if key is None or not may_have_feed(key.owner):
        return None
    return key.owner
