"""Queues: created and changed by the client's operators, for a vendor (and contract) of their organisation."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, model_snapshot
from oversight.contactcentre import permissions
from oversight.contactcentre.models import Channel, Queue
from oversight.core.errors import ApplicationError

INTERVALS = (15, 30, 60)


def _check(*, organisation_id, vendor, contract, code, name, channel, interval_minutes) -> None:
    if vendor.organisation_id != organisation_id:
        raise ApplicationError(_("Choose a vendor of your own organisation."))
    if contract is not None and (contract.organisation_id != organisation_id or contract.vendor_id != vendor.pk):
        raise ApplicationError(_("The contract must be one of the vendor's contracts."))
    if not code or not name:
        raise ApplicationError(_("Give the queue a code and a name."))
    if channel not in Channel.values:
        raise ApplicationError(_("Choose a channel."))
    if interval_minutes not in INTERVALS:
        raise ApplicationError(_("The interval must be 15, 30 or 60 minutes."))


@transaction.atomic
def queue_create(
    *,
    actor,
    vendor,
    code: str,
    name: str,
    name_en: str = "",
    channel: str = Channel.VOICE,
    interval_minutes: int = 30,
    contract=None,
) -> Queue:
    """Add a queue of one of the organisation's vendors (code: the queue's name in the vendor's exports)."""
    permissions.require(permissions.may_keep_queues(actor))
    organisation_id = actor.organisation_id
    code, name = (code or "").strip(), (name or "").strip()
    _check(
        organisation_id=organisation_id,
        vendor=vendor,
        contract=contract,
        code=code,
        name=name,
        channel=channel,
        interval_minutes=interval_minutes,
    )
    if Queue.objects.filter(vendor=vendor, code=code).exists():
        raise ApplicationError(_("The vendor already has a queue with this code."))
    queue = Queue.objects.create(
        organisation_id=organisation_id,
        vendor=vendor,
        contract=contract,
        code=code,
        name=name,
        name_en=(name_en or "").strip(),
        channel=channel,
        interval_minutes=interval_minutes,
    )
    audit_record(actor=actor, action="contactcentre.queue.created", obj=queue, after=model_snapshot(queue))
    return queue


@transaction.atomic
def queue_change(*, actor, queue: Queue, name: str, name_en: str = "", contract=None, active: bool = True) -> Queue:
    """Rename a queue, move it to another contract of its vendor, or retire it (its data stay). The code, the
    channel and the interval are fixed once data exist (the vendor's files name the queue by its code)."""
    permissions.require(permissions.may_keep_queues(actor, queue.organisation_id))
    queue = Queue.objects.select_for_update().get(pk=queue.pk)
    before = model_snapshot(queue)
    name = (name or "").strip()
    _check(
        organisation_id=queue.organisation_id,
        vendor=queue.vendor,
        contract=contract,
        code=queue.code,
        name=name,
        channel=queue.channel,
        interval_minutes=queue.interval_minutes,
    )
    queue.name, queue.name_en, queue.contract, queue.active = name, (name_en or "").strip(), contract, bool(active)
    queue.save()
    audit_record(
        actor=actor, action="contactcentre.queue.changed", obj=queue, before=before, after=model_snapshot(queue)
    )
    return queue
