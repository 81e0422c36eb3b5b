"""The demo mailbox: eight sample mails read through the real services on the demo hospital, every outcome once,
idempotent."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from oversight.catalog import calendars
from oversight.catalog.models import Service
from oversight.core import clock
from oversight.demo.scenario import build_scenario
from oversight.mailintake.demo import load_demo_mail
from oversight.tenancy.models import User
from oversight.tickets import services as tickets
from oversight.tickets.models import Attachment, Comment

NOW = dt.datetime(2026, 11, 18, 2, 30, tzinfo=dt.UTC)


@pytest.fixture
def hospital(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    calendars._cache.clear()
    return build_scenario(now=NOW)


def test_demo_mails_show_each_outcome(hospital):
    org = hospital.organisation
    nurse = User.objects.get(organisation=org, username="nurse7")
    service = Service.objects.get(organisation=org, code="pc")
    with clock.frozen_at(NOW - dt.timedelta(hours=3)):
        open_wo = tickets.work_order_create(actor=nurse, service=service, title="键盘失灵")
    with clock.frozen_at(NOW):
        mails = load_demo_mail(org)
        assert sorted(m.pk for m in load_demo_mail(org)) == sorted(m.pk for m in mails)  # idempotent
    outcomes = Counter((m.status, m.reason) for m in mails)
    assert outcomes == {
        ("processed", "new_work_order"): 3,
        ("processed", "comment"): 1,
        ("ignored", "auto_reply"): 1,
        ("ignored", "bounce"): 1,
        ("quarantined", "unknown_sender"): 1,
    }
    by_id = {m.message_id: m for m in mails}
    chinese = by_id["demo-01-zh@mail.cfph.example.org"]
    assert chinese.copies == 2 and chinese.work_order.title == "三病区护士站电脑无法开机"
    assert chinese.work_order.channel == "email"
    english = by_id["demo-02-en@mail.cfph.example.org"].work_order
    assert english.description.startswith("Hello,\n\nThe printer in the cardiology outpatient room prints blank")
    attached = by_id["demo-03-attachment@mail.cfph.example.org"].work_order
    assert Attachment.objects.get(work_order=attached).original_name == "报错截图.png"
    reply = by_id["demo-04-reply@mail.cfph.example.org"]
    assert reply.work_order == open_wo
    assert Comment.objects.get(work_order=open_wo).author == nurse
