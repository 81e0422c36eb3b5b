"""Sending queued deliveries: quiet hours, the token bucket, burst digests, retries with backoff, dead letters.

One attempt (:func:`delivery_attempt`) has three steps, so no database lock is held while the far end answers:

1. *claim*, under the channel's and the delivery's row locks: skip what is not due; defer it to the end of the
   quiet hours (unless critical) or to the next token of the bucket; gather the other messages waiting for the
   same channel — when at least ``DIGEST_MIN`` wait, they go out together as one digest; count the attempt and
   lease the rows for ``LEASE_SECONDS`` (a crashed worker's claim expires and the sweep tries again);
2. *send*: render for the kind, sign, re-check the address with the SSRF guard and post to the checked address;
3. *record*, each row through the delivery machine: sent (the digest's other messages: "merged" into it), or
   failed with the next attempt after an exponential backoff, or given up (a dead letter) after
   ``MAX_ATTEMPTS``; the response code and an excerpt of the answer are kept.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.notifications.channels import crypto, renderers, signing, ssrf, transport
from oversight.notifications.channels.bucket import BucketState, take
from oversight.notifications.channels.choices import (
    DELIVERY_MACHINE,
    DIGEST_MAX_LINES,
    DIGEST_MIN,
    MAX_ATTEMPTS,
    PENDING,
    ChannelKind,
    DeliveryAction,
    DeliveryStatus,
    Severity,
    backoff_seconds,
)
from oversight.notifications.channels.models import Channel, Delivery
from oversight.notifications.channels.quiet import quiet_until

logger = logging.getLogger(__name__)

LEASE_SECONDS = 120
SEVERITY_ORDER = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


def message_of(data: dict, *, event_id: str = "", created_at: str = "") -> renderers.Message:
    """A stored message (Delivery.message) as the renderers' Message."""
    return renderers.Message(
        title=data.get("title", ""),
        body=data.get("body", ""),
        severity=data.get("severity", Severity.INFO),
        fields=tuple((str(n), str(v)) for n, v in data.get("fields", ())),
        url=data.get("url", ""),
        mentions=tuple(renderers.Mention(**m) for m in data.get("mentions", ())),
        event_id=event_id,
        created_at=created_at,
        labels=dict(data.get("labels", {})),
    )


def digest_message(deliveries: list[Delivery]) -> dict:
    """One message listing several (newest last), with the highest severity and everyone they mention."""
    lines = []
    for delivery in deliveries[:DIGEST_MAX_LINES]:
        url = delivery.message.get("url", "")
        title = delivery.message.get("title", delivery.title)
        severity = Severity(delivery.severity).label
        lines.append(f"- **{severity}** [{title}]({url})" if url else f"- **{severity}** {title}")
    hidden = len(deliveries) - DIGEST_MAX_LINES
    if hidden > 0:
        lines.append(gettext("… and %(count)d more") % {"count": hidden})
    mentions, seen = [], set()
    for delivery in deliveries:
        for mention in delivery.message.get("mentions", ()):
            key = tuple(sorted(mention.items()))
            if key not in seen:
                seen.add(key)
                mentions.append(mention)
    count = len(deliveries)
    return {
        "title": gettext("%(count)d notifications") % {"count": count},
        "body": "\n".join(lines),
        "fields": [],
        "url": "",
        "mentions": mentions,
        "labels": deliveries[0].message.get("labels", {}),
        "severity": max((d.severity for d in deliveries), key=lambda s: SEVERITY_ORDER.get(s, 0)),
    }


def build_request(channel: Channel, message: renderers.Message, *, at: dt.datetime) -> tuple[str, bytes, dict, dict]:
    """(URL, body bytes, headers, payload as stored) for one message to one channel, signed as its kind requires."""
    url = crypto.decrypt(channel.endpoint_secret)
    secret = crypto.decrypt(channel.signing_secret)
    payload = renderers.render(channel.kind, message)
    headers: dict[str, str] = {}
    body = payload
    if channel.kind == ChannelKind.DINGTALK:
        url = signing.dingtalk_signed_url(url, secret, int(at.timestamp() * 1000))
    elif channel.kind == ChannelKind.FEISHU and secret:
        stamp = int(at.timestamp())
        body = {"timestamp": str(stamp), "sign": signing.feishu_sign(secret, stamp), **payload}
    raw = renderers.dumps(body)
    if channel.kind == ChannelKind.WEBHOOK:
        stamp = int(at.timestamp())
        headers["X-Oversight-Timestamp"] = str(stamp)
        headers["X-Oversight-Event-Id"] = message.event_id
        if secret:
            headers["X-Oversight-Signature"] = signing.webhook_signature(secret, stamp, raw)
    return url, raw, headers, payload


