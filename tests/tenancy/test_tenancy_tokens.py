"""Personal API tokens (issue 8): stored hashed, shown once, expiring, revocable, audited; a page under
Preferences and the same through the API; `Token` and `Bearer` headers; authtoken keys migrated (ADR 0016)."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from rest_framework.test import APIClient

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.tenancy.models import ApiToken
from oversight.tenancy.services import api_token_create, api_token_revoke

T0 = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)  # 16:00 in Shanghai


def bearer(secret: str, keyword: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {secret}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_only_a_hash_is_stored_and_the_secret_is_returned_once(world):
    with clock.frozen_at(T0):
        token, secret = api_token_create(
            actor=world.users["vendor_agent"], owner=world.users["vendor_agent"], name="ci"
        )
    stored = ApiToken.objects.get()
    assert secret.startswith("ovs_") and len(secret) >= 50
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret[:12] == stored.prefix
    assert all(secret not in str(getattr(stored, f.attname)) for f in ApiToken._meta.concrete_fields)
    assert stored.expires_at == T0 + dt.timedelta(days=90)
    entry = AuditEntry.objects.get(action="tenancy.api_token.created")
    assert entry.after["prefix"] == stored.prefix
    assert secret not in str(entry.after) and stored.key_hash not in str(entry.after)


@pytest.mark.parametrize(("name", "days"), [("", 90), ("   ", 90), ("x", 0), ("x", 366), ("x" * 101, 90)])
def test_bad_names_and_lifetimes_are_refused(world, name, days):
    with pytest.raises(ApplicationError):
        api_token_create(actor=world.users["requester"], owner=world.users["requester"], name=name, days=days)
    assert not ApiToken.objects.exists()


def test_nobody_creates_or_revokes_another_persons_token(world):
    with pytest.raises(NotAllowed):
        api_token_create(actor=world.users["client_admin"], owner=world.users["requester"], name="x")
    token, _secret = api_token_create(actor=None, owner=world.users["requester"], name="x")
    with pytest.raises(NotAllowed):
        api_token_revoke(actor=world.users["vendor_agent"], token=token)
    with pytest.raises(NotAllowed):
        api_token_revoke(actor=world.users["foreign_admin"], token=token)
    # Their client administrator may revoke it (a leaked token), and a repeat is harmless.
    api_token_revoke(actor=world.users["client_admin"], token=token)
    api_token_revoke(actor=world.users["client_admin"], token=token)
    assert AuditEntry.objects.filter(action="tenancy.api_token.revoked").count() == 1


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "bearer"])
def test_token_and_bearer_headers_sign_in(world, keyword):
    _token, secret = api_token_create(actor=None, owner=world.users["vendor_agent"], name="x")
    response = bearer(secret, keyword).get("/api/v1/users/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "agent_a"


def test_expired_and_revoked_tokens_get_401_saying_why(world):
    with clock.frozen_at(T0):
        token, secret = api_token_create(actor=None, owner=world.users["requester"], name="x", days=1)
    with clock.frozen_at(T0 + dt.timedelta(days=1)):
        expired = bearer(secret).get("/api/v1/users/me/")
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "token_expired"
    assert "expired" in expired.json()["error"]["message"]
    with clock.frozen_at(T0 + dt.timedelta(hours=1)):
        assert bearer(secret).get("/api/v1/users/me/").status_code == 200
        api_token_revoke(actor=world.users["requester"], token=token)
        revoked = bearer(secret).get("/api/v1/users/me/")
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "token_revoked"
    assert bearer("ovs_nothing").get("/api/v1/users/me/").status_code == 401
    assert bearer("a b").get("/api/v1/users/me/").status_code == 401


def test_the_error_is_in_the_requested_language(world):
    _token, secret = api_token_create(actor=None, owner=world.users["requester"], name="x")
    ApiToken.objects.update(revoked_at=clock.now())
    client = bearer(secret)
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    message = client.get("/api/v1/users/me/").json()["error"]["message"]
    assert "revoked" not in message and "撤销" in message


def test_an_inactive_owner_cannot_use_a_token(world):
    _token, secret = api_token_create(actor=None, owner=world.users["requester"], name="x")
    world.users["requester"].is_active = False
    world.users["requester"].save(update_fields=["is_active"])
    assert bearer(secret).get("/api/v1/users/me/").status_code == 401


def test_last_use_is_written_at_most_once_a_minute(world):
    _token, secret = api_token_create(actor=None, owner=world.users["requester"], name="x")
    client = bearer(secret)
    with clock.frozen_at(T0):
        client.get("/api/v1/users/me/")
    assert ApiToken.objects.get().last_used_at == T0
    with clock.frozen_at(T0 + dt.timedelta(seconds=59)):
        client.get("/api/v1/users/me/")
    assert ApiToken.objects.get().last_used_at == T0
    with clock.frozen_at(T0 + dt.timedelta(seconds=61)):
        client.get("/api/v1/users/me/")
    assert ApiToken.objects.get().last_used_at == T0 + dt.timedelta(seconds=61)


# ---------------------------------------------------------------------------------------------- the API


def test_the_api_lists_creates_and_revokes_only_own_tokens(world, api):
    api_token_create(actor=None, owner=world.users["requester_2"], name="someone else's")
    client = api("auditor")  # a read-only role: a token is personal, not business data
    created = client.post("/api/v1/tokens/", {"name": "BI export", "days": 30}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith(body["prefix"])
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert [row["name"] for row in listed] == ["BI export"]
    assert "secret" not in listed[0] and "key_hash" not in listed[0]
    assert bearer(body["secret"]).get("/api/v1/users/me/").json()["username"] == "audit_a"
    revoked = client.post(f"/api/v1/tokens/{body['id']}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["is_active"] is False
    assert bearer(body["secret"]).get("/api/v1/users/me/").status_code == 401
    others = ApiToken.objects.get(name="someone else's")
    assert client.post(f"/api/v1/tokens/{others.pk}/revoke/").status_code == 404
    assert client.get(f"/api/v1/tokens/{others.pk}/").status_code == 404
    assert client.post("/api/v1/tokens/abc/revoke/").status_code == 404
    assert client.post("/api/v1/tokens/", {"name": "x", "days": 9999}, format="json").status_code == 400
    assert ApiToken.objects.get(pk=others.pk).revoked_at is None


# ---------------------------------------------------------------------------------------------- the page


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ["API tokens", "Create token", "Valid for (days)"]), ("zh-hans", ["API 令牌", "创建令牌", "有效期（天）"])],
)
def test_the_page_creates_shows_the_secret_once_and_lists_in_the_users_zone(world, web, language, words):
    user = world.users["vendor_agent"]
    user.language, user.time_zone = language, "Asia/Shanghai"
    user.save(update_fields=["language", "time_zone"])
    client = web(user)
    page = client.get("/preferences/tokens/").content.decode()
    for word in words:
        assert word in page
    with clock.frozen_at(T0):
        created = client.post("/preferences/tokens/", {"name": "Nightly sync", "days": 30})
    assert created.status_code == 200
    token = ApiToken.objects.get()
    text = created.content.decode()
    secret_start = text.index('id="token-secret">') + len('id="token-secret">')
    secret = text[secret_start : text.index("</code>", secret_start)]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.key_hash
    later = client.get("/preferences/tokens/").content.decode()
    assert secret not in later
    assert token.prefix in later
    assert "2026-07-01 16:00" in later  # created, in Shanghai time
    assert "2026-07-31 16:00" in later  # expires
    revoke = client.post(f"/preferences/tokens/{token.pk}/revoke/")
    assert revoke.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None


def test_the_page_refuses_bad_input_clearly(world, web):
    client = web("requester")
    for data in ({"name": "", "days": 90}, {"name": "x", "days": 400}, {"name": "x", "days": "soon"}):
        response = client.post("/preferences/tokens/", data)
        assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_persons_token_through_the_page(world, web):
    token, _secret = api_token_create(actor=None, owner=world.users["requester_2"], name="theirs")
    assert web("requester").post(f"/preferences/tokens/{token.pk}/revoke/").status_code == 404
    assert web("client_admin").post(f"/preferences/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    assert "theirs" not in web("client_admin").get("/preferences/tokens/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(db):
    from django.test import Client

    response = Client().get("/preferences/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# ---------------------------------------------------------------------------------------------- migration


def test_authtoken_keys_are_hashed_into_api_tokens_and_erased(world):
    migration = importlib.import_module("oversight.tenancy.migrations.0003_migrate_authtoken_tokens")
    key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    user = world.users["vendor_agent"]
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, created timestamp, user_id integer)'
        )
        cursor.execute('INSERT INTO authtoken_token ("key", created, user_id) VALUES (%s, %s, %s)', [key, T0, user.pk])
        cursor.execute(
            'INSERT INTO authtoken_token ("key", created, user_id) VALUES (%s, %s, %s)', ["gone", T0, 987654]
        )
    try:
        migration.forwards(apps, SimpleNamespace(connection=connection))  # it only asks the editor for this
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM authtoken_token")
            assert cursor.fetchone()[0] == 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE authtoken_token")
    migrated = ApiToken.objects.get()
    assert migrated.owner == user
    assert migrated.prefix == key[:8]
    assert bearer(key).get("/api/v1/users/me/").json()["username"] == "agent_a"
