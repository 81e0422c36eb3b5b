"""Who hears of an improvement's approval (in-app, e-mail under the "improvements" topic, and the group-chat
channels their subscriptions name): the approver when an item waits for approval (every client administrator and
supervisor of the organisation while it names none), and the owner when it is approved or rejected. Each notice
exists once per item, person and step (its dedupe key), so a repeated call sends nothing again; nobody is told
of what they did themselves."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext

from oversight.improvement.choices import NOTIFY_APPROVAL_NEEDED, ItemAction, ItemStatus
from oversight.notifications.services import notification_create, notification_queue_email
from oversight.tenancy.roles import CLIENT_OPERATORS

NOTIFY_APPROVED = "improvement_approved"
NOTIFY_REJECTED = "improvement_rejected"


def _send(item, *, recipient, kind: str, dedupe_key: str, subject, body) -> bool:
    notification, created = notification_create(
        recipient=recipient, kind=kind, dedupe_key=dedupe_key, subject=subject, body=body, url=item.get_absolute_url()
    )
    if created:
        notification_queue_email(notification=notification)
    return created


def approvers(item) -> list:
    """Who decides the item: its approver, or every active client operator of the organisation while none is named."""
    if item.approver_id is not None:
        return [item.approver] if item.approver.is_active else []
    return list(
        get_user_model()
        .objects.filter(organisation_id=item.organisation_id, role__in=CLIENT_OPERATORS, vendor__isnull=True)
        .filter(is_active=True)
        .order_by("pk")
    )


def approval_requested(*, item, actor) -> int:
    """Tell the approver(s) that the item waits for their decision (status assessed); returns the notices made."""
    if item.status != ItemStatus.ASSESSED:
        return 0
    sent = 0
    for person in approvers(item):
        if actor is not None and person.pk == actor.pk:
            continue
        sent += _send(
            item,
            recipient=person,
            kind=NOTIFY_APPROVAL_NEEDED,
            dedupe_key=f"improvement:{item.pk}:approval:{person.pk}",
            subject=lambda: (
                gettext("Improvement %(number)s awaits your approval: %(title)s")
                % {"number": item.number, "title": item.localized_title}
            ),
            body=lambda: item.justification or item.description,
        )
    return sent


def decision_told(*, item, action: str, actor, note: str = "") -> bool:
    """Tell the owner that the item was approved or rejected (with the reason); returns whether a notice was made."""
    if action not in (ItemAction.APPROVE, ItemAction.REJECT):
        return False
    owner = item.owner
    if not owner.is_active or (actor is not None and owner.pk == actor.pk):
        return False
    approved = action == ItemAction.APPROVE

    def subject():
        words = (
            gettext("Improvement %(number)s was approved: %(title)s")
            if approved
            else gettext("Improvement %(number)s was rejected: %(title)s")
        )
        return words % {"number": item.number, "title": item.localized_title}

    def body():
        if approved:
            return gettext("You can start implementing it.") + (f"\n\n{note}" if note else "")
        return gettext("Reason: %(note)s") % {"note": note}

    return _send(
        item,
        recipient=owner,
        kind=NOTIFY_APPROVED if approved else NOTIFY_REJECTED,
        dedupe_key=f"improvement:{item.pk}:{'approved' if approved else 'rejected'}:{owner.pk}",
        subject=subject,
        body=body,
    )