def vendor_error(kind: str, text: str) -> str:
    """The robots answer HTTP 200 with an error code in the body (钉钉/企业微信 ``errcode``, 飞书 ``code``)."""
    if kind == ChannelKind.WEBHOOK:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    code = data.get("errcode", data.get("code", data.get("StatusCode", 0)))
    if code in (0, "0", None):
        return ""
    return f"{code}: {data.get('errmsg') or data.get('msg') or data.get('StatusMessage') or ''}"[:300]


def _claim(delivery_id: int, *, force: bool, now: dt.datetime) -> tuple[Delivery, list[Delivery]] | None:
    """Step 1 (see the module docstring): the delivery to send and the others merged into it, or None."""
    with transaction.atomic():
        found = Delivery.objects.filter(pk=delivery_id).values_list("channel_id", flat=True).first()
        if found is None:
            return None
        channel = Channel.objects.select_for_update().get(pk=found)
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status not in PENDING:
            return None
        if not force:
            if delivery.next_attempt_at is None or delivery.next_attempt_at > now or not channel.is_enabled:
                return None
            if delivery.severity != Severity.CRITICAL:
                until = quiet_until(channel.quiet_calendar, now)
                if until is not None:
                    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=until, updated_at=now)
                    return None
            state = BucketState(tokens=channel.bucket_tokens, at=(channel.bucket_at or now).timestamp())
            taken, state, wait = take(
                state, now.timestamp(), capacity=channel.burst, per_minute=channel.rate_per_minute
            )
            channel.bucket_tokens = state.tokens
            channel.bucket_at = dt.datetime.fromtimestamp(state.at, tz=dt.UTC)
            channel.save(update_fields=["bucket_tokens", "bucket_at"])
            if not taken:
                later = now + dt.timedelta(seconds=min(wait, 3600))
                Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=later, updated_at=now)
                return None
        others: list[Delivery] = []
        if not force and not delivery.is_test:
            waiting = (
                Delivery.objects.select_for_update()
                .filter(channel=channel, status__in=PENDING, next_attempt_at__lte=now, is_test=False)
                .exclude(pk=delivery.pk)
            )
            if delivery.severity != Severity.CRITICAL:
                waiting = waiting.exclude(severity=Severity.CRITICAL)
            others = list(waiting.order_by("created_at", "id")[:200])
            if len(others) + 1 < DIGEST_MIN:
                others = []
        lease = now + dt.timedelta(seconds=LEASE_SECONDS)
        delivery.attempts += 1
        delivery.next_attempt_at = lease
        delivery.updated_at = now
        delivery.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
        if others:
            Delivery.objects.filter(pk__in=[d.pk for d in others]).update(next_attempt_at=lease, updated_at=now)
        delivery.channel = channel
        return delivery, others


def _send(delivery: Delivery, others: list[Delivery], *, now: dt.datetime) -> tuple[transport.Response, dict | None]:
    """Step 2: render, sign, check the address again and post (never raises for the far end's failures)."""
    channel = delivery.channel
    data = digest_message([delivery, *others]) if others else {**delivery.message, "severity": delivery.severity}
    message = message_of(data, event_id=str(delivery.event_id), created_at=delivery.created_at.isoformat())
    url, raw, headers, payload = build_request(channel, message, at=now)
    if not url:
        return transport.Response(0, "", 0, gettext("The channel's address can no longer be read.")), payload
    from oversight.notifications.channels.services import allow_list, unsafe_message

    try:
        destination = ssrf.check_url(url, allow=allow_list(channel))
    except ssrf.UnsafeUrl as exc:
        return transport.Response(0, "", 0, unsafe_message(exc)[:300]), payload
    proxy = getattr(settings, "OVERSIGHT_EGRESS_PROXY", "")
    response = transport.post_json(destination, raw, headers, proxy=proxy)
    if response.ok:
        problem = vendor_error(channel.kind, response.body)
        if problem:
            response = transport.Response(response.status, response.body, response.elapsed_ms, problem)
    return response, payload


