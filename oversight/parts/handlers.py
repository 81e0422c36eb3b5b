"""Reactions of the parts app: the low-stock alert, sent to the organisation's supervisors once per item and
period (the organisation's local calendar month)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from oversight.audit.services import audit_record
from oversight.core import clock
from oversight.core.events import handles
from oversight.core.zones import local_today
from oversight.notifications.services import notification_create, notification_queue_email
from oversight.parts import calc
from oversight.parts.events import STOCK_LOW
from oversight.parts.models import PartItem, StockAlert, StockLevel
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User

NOTIFICATION_KIND = "parts_low_stock"


@handles(STOCK_LOW)
def alert_low_stock(*, item_id, location_id, event_id) -> int:
    """Record the month's alert for the item and notify the supervisors; returns how many were notified.

    Idempotent: the alert row is unique per item and month, and each notification has its dedupe key, so a
    redelivered event (or a second low movement in the same month) notifies nobody twice."""
    level = (
        StockLevel.objects.select_related("item__organisation", "location")
        .filter(item_id=item_id, location_id=location_id)
        .first()
    )
    if level is None or not calc.is_low(on_hand=level.on_hand, reorder_point=level.reorder_point):
        return 0  # stock was replenished before the handler ran
    item: PartItem = level.item
    organisation = item.organisation
    month = local_today(organisation).replace(day=1)
    alert = StockAlert.objects.filter(item=item, period_start=month).first()
    if alert is None:
        try:
            with transaction.atomic():
                alert = StockAlert.objects.create(
                    item=item,
                    location=level.location,
                    period_start=month,
                    on_hand=level.on_hand,
                    reorder_point=level.reorder_point,
                    created_at=clock.now(),
                )
        except IntegrityError:
            alert = StockAlert.objects.get(item=item, period_start=month)
        else:
            audit_record(
                actor=None,
                action="parts.stock.low_alerted",
                obj=item,
                organisation=organisation,
                after={"location": level.location.code, "on_hand": level.on_hand, "month": month.isoformat()},
            )
    supervisors = User.objects.filter(organisation=organisation, role=Role.CLIENT_SUPERVISOR, is_active=True)
    sent = 0
    for person in supervisors.order_by("pk"):

        def subject(item=item):
            return _("Low stock: %(item)s") % {"item": item.localized_name}

        def body(item=item, alert=alert):
            return _(
                "%(item)s (%(code)s) is low at %(location)s: %(on_hand)s %(unit)s on hand, reorder point "
                "%(reorder_point)s. Order more, or transfer from another location."
            ) % {
                "item": item.localized_name,
                "code": item.code,
                "location": alert.location.localized_name,
                "on_hand": alert.on_hand,
                "unit": item.unit,
                "reorder_point": alert.reorder_point,
            }

        notification, created = notification_create(
            recipient=person,
            kind=NOTIFICATION_KIND,
            dedupe_key=f"parts.low:{item.pk}:{month:%Y-%m}:{person.pk}",
            subject=subject,
            body=body,
        )
        if created:
            sent += 1
            notification_queue_email(notification=notification)
    return sent
