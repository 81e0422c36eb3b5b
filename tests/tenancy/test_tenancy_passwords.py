"""Password self-service: reset by an e-mailed single-use link (no enumeration, no Host header, rate-limited),
the change page, and the change required when someone else chose the password; all audited."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from oversight.audit.models import AuditEntry
from oversight.tenancy import services
from oversight.tenancy.models import User
from tests.factories import UserFactory

NEW_PASSWORD = "Violet-Harbour-42"


def reset_link(message) -> str:
    return re.search(r"https?://\S+/reset/\S+/", message.body).group(0)


def test_a_reset_sends_a_link_built_from_the_configured_site_address_not_the_host_header(world, settings):
    settings.OVERSIGHT_BASE_URL = "https://oversight.hospital.example"
    settings.ALLOWED_HOSTS = ["*"]
    response = Client().post("/password/reset/", {"email": "nurse_a@example.org"}, HTTP_HOST="evil.example")
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    assert len(mail.outbox) == 1
    link = reset_link(mail.outbox[0])
    assert link.startswith("https://oversight.hospital.example/reset/")
    assert "evil.example" not in mail.outbox[0].body
    assert mail.outbox[0].to == ["nurse_a@example.org"]


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(world):
    known = Client().post("/password/reset/", {"email": "nurse_a@example.org"}, follow=True)
    unknown = Client().post("/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    # Per-request values: the CSRF token, and the server's clock in seconds (the two posts may straddle a second).
    csrf = re.compile(rb'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"|data-server-now="\d+"')
    assert csrf.sub(b"", known.content) == csrf.sub(b"", unknown.content)
    assert len(mail.outbox) == 1


def test_the_link_sets_a_new_password_once_and_is_audited(world):
    user = world.users["requester"]
    Client().post("/password/reset/", {"email": user.email})
    link = reset_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    client = Client()
    form_url = client.get("/" + link)["Location"]  # Django moves the token into the session
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/login/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Used once: the same link is now dead, with a clear page.
    again = Client().get("/" + link, follow=True)
    assert "validlink" in again.context and not again.context["validlink"]
    entries = AuditEntry.objects.filter(object_id=str(user.pk))
    assert entries.filter(action="tenancy.user.password_reset_requested").exists()
    assert entries.get(action="tenancy.user.password_changed").after["how"] == "link"
    assert all(NEW_PASSWORD not in str(e.after) for e in AuditEntry.objects.all())


def test_the_email_is_in_the_recipients_language(world):
    user = world.users["requester"]
    User.objects.filter(pk=user.pk).update(language="zh-hans")
    Client(HTTP_ACCEPT_LANGUAGE="en").post("/password/reset/", {"email": user.email})
    assert "密码" in mail.outbox[0].subject and "password" not in mail.outbox[0].body.lower().replace("/password/", "")


def test_reset_requests_are_limited_per_client_address(world, settings):
    settings.OVERSIGHT_PASSWORD_RESET_RATE_LIMIT = 3
    statuses = [
        Client().post("/password/reset/", {"email": f"x{i}@example.org"}, REMOTE_ADDR="10.2.2.2").status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert Client().post("/password/reset/", {"email": "y@example.org"}, REMOTE_ADDR="10.2.2.3").status_code == 302


def test_reset_mails_to_one_address_are_limited_without_telling(world, settings):
    settings.OVERSIGHT_PASSWORD_RESET_EMAIL_LIMIT = 2
    responses = [
        Client().post("/password/reset/", {"email": "nurse_a@example.org"}, REMOTE_ADDR=f"10.3.3.{i}") for i in range(4)
    ]
    assert {r.status_code for r in responses} == {302}
    assert len(mail.outbox) == 2


def test_a_reset_lifts_the_accounts_sign_in_lockout(world):
    from axes.utils import reset as axes_reset

    axes_reset()
    user = world.users["requester"]
    for _ in range(5):
        Client().post("/login/", {"username": user.username, "password": "wrong"})
    services.user_password_changed(actor=user, user=user, how="link")
    login = Client().post("/login/", {"username": user.username, "password": "pw-Oversight-1"})
    assert login.status_code == 302


def test_the_login_page_and_reset_pages_are_translated(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    for url in ("/login/", "/password/reset/", "/password/reset/sent/"):
        page = client.get(url).content.decode()
        for english in ("Forgot your password", "Reset your password", "Check your e-mail", "Password changed"):
            assert english not in page, (url, english)


# ------------------------------------------------------------------------------- change and required change


def test_a_user_changes_their_password_and_it_is_audited(world, web):
    client = web("requester")
    response = client.post(
        "/password/change/",
        {"old_password": "pw-Oversight-1", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/preferences/").status_code == 200  # still signed in
    user = world.users["requester"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="tenancy.user.password_changed", object_id=str(user.pk))
    assert entry.after["how"] == "changed" and "password" not in entry.after


def test_a_user_created_by_an_administrator_must_change_the_password_first(world):
    admin = world.users["client_admin"]
    new = User(username="newbie", organisation=world.org, role="requester", email="newbie@example.org")
    new.set_password("Temp-Pass-123")
    services.user_save(actor=admin, user=new, fields=None)
    assert User.objects.get(pk=new.pk).must_change_password

    client = Client()
    response = client.post("/login/", {"username": "newbie", "password": "Temp-Pass-123"}, follow=True)
    assert response.redirect_chain[-1][0] == "/password/change/?required=1"
    assert client.get("/portal/").status_code == 302
    assert client.get("/api/v1/services/").status_code == 403
    client.post(
        "/password/change/",
        {"old_password": "Temp-Pass-123", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert not User.objects.get(pk=new.pk).must_change_password
    assert client.get("/", follow=True).status_code == 200
    assert client.get("/api/v1/services/").status_code == 200


def test_a_password_an_administrator_sets_must_be_changed_one_the_user_chooses_need_not(world):
    admin, user = world.users["client_admin"], world.users["requester"]
    services.user_password_changed(actor=admin, user=user)
    assert User.objects.get(pk=user.pk).must_change_password
    services.user_password_changed(actor=user, user=user, how="changed")
    assert not User.objects.get(pk=user.pk).must_change_password


def test_users_made_without_an_administrator_are_not_flagged(db):
    user = UserFactory()
    services.user_save(
        actor=None, user=UserFactory.build(username="by-import", organisation=user.organisation), fields=None
    )
    assert not User.objects.get(username="by-import").must_change_password
    assert not User.objects.get(pk=user.pk).must_change_password


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_required_change_page_says_why(world, language):
    user = world.users["requester"]
    User.objects.filter(pk=user.pk).update(must_change_password=True, language=language)
    client = Client()
    client.force_login(user)
    page = client.get("/password/change/?required=1").content.decode()
    if language == "en":
        assert "Choose your own password before you continue." in page
    else:
        assert "Choose your own" not in page and "Change password" not in page
