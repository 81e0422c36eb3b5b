"""The publication notice tells each vendor manager the dispute deadline in their own time zone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from oversight.core import clock
from oversight.notifications.models import Notification
from oversight.scorecards import services
from oversight.tenancy.choices import Role
from tests.factories import UserFactory
from tests.scorecards.conftest import EVAL_AT

# Published at EVAL_AT + 1 h = 2026-10-05 03:00 UTC; the simple scheme's window is 5 plain days, so disputes
# close at 2026-10-10 03:00 UTC = 11:00 in Shanghai (UTC+8) = 05:00 in Berlin (still summer time, UTC+2).
PUBLISHED_AT = EVAL_AT + dt.timedelta(hours=1)


def test_dispute_deadline_is_shown_in_each_managers_zone(world, q3):
    shanghai = world.users["vendor_manager"]
    shanghai.language, shanghai.time_zone = "en", "Asia/Shanghai"
    shanghai.save(update_fields=["language", "time_zone"])
    berlin = UserFactory(
        organisation=world.org,
        vendor=world.vendor,
        role=Role.VENDOR_MANAGER,
        language="en",
        time_zone="Europe/Berlin",
    )
    with clock.frozen_at(PUBLISHED_AT), timezone.override(dt.UTC):
        period = services.period_publish(period=q3, actor=world.users["client_supervisor"])
    assert period.dispute_deadline == dt.datetime(2026, 10, 10, 3, 0, tzinfo=dt.UTC)
    bodies = dict(Notification.objects.filter(kind="evaluation_published").values_list("recipient_id", "body"))
    assert bodies == {
        shanghai.pk: "You may dispute it until 2026-10-10 11:00 (Asia/Shanghai).",
        berlin.pk: "You may dispute it until 2026-10-10 05:00 (Europe/Berlin).",
    }
