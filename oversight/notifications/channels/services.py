"""Writes of the notification channels: configuring channels and subscriptions, and queueing messages.

Other apps post to a channel with :func:`channel_message_send` (a fixed signature); the sending itself — quiet
hours, the token bucket, digests, retries and the dead letters — is `oversight.notifications.channels.sending`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, row_delete, row_save_audited
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.notifications.channels import crypto, ssrf
from oversight.notifications.channels.choices import ChannelKind, Severity
from oversight.notifications.channels.models import Channel, ChatIdentity, Delivery, Subscription
from oversight.notifications.choices import Topic, topic_of
from oversight.tenancy.roles import ADMINISTRATORS

# Messages of subscriptions with the digest option wait for the next boundary of this many seconds.
SUBSCRIPTION_DIGEST_SECONDS = 15 * 60

UNSAFE_MESSAGES = {
    ssrf.BAD_SCHEME: _("Only http and https addresses can be used."),
    ssrf.NO_HOST: _("The address has no host."),
    ssrf.CREDENTIALS: _("The address must not contain a user name or password."),
    ssrf.BAD_PORT: _("The address has an invalid port."),
    ssrf.UNRESOLVED: _("The host of the address could not be found."),
    ssrf.BLOCKED: _(
        "The address leads to an internal network (%(address)s), which channels may not reach. "
        "Add it to the allowed internal addresses if this is intended."
    ),
}


def unsafe_message(error: ssrf.UnsafeUrl) -> str:
    """The reader's words for a refused address."""
    message = UNSAFE_MESSAGES.get(error.code, UNSAFE_MESSAGES[ssrf.BLOCKED])
    return str(message) % {"address": error.address} if "%(address)s" in str(message) else str(message)


def allow_list(channel: Channel) -> ssrf.AllowList:
    """The channel's own allowed internal addresses plus the installation's (``OVERSIGHT_CHANNEL_ALLOWED_HOSTS``)."""
    entries = [*channel.allowed_hosts.splitlines(), *getattr(settings, "OVERSIGHT_CHANNEL_ALLOWED_HOSTS", [])]
    return ssrf.AllowList.parse(entries)


def check_allowed_hosts(text: str) -> None:
    """Refuse an allow-list with an entry that is neither a host name nor an address or network."""
    try:
        ssrf.AllowList.parse(text.splitlines())
    except ValueError as exc:
        raise ApplicationError(
            _("Each allowed internal address must be a host name, an address or a network.")
        ) from exc


def check_address(channel: Channel, url: str) -> ssrf.Destination:
    """The SSRF guard at save time: the same check the sender repeats before every request."""
    try:
        return ssrf.check_url(url, allow=allow_list(channel))
    except ssrf.UnsafeUrl as exc:
        raise ApplicationError(unsafe_message(exc), code="unsafe_address") from exc


def require_administrator(actor, organisation) -> None:
    if actor is None or not (
        actor.is_superuser or (actor.role in ADMINISTRATORS and actor.organisation_id == organisation.pk)
    ):
        raise NotAllowed(_("Only the organisation's administrators manage notification channels."))


CONFIG_FIELDS = (
    "kind",
    "name",
    "allowed_hosts",
    "quiet_calendar",
    "rate_per_minute",
    "burst",
    "digest_window_seconds",
    "is_enabled",
)


def _check_calendar(organisation, calendar) -> None:
    if calendar is not None and calendar.organisation_id != organisation.pk:
        raise ApplicationError(_("Choose a calendar of your organisation."))


@transaction.atomic
def channel_create(*, actor, organisation, url: str, secret: str = "", **fields) -> Channel:
    """Create a channel; the address is checked by the SSRF guard and stored encrypted with the secret."""
    require_administrator(actor, organisation)
    unknown = set(fields) - set(CONFIG_FIELDS)
    if unknown:
        raise ValueError(f"unknown channel fields: {sorted(unknown)}")
    if fields.get("kind") not in ChannelKind.values:
        raise ApplicationError(_("Choose the kind of channel."))
    check_allowed_hosts(fields.get("allowed_hosts", ""))
    _check_calendar(organisation, fields.get("quiet_calendar"))
    if Channel.objects.filter(organisation=organisation, name=fields.get("name", "")).exists():
        raise ApplicationError(_("Another channel already has this name."))
    now = clock.now()
    channel = Channel(organisation=organisation, created_at=now, updated_at=now, bucket_at=now, **fields)
    channel.bucket_tokens = float(channel.burst)
    destination = check_address(channel, url)
    channel.endpoint_secret = crypto.encrypt(url.strip())
    channel.host = destination.host
    channel.signing_secret = crypto.encrypt(secret.strip())
    return row_save_audited(actor=actor, obj=channel, fields=None, organisation=organisation)


