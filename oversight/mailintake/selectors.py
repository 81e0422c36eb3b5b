"""Reads of e-mail intake, limited to what the acting user may see: the client's administrators and supervisors see
their organisation's mailboxes and the log of mails read from them; nobody else sees anything (404)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from oversight.mailintake.models import InboundMail, Mailbox
from oversight.tenancy.visibility import restrict


def mailbox_list(*, user) -> QuerySet[Mailbox]:
    """The mailboxes the user may see, with the service new work orders go to."""
    return restrict(Mailbox.objects.select_related("service", "offering", "catch_all_requester"), user).order_by(
        "name", "pk"
    )


def mailbox_get(*, user, pk) -> Mailbox:
    """One visible mailbox, or 404 (never 403)."""
    try:
        return mailbox_list(user=user).get(pk=pk)
    except (Mailbox.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def mail_list(
    *,
    user,
    status: str = "",
    mailbox_id: int | None = None,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
) -> QuerySet[InboundMail]:
    """The log of mails the user may see, newest first, filtered by status, mailbox and received day (days in the
    reader's time zone, both ends included)."""
    zone = timezone.get_current_timezone()
    mails = restrict(InboundMail.objects.select_related("mailbox", "work_order"), user)
    if status:
        mails = mails.filter(status=status)
    if mailbox_id is not None:
        mails = mails.filter(mailbox_id=mailbox_id)
    if day_from is not None:
        mails = mails.filter(received_at__gte=dt.datetime.combine(day_from, dt.time.min, tzinfo=zone))
    if day_to is not None:
        next_day = day_to + dt.timedelta(days=1)
        mails = mails.filter(received_at__lt=dt.datetime.combine(next_day, dt.time.min, tzinfo=zone))
    return mails.order_by("-received_at", "-id")


def mail_get(*, user, pk) -> InboundMail:
    """One visible inbound mail, or 404."""
    try:
        return restrict(InboundMail.objects.select_related("mailbox", "work_order"), user).get(pk=pk)
    except (InboundMail.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