def _record(delivery: Delivery, others: list[Delivery], response: transport.Response, payload, *, now) -> Delivery:
    """Step 3: the outcome of the carrier, and of every message merged into it."""
    organisation = delivery.channel.organisation

    def outcome(row, current):
        row.last_status_code = response.status or None
        row.last_response = response.body
        row.last_error = response.error
        row.duration_ms = response.elapsed_ms
        row.payload = payload
        row.updated_at = current
        return ["last_status_code", "last_response", "last_error", "duration_ms", "payload", "updated_at"]

    with transaction.atomic():
        if response.ok:

            def sent(row, current):
                row.sent_at = current
                row.next_attempt_at = None
                return [*outcome(row, current), "sent_at", "next_attempt_at"]

            done = _move(delivery, DeliveryAction.SEND, sent, organisation, now, {"code": response.status})
            for other in others:

                def merged(row, current, carrier=done):
                    row.digest = carrier
                    row.sent_at = current
                    row.next_attempt_at = None
                    row.updated_at = current
                    return ["digest", "sent_at", "next_attempt_at", "updated_at"]

                _move(other, DeliveryAction.MERGE, merged, organisation, now, {"digest": done.pk})
            return done
        locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
        give_up = locked.attempts >= MAX_ATTEMPTS or locked.is_test
        retry_at = None if give_up else now + dt.timedelta(seconds=backoff_seconds(locked.attempts))

        def failed(row, current):
            row.next_attempt_at = retry_at
            return [*outcome(row, current), "next_attempt_at"]

        action = DeliveryAction.GIVE_UP if give_up else DeliveryAction.FAIL
        after = {"code": response.status, "attempts": locked.attempts, "error": response.error}
        done = _move(locked, action, failed, organisation, now, after, lock=False)
        if others:  # they wait for the carrier's next attempt and go out with it again
            Delivery.objects.filter(pk__in=[d.pk for d in others]).update(next_attempt_at=retry_at or now)
        return done


def _move(delivery, action, apply, organisation, now, after, *, lock=True) -> Delivery:
    """One system transition of a delivery through its machine (audited under the channel's organisation)."""
    return transition(
        delivery,
        machine=DELIVERY_MACHINE,
        action=action,
        actor=None,
        lock=lock,
        apply=apply,
        audit_organisation=organisation,
        at=now,
        audit_after=after,
    ).obj


def delivery_attempt(*, delivery_id: int, force: bool = False) -> Delivery | None:
    """Try to send one delivery now (with whatever waits for its channel); harmless to call twice.

    ``force`` (the "send test" button) skips the due time, quiet hours, the bucket and digests."""
    now = clock.now()
    claimed = _claim(delivery_id, force=force, now=now)
    if claimed is None:
        return Delivery.objects.filter(pk=delivery_id).first()
    delivery, others = claimed
    response, payload = _send(delivery, others, now=now)
    if not response.ok:
        logger.warning("channel delivery %s failed: %s %s", delivery.pk, response.status, response.error)
    return _record(delivery, others, response, payload, now=clock.now())


def deliveries_send_due(*, limit: int = 100) -> int:
    """The sweep: attempt the oldest due delivery of each enabled channel (the others go with it as a digest
    or on the next sweep); returns how many attempts were made."""
    now = clock.now()
    due = (
        Delivery.objects.filter(status__in=PENDING, next_attempt_at__lte=now, channel__is_enabled=True)
        .order_by("next_attempt_at", "id")
        .values_list("pk", "channel_id")[: limit * 10]
    )
    tried, channels = 0, set()
    for pk, channel_id in due:
        if channel_id in channels:
            continue
        channels.add(channel_id)
        delivery_attempt(delivery_id=pk)
        tried += 1
        if tried >= limit:
            break
    return tried


@transaction.atomic
def delivery_retry(*, actor, delivery: Delivery) -> Delivery:
    """Queue a dead (or failed) delivery again, now, with a fresh count of attempts (client administrators)."""
    from oversight.notifications.channels.services import require_administrator

    require_administrator(actor, delivery.channel.organisation)
    now = clock.now()

    def again(row, current):
        row.attempts = 0
        row.next_attempt_at = current
        return ["attempts", "next_attempt_at", "updated_at"]

    done = transition(
        delivery,
        machine=DELIVERY_MACHINE,
        action=DeliveryAction.RETRY,
        actor=actor,
        apply=again,
        audit_organisation=delivery.channel.organisation,
        at=now,
    ).obj
    if done.status == DeliveryStatus.QUEUED:
        from oversight.notifications.channels.tasks import send_channel_delivery

        transaction.on_commit(lambda: send_channel_delivery.delay(done.pk))
    return done
