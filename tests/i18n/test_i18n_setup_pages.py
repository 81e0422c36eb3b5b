"""The client administrator's setup pages speak the reader's language: no English word left on a Chinese page
(the holiday library's package name excepted: it is the data's source), no Chinese on an English page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oversight.tenancy.models import User
from tests.factories import signed_in
from tests.i18n.test_i18n_pages import CJK_RE, english_left_over, visible_text
from tests.reports.schedule_fixtures import china_calendar

# The source of China's holiday data, named as the package is ("chinesecalendar 1.11.0"): shown, not translated.
LIBRARY_WORDS = {"chinesecalendar", "1.11.0"}


def setup_urls(world, office) -> list[str]:
    agent = world.users["vendor_agent"]
    return [
        reverse("catalog:services"),
        reverse("catalog:service_create"),
        reverse("catalog:service_edit", args=[world.service.pk]),
        reverse("catalog:policies"),
        reverse("catalog:policy_create"),
        reverse("catalog:policy", args=[world.policy.pk]) + "?priority=P2&start=2026-12-04T17:00",
        reverse("catalog:policy_version", args=[world.policy.pk]),
        reverse("catalog:calendars"),
        reverse("catalog:calendar_create"),
        reverse("catalog:calendar", args=[world.calendar.pk]) + "?month=2026-10&day=2026-10-01",
        reverse("catalog:calendar", args=[office.pk]) + "?month=2026-10",
        reverse("catalog:calendar_edit", args=[world.calendar.pk]),
        reverse("people:list"),
        reverse("people:invite"),
        reverse("people:detail", args=[agent.pk]),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_setup_pages_follow_the_readers_language(world, language):
    office = china_calendar(world.org)
    User.objects.update(language=language)
    admin = User.objects.get(pk=world.users["client_admin"].pk)
    client = signed_in(admin)
    problems = {}
    for url in setup_urls(world, office):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        if language == "zh-hans":
            left = english_left_over(page) - LIBRARY_WORDS
            if left:
                problems[url] = sorted(left)
        else:
            text = visible_text(page).replace("简体中文", "")
            # Holiday names loaded from the library are data ("法定节假日", "调休"), shown as stored.
            text = text.replace("法定节假日", "").replace("调休", "")
            if CJK_RE.search(text):
                problems[url] = CJK_RE.findall(text)[:10]
    assert problems == {}
