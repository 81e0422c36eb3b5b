"""API throttles: anonymous callers per address, signed-in users per user, a strict scope for credential endpoints,
each with a 429, Retry-After and a message in the caller's language."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from oversight.core.api.throttles import ScopedThrottle


def test_seventy_anonymous_requests_in_a_row_meet_429_with_retry_after(db):
    client = APIClient()
    statuses = [client.get("/api/v1/services/", REMOTE_ADDR="10.1.1.1").status_code for _ in range(70)]
    assert statuses[:60] == [401 if statuses[0] == 401 else 403] * 60
    assert set(statuses[60:]) == {429}
    response = client.get("/api/v1/services/", REMOTE_ADDR="10.1.1.1")
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "throttled"
    assert response.json()["error"]["retry_after"] == int(response["Retry-After"])
    # Another address has its own allowance.
    assert client.get("/api/v1/services/", REMOTE_ADDR="10.1.1.2").status_code != 429


def test_the_throttle_message_is_translated(db):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    for _ in range(60):
        client.get("/api/v1/services/", REMOTE_ADDR="10.1.1.3")
    zh = client.get("/api/v1/services/", REMOTE_ADDR="10.1.1.3").json()["error"]["message"]
    en = client.get("/api/v1/services/", REMOTE_ADDR="10.1.1.3", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    assert en.startswith("Too many requests. Try again in ")
    assert "请求" in zh and "Too many" not in zh


def test_a_forged_forwarded_for_header_does_not_escape_the_anonymous_limit(db):
    client = APIClient()
    statuses = [
        client.get("/api/v1/services/", REMOTE_ADDR="10.1.1.4", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code
        for i in range(61)
    ]
    assert statuses[-1] == 429


def test_signed_in_users_are_counted_per_user_at_their_own_rate(world, api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "3/min"}}
    agent = api("vendor_agent")
    assert [agent.get("/api/v1/services/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert api("vendor_manager").get("/api/v1/services/").status_code == 200


class _TokenLikeView(APIView):
    throttle_scope = "auth"
    permission_classes = []
    authentication_classes = []

    def post(self, request):
        from rest_framework.response import Response

        return Response({"ok": True})


@pytest.mark.parametrize("count, expected", [(10, 200), (11, 429)])
def test_the_auth_scope_for_credential_endpoints_is_strict(db, count, expected):
    assert ScopedThrottle in [type(t) for t in _TokenLikeView().get_throttles()]
    factory = APIRequestFactory()
    view = _TokenLikeView.as_view()
    statuses = [view(factory.post("/token/", REMOTE_ADDR="10.1.1.5")).status_code for _ in range(count)]
    assert statuses[-1] == expected
