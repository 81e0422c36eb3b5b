"""Sign-in lockout (django-axes): per account and address, a higher limit per address, a plain message,
an audit entry per lockout, and an administrator who can unlock."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.test import Client

from oversight.audit.models import AuditEntry
from tests.factories import UserFactory

PASSWORD = "pw-Oversight-1"


@pytest.fixture(autouse=True)
def _clean_axes(db):
    """No lockout leaks into or out of a test (the counts live in axes' tables)."""
    axes_reset()
    yield
    axes_reset()


def sign_in(client: Client, username: str, password: str, *, ip: str = "10.0.0.1", path: str = "/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_and_the_right_one_no_longer_signs_in(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(4):
        assert sign_in(client, "nurse_a", "wrong").status_code == 200
    assert sign_in(client, "nurse_a", "wrong").status_code == 429  # the fifth failure locks at once
    response = sign_in(client, "nurse_a", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert 'data-testid="lockout"' in page
    assert "15 minutes" in page and "administrator" in page


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in_on_the_admin_login_either(world):
    admin = world.users["client_admin"]
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client = Client()
    for _ in range(30):
        sign_in(client, admin.username, "wrong", path="/admin/login/")
    response = sign_in(client, admin.username, PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_in_chinese_for_a_chinese_reader(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    for _ in range(5):
        sign_in(client, "nurse_a", "wrong")
    page = sign_in(client, "nurse_a", PASSWORD).content.decode()
    assert "15 分钟" in page
    assert "Too many" not in page


def test_the_lock_holds_only_on_the_address_it_came_from_so_a_shared_address_does_not_lock_everyone(world):
    client = Client()
    for _ in range(5):
        sign_in(client, "nurse_a", "wrong", ip="10.0.0.1")
    # The same person on another address, and a colleague behind the same NAT address, still sign in.
    assert sign_in(Client(), "nurse_a", PASSWORD, ip="10.0.0.2").status_code == 302
    assert sign_in(Client(), "nurse_a2", PASSWORD, ip="10.0.0.1").status_code == 302


def test_many_accounts_failing_from_one_address_lock_the_address(world, settings):
    settings.OVERSIGHT_LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for index in range(12):
        sign_in(Client(), f"guess{index // 3}", "wrong", ip="10.9.9.9")  # 3 per name: no account lock
    response = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), "nurse_a", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert "network address" in response.content.decode()
    assert sign_in(Client(), "nurse_a", PASSWORD, ip="10.9.9.8").status_code == 302


def test_a_successful_sign_in_clears_its_own_failures_but_not_the_other_accounts_on_the_address(world, settings):
    settings.OVERSIGHT_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for name in ["nurse_a2"] * 3 + ["agent_a"]:
        sign_in(Client(), name, "wrong")
    for _ in range(3):
        sign_in(Client(), "nurse_a", "wrong")
    assert sign_in(Client(), "nurse_a", PASSWORD).status_code == 302  # e.g. an attacker's own account
    assert not AccessAttempt.objects.filter(username="nurse_a").exists()
    # The other accounts' 4 failures still count: 3 more are allowed, the 4th locks the address (4 + 4 = 8).
    assert [sign_in(Client(), "agent_a", "wrong").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_cool_off_ends_the_lock(world):
    for _ in range(5):
        sign_in(Client(), "nurse_a", "wrong")
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert sign_in(Client(), "nurse_a", PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_does_not_give_a_new_address(world):
    for index in range(5):
        response = Client().post(
            "/login/",
            {"username": "nurse_a", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{index}",
        )
    response = Client().post(
        "/login/", {"username": "nurse_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert response.status_code == 429


def test_behind_a_configured_proxy_the_forwarded_address_counts(world, settings):
    settings.OVERSIGHT_TRUSTED_PROXIES = 1
    for _ in range(5):
        Client().post(
            "/login/",
            {"username": "nurse_a", "password": "wrong"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    locked = Client().post(
        "/login/",
        {"username": "nurse_a", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    other = Client().post(
        "/login/",
        {"username": "nurse_a", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert (locked.status_code, other.status_code) == (429, 302)


def test_a_lockout_is_audited_once(world):
    for _ in range(5):
        sign_in(Client(), "nurse_a", "wrong")
    for _ in range(3):
        sign_in(Client(), "nurse_a", PASSWORD)  # refused retries while locked
    entries = AuditEntry.objects.filter(action="tenancy.user.login_locked_out")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.object_id == str(world.users["requester"].pk)
    assert entry.organisation_id == world.org.pk
    assert entry.after["ip_address"] == "10.0.0.1"
    assert "password" not in str(entry.after) or entry.after.get("password") is None


def test_a_lockout_of_an_unknown_name_is_audited_without_an_account(world):
    for _ in range(5):
        sign_in(Client(), "nobody-here", "wrong")
    entry = AuditEntry.objects.get(action="tenancy.user.login_locked_out")
    assert entry.object_id == "" and entry.after["username"] == "nobody-here"


def test_a_client_administrator_unlocks_a_user_of_their_organisation_in_the_admin(world, admin_client_a):
    for _ in range(5):
        sign_in(Client(), "nurse_a", "wrong")
    user = world.users["requester"]
    response = admin_client_a.post(
        "/admin/tenancy/user/", {"action": "unlock_sign_in", "_selected_action": [user.pk]}, follow=True
    )
    assert response.status_code == 200
    assert sign_in(Client(), "nurse_a", PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action="tenancy.user.sign_in_unlocked")
    assert entry.object_id == str(user.pk) and entry.after["attempts_cleared"] == 1


def test_an_administrator_cannot_unlock_another_organisations_user(world, admin_client_a):
    for _ in range(5):
        sign_in(Client(), "nurse_x", "wrong")
    foreign = world.users["foreign_requester"]
    admin_client_a.post("/admin/tenancy/user/", {"action": "unlock_sign_in", "_selected_action": [foreign.pk]})
    assert sign_in(Client(), "nurse_x", PASSWORD).status_code == 429
    assert not AuditEntry.objects.filter(action="tenancy.user.sign_in_unlocked").exists()


def test_the_login_page_links_to_password_reset(db):
    assert 'href="/password/reset/"' in Client().get("/login/").content.decode()


def test_an_inactive_users_failures_count_like_any_other(db):
    UserFactory(username="gone", is_active=False)
    for _ in range(5):
        sign_in(Client(), "gone", "wrong")
    assert sign_in(Client(), "gone", PASSWORD).status_code == 429
