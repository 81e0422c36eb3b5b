"""Overdue reviews and mitigations: each owner is notified once per overdue episode (the risk's review date or
the mitigation's due date that passed: a new date after a review or an edit starts a new episode). Safe to
run twice or after a crash: the notification's dedupe key is the episode."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.zones import local_today
from oversight.risks.choices import NOTIFY_MITIGATION_OVERDUE, NOTIFY_REVIEW_OVERDUE
from oversight.risks.models import Mitigation, Risk
from oversight.risks.selectors import mitigation_overdue_q, review_overdue_q
from oversight.risks.services.notify import notify
from oversight.tenancy.models import Organisation


def _overdue_in(organisation) -> int:
    today = local_today(organisation)
    sent = 0
    risks = Risk.objects.filter(review_overdue_q(today), organisation=organisation).select_related("owner")
    for risk in risks.order_by("pk"):
        sent += notify(
            recipient=risk.owner,
            kind=NOTIFY_REVIEW_OVERDUE,
            dedupe_key=f"risk-review-overdue:{risk.pk}:{risk.next_review_date.isoformat()}",
            subject=lambda risk=risk: _("Risk review overdue: %(risk)s") % {"risk": risk},
            body=lambda risk=risk: _("The review was due on %(date)s.") % {"date": risk.next_review_date},
        )
    mitigations = Mitigation.objects.filter(mitigation_overdue_q(today), organisation=organisation)
    for mitigation in mitigations.select_related("owner").order_by("pk"):
        sent += notify(
            recipient=mitigation.owner,
            kind=NOTIFY_MITIGATION_OVERDUE,
            dedupe_key=f"risk-mitigation-overdue:{mitigation.pk}:{mitigation.due_date.isoformat()}",
            subject=lambda m=mitigation: _("Mitigation overdue: %(title)s") % {"title": m.title},
            body=lambda m=mitigation: _("It was due on %(date)s.") % {"date": m.due_date},
        )
    return sent


def overdue_notify(*, organisation=None) -> int:
    """Notify the owners of overdue reviews and mitigations (of one organisation, or all); returns how many
    notifications were new."""
    organisations = [organisation] if organisation is not None else Organisation.objects.order_by("pk")
    return sum(_overdue_in(org) for org in organisations)