@transaction.atomic
def channel_update(
    *, actor, channel: Channel, url: str = "", secret: str = "", clear_secret: bool = False, **fields
) -> Channel:
    """Change a channel: an empty ``url`` or ``secret`` keeps the stored one (they are never shown again)."""
    require_administrator(actor, channel.organisation)
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    unknown = set(fields) - set(CONFIG_FIELDS)
    if unknown:
        raise ValueError(f"unknown channel fields: {sorted(unknown)}")
    if "allowed_hosts" in fields:
        check_allowed_hosts(fields["allowed_hosts"])
    if "quiet_calendar" in fields:
        _check_calendar(channel.organisation, fields["quiet_calendar"])
    name = fields.get("name", channel.name)
    if Channel.objects.filter(organisation_id=channel.organisation_id, name=name).exclude(pk=channel.pk).exists():
        raise ApplicationError(_("Another channel already has this name."))
    for key, value in fields.items():
        setattr(channel, key, value)
    changed = list(fields)
    address = url.strip() or crypto.decrypt(channel.endpoint_secret)
    if not address:
        raise ApplicationError(_("Enter the channel's address again: the stored one can no longer be read."))
    destination = check_address(channel, address)
    if url.strip():
        channel.endpoint_secret = crypto.encrypt(address)
        channel.host = destination.host
        changed += ["endpoint_secret", "host"]
    if secret.strip() or clear_secret:
        channel.signing_secret = crypto.encrypt(secret.strip())
        changed.append("signing_secret")
    channel.updated_at = clock.now()
    changed.append("updated_at")
    return row_save_audited(actor=actor, obj=channel, fields=changed, organisation=channel.organisation)


@transaction.atomic
def subscription_create(
    *, actor, channel: Channel, topic: str, user=None, role: str = "", digest=False
) -> Subscription:
    """Route one topic of notifications to a channel, for one person of the organisation or for a role."""
    require_administrator(actor, channel.organisation)
    if topic not in Topic.values:
        raise ApplicationError(_("Unknown notification topic."))
    if (user is None) == (not role):
        raise ApplicationError(_("Choose either a person or a role."))
    if user is not None and user.organisation_id != channel.organisation_id:
        raise ApplicationError(_("Choose a person of your organisation."))
    if Subscription.objects.filter(channel=channel, topic=topic, user=user, role=role).exists():
        raise ApplicationError(_("This subscription exists already."))
    subscription = Subscription(
        channel=channel, topic=topic, user=user, role=role, digest=digest, created_at=clock.now()
    )
    return row_save_audited(actor=actor, obj=subscription, fields=None, organisation=channel.organisation)


@transaction.atomic
def subscription_delete(*, actor, subscription: Subscription) -> None:
    """Stop routing a topic to a channel."""
    require_administrator(actor, subscription.channel.organisation)
    row_delete(actor=actor, obj=subscription, organisation=subscription.channel.organisation)


def _mentions(users: Iterable) -> list[dict]:
    people = [u for u in users if u is not None]
    identities = {i.user_id: i for i in ChatIdentity.objects.filter(user__in=[u.pk for u in people])}
    out = []
    for person in people:
        identity = identities.get(person.pk)
        out.append(
            {
                "name": person.get_full_name() or person.get_username(),
                "mobile": (identity.dingtalk_mobile if identity else "") or person.phone or "",
                "wecom_user_id": identity.wecom_user_id if identity else "",
                "feishu_user_id": identity.feishu_user_id if identity else "",
                "dingtalk_user_id": identity.dingtalk_user_id if identity else "",
            }
        )
    return out


def absolute_url(url: str) -> str:
    """A deep link as the chat needs it: a path of this site becomes an absolute address."""
    if not url or "://" in url:
        return url
    return settings.OVERSIGHT_BASE_URL.rstrip("/") + "/" + url.lstrip("/")


def message_labels() -> dict[str, str]:
    """The words the renderers add, in the active language."""
    return {"open": gettext("Open in Oversight"), "truncated": gettext("Shortened: read the rest in Oversight")}


