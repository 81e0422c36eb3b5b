"""The BPO demo organisation: its people, contracts with versioned service-level terms, queues and 13 months of
interval data, loaded once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.contactcentre.demo import BPO_DEMO_ORGANISATION_CODE, load_demo_contact_centre
from oversight.contactcentre.models import IntervalFact, Queue
from oversight.contactcentre.terms import term_for
from oversight.core.zones import local_today
from oversight.tenancy.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_vendors_four_queues_thirteen_months_and_versioned_terms():
    organisation = load_demo_contact_centre()
    assert organisation.code == BPO_DEMO_ORGANISATION_CODE
    queues = {q.code: q for q in Queue.objects.filter(organisation=organisation)}
    assert sorted(queues) == ["CS-AFTERSALES", "CS-EMAIL", "VX-CHAT", "VX-HOTLINE"]
    assert {q.vendor.code for q in queues.values()} == {"voxlink", "cloudsail"}
    today = local_today(organisation)
    facts = IntervalFact.objects.filter(queue__organisation=organisation)
    first = facts.order_by("interval_start").first().interval_start
    last = facts.order_by("-interval_start").first().interval_start
    assert (today - first.date()).days >= 365 + 28
    assert last < dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC) + dt.timedelta(hours=1)
    assert facts.filter(answered__gt=0).count() > 40000
    hotline = queues["VX-HOTLINE"]
    old, new = term_for(hotline, first.date() + dt.timedelta(days=2)), term_for(hotline, today)
    assert (old.variant, old.target) == ("w_over_a_plus_b", Decimal("0.8"))
    assert (new.variant, new.target) == ("w_over_a_plus_b_minus_s", Decimal("0.85"))
    assert term_for(queues["VX-CHAT"], today).channel == "chat"
    assert User.objects.filter(organisation=organisation, vendor__code="cloudsail").count() == 2
    # Loading again changes nothing.
    count = facts.count()
    assert load_demo_contact_centre().pk == organisation.pk
    assert IntervalFact.objects.filter(queue__organisation=organisation).count() == count
