"""Token API clients get their own saved language and time zone, whatever Accept-Language they send."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from oversight.notifications.models import Notification
from oversight.tenancy.services import api_token_create
from oversight.tickets import services

# A known instant: 2026-07-01 08:00 UTC is 16:00 in Shanghai (UTC+8) and 10:00 in Berlin (summer time, UTC+2).
INSTANT = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)


def token_client(user, *, language: str, time_zone: str = "Asia/Shanghai", accept: str) -> APIClient:
    """A client signed in with the user's API token (not a session), asking for `accept` in its header."""
    user.language = language
    user.time_zone = time_zone
    user.save(update_fields=["language", "time_zone"])
    client = APIClient()
    _token, secret = api_token_create(actor=user, owner=user, name="language test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}", HTTP_ACCEPT_LANGUAGE=accept)
    return client


@pytest.mark.parametrize(
    ("saved", "asked", "not_found", "required"),
    [
        ("en", "zh-hans", "Not found.", "This field is required."),
        ("zh-hans", "en", "未找到。", "该字段是必填项。"),
    ],
)
def test_error_messages_follow_the_saved_language_not_the_header(world, saved, asked, not_found, required):
    client = token_client(world.users["requester"], language=saved, accept=asked)
    missing = client.get("/api/v1/work-orders/999999/")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == not_found
    assert missing["Content-Language"] == saved
    invalid = client.post("/api/v1/work-orders/", {}, format="json")
    assert invalid.status_code == 400
    assert invalid.json()["error"]["fields"]["title"] == [required]


def test_labels_follow_the_token_users_language(world):
    requester = world.users["requester"]
    work_order = services.work_order_create(actor=requester, service=world.service, title="Printer jammed")
    english = token_client(requester, language="en", accept="zh-hans").get(f"/api/v1/work-orders/{work_order.pk}/")
    assert english.json()["status_label"] == "New"
    chinese = token_client(requester, language="zh-hans", accept="en").get(f"/api/v1/work-orders/{work_order.pk}/")
    assert chinese.json()["status_label"] == "新建"


def test_times_are_rendered_in_the_token_users_zone(world):
    requester = world.users["requester"]
    Notification.objects.create(
        recipient=requester, kind="test", subject="Hello", dedupe_key="test:zone", created_at=INSTANT
    )
    berlin = token_client(requester, language="en", time_zone="Europe/Berlin", accept="en")
    assert berlin.get("/api/v1/notifications/").json()["results"][0]["created_at"] == "2026-07-01T10:00:00+02:00"
    requester.time_zone = "Asia/Shanghai"
    requester.save(update_fields=["time_zone"])
    assert berlin.get("/api/v1/notifications/").json()["results"][0]["created_at"] == "2026-07-01T16:00:00+08:00"


def test_bad_token_answers_in_the_requested_language(world):
    # Nobody is known yet, so Accept-Language decides, as for pages before sign-in.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token wrong", HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/api/v1/work-orders/")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Invalid token."