def channel_message_send(
    *,
    channel: Channel,
    title: str,
    body: str,
    severity: str = Severity.INFO,
    fields: Sequence[tuple[str, str]] = (),
    url: str = "",
    mention_users=(),
    dedupe_key: str,
    send_after: dt.datetime | None = None,
) -> Delivery:
    """Queue one message to a channel exactly once: a second call with the same dedupe key returns the first
    delivery unchanged. The message is sent after the commit (respecting quiet hours, the channel's rate and its
    digest window; a critical message skips the window and the quiet hours).

    ``fields`` are (name, value) pairs, ``url`` a deep link (a path of this site is made absolute),
    ``mention_users`` the people to @ (phone for 钉钉, chat ids for 企业微信 and 飞书)."""
    if severity not in Severity.values:
        raise ValueError(f"unknown severity {severity!r}")
    if not dedupe_key:
        raise ValueError("a dedupe key is required")
    existing = Delivery.objects.filter(channel=channel, dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    now = clock.now()
    due = now
    if severity != Severity.CRITICAL:
        if channel.digest_window_seconds:
            due = now + dt.timedelta(seconds=channel.digest_window_seconds)
        if send_after is not None and send_after > due:
            due = send_after
    message = {
        "title": str(title)[:300],
        "body": str(body),
        "fields": [[str(name), str(value)] for name, value in fields],
        "url": absolute_url(url),
        "mentions": _mentions(mention_users),
        "labels": message_labels(),
    }
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                channel=channel,
                dedupe_key=dedupe_key[:200],
                title=message["title"],
                severity=severity,
                message=message,
                next_attempt_at=due,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        return Delivery.objects.get(channel=channel, dedupe_key=dedupe_key[:200])
    if due <= now:
        from oversight.notifications.channels.tasks import send_channel_delivery

        delivery_id = delivery.pk
        transaction.on_commit(lambda: send_channel_delivery.delay(delivery_id))
    return delivery


def _digest_boundary(now: dt.datetime) -> dt.datetime:
    seconds = int(now.timestamp())
    boundary = (seconds // SUBSCRIPTION_DIGEST_SECONDS + 1) * SUBSCRIPTION_DIGEST_SECONDS
    return dt.datetime.fromtimestamp(boundary, tz=dt.UTC)


def notification_fan_out(*, notification) -> list[Delivery]:
    """Post a new notification to the channels its recipient's subscriptions name (per person or per role).

    One message per channel and text: several recipients of the same notice in the same words share one post
    (the dedupe key is the kind, the work order and a digest of the words), each mentioned person on the first."""
    recipient = notification.recipient
    if not recipient.organisation_id:
        return []
    topic = topic_of(notification.kind)
    subscriptions = (
        Subscription.objects.filter(
            channel__organisation_id=recipient.organisation_id, channel__is_enabled=True, topic=topic
        )
        .filter(Q(user=recipient) | Q(role=recipient.role, user__isnull=True))
        .select_related("channel")
    )
    deliveries = []
    words = hashlib.sha256(f"{notification.subject}\n{notification.body}".encode()).hexdigest()[:24]
    target = notification.work_order_id or f"n{notification.pk}"
    seen = set()
    for subscription in subscriptions:
        if subscription.channel_id in seen:
            continue
        seen.add(subscription.channel_id)
        severity = Severity.CRITICAL if notification.kind == Topic.SLA_BREACH else Severity.INFO
        if notification.kind == Topic.SLA_WARNING:
            severity = Severity.WARNING
        url = notification.work_order.get_absolute_url() if notification.work_order_id else notification.url
        deliveries.append(
            channel_message_send(
                channel=subscription.channel,
                title=notification.subject,
                body=notification.body,
                severity=severity,
                url=url,
                mention_users=[recipient],
                dedupe_key=f"notice:{notification.kind}:{target}:{words}",
                send_after=_digest_boundary(clock.now()) if subscription.digest else None,
            )
        )
    return deliveries


def channel_test_send(*, actor, channel: Channel) -> Delivery:
    """Send a test message now (no quiet hours, rate or digest) and return its delivery with the response."""
    require_administrator(actor, channel.organisation)
    from oversight.notifications.channels.sending import delivery_attempt

    with transaction.atomic():
        delivery = _test_delivery(actor=actor, channel=channel)
    return delivery_attempt(delivery_id=delivery.pk, force=True)


def _test_delivery(*, actor, channel: Channel) -> Delivery:
    now = clock.now()
    delivery = Delivery.objects.create(
        channel=channel,
        dedupe_key=f"test:{now.isoformat()}:{actor.pk}",
        title=gettext("Test message from Oversight"),
        severity=Severity.INFO,
        message={
            "title": gettext("Test message from Oversight"),
            "body": gettext("If you can read this, the channel works."),
            "fields": [[gettext("Channel"), channel.name]],
            "url": absolute_url("/"),
            "mentions": [],
            "labels": message_labels(),
        },
        next_attempt_at=now,
        is_test=True,
        created_at=now,
        updated_at=now,
    )
    audit_record(actor=actor, action="notifications.channel.test_sent", obj=channel, organisation=channel.organisation)
    return delivery
