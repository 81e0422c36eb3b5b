"""The e-mail intake pages: the log with its filters, a mail's page with process again / discard, the mailbox
pages with the connection test, in Chinese and English, for the roles that may use them; hostile input is a
clear error, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from oversight.core import clock
from oversight.mailintake import services
from oversight.mailintake.models import InboundMail, Mailbox
from tests.factories import signed_in
from tests.mailintake.conftest import build_mail
from tests.query_counts import assert_flat, count_queries


def _receive(mailbox, **kwargs):
    return services.mail_receive(mailbox=mailbox, raw=build_mail(**kwargs))[0]


@pytest.fixture
def logged(world, mailbox):
    """Three mails: a new work order, an ignored auto-reply and a quarantined mail from a stranger."""
    return {
        "processed": _receive(mailbox, subject="Printer jammed", message_id="<w1@x>"),
        "ignored": _receive(mailbox, subject="Out of office", headers={"Auto-Submitted": "auto-replied"},
                            message_id="<w2@x>"),
        "quarantined": _receive(mailbox, subject="Cheap toner", sender="sales@spam.example", message_id="<w3@x>"),
    }  # fmt: skip


def _en(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return signed_in(user)


def _zh(user):
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    return signed_in(user)


def test_log_lists_every_outcome_and_filters_by_status(world, logged):
    client = _en(world.users["client_supervisor"])
    html = client.get(reverse("mailintake:log")).content.decode()
    for subject in ("Printer jammed", "Out of office", "Cheap toner"):
        assert subject in html
    assert "New work order created" in html and "Automatic reply" in html and "The sender is not known" in html
    assert logged["processed"].work_order.number in html
    filtered = client.get(reverse("mailintake:log"), {"status": "quarantined"}).content.decode()
    assert "Cheap toner" in filtered and "Printer jammed" not in filtered


def test_log_filters_by_mailbox_and_day(world, mailbox, logged, maildir, tmp_path):
    other = services.mailbox_save(
        mailbox=Mailbox(organisation=world.org, name="Wards", address="wards@hospital.example", kind="maildir",
                        path=str(tmp_path), service=world.service),
        fields=None, actor=world.users["client_admin"],
    )  # fmt: skip
    _receive(other, subject="Ward phone", message_id="<w4@x>")
    client = _en(world.users["client_admin"])
    html = client.get(reverse("mailintake:log"), {"mailbox": other.pk}).content.decode()
    assert "Ward phone" in html and "Printer jammed" not in html
    # Received days are the reader's local days (Asia/Shanghai): move one mail to yesterday.
    yesterday = clock.now() - dt.timedelta(days=1)
    InboundMail.objects.filter(pk=logged["processed"].pk).update(received_at=yesterday)
    today = clock.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    html = client.get(reverse("mailintake:log"), {"day_from": today.isoformat()}).content.decode()
    assert "Printer jammed" not in html and "Cheap toner" in html
    day_before = (today - dt.timedelta(days=1)).isoformat()
    html = client.get(reverse("mailintake:log"), {"day_to": day_before}).content.decode()
    assert "Printer jammed" in html and "Cheap toner" not in html


@pytest.mark.parametrize("query", [{"day_to": "9999-12-31"}, {"day_from": "nonsense"}, {"mailbox": "99999999999999"},
                                   {"status": "<script>"}, {"page": "-1"}])  # fmt: skip
def test_bad_filters_are_a_clear_400_not_a_500(world, logged, query):
    response = _en(world.users["client_admin"]).get(reverse("mailintake:log"), query)
    assert response.status_code in (200, 400)
    assert "<script>" not in response.content.decode().split("<main", 1)[-1]


def test_mail_page_shows_headers_reason_and_reprocess_discard(world, logged):
    mail = logged["quarantined"]
    client = _en(world.users["client_supervisor"])
    html = client.get(reverse("mailintake:mail_detail", args=[mail.pk])).content.decode()
    assert "Cheap toner" in html and "sales@spam.example" in html and "The sender is not known" in html
    assert "Process again" in html and "Discard" in html and "w3@x" in html
    response = client.post(reverse("mailintake:mail_reprocess", args=[mail.pk]))
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.status == "quarantined"
    response = client.post(reverse("mailintake:mail_discard", args=[mail.pk]))
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.status == "discarded"
    # Discarding again is a harmless repeat; processing a discarded mail is a clear refusal, not a 500.
    assert client.post(reverse("mailintake:mail_discard", args=[mail.pk])).status_code == 302
    again = client.post(reverse("mailintake:mail_reprocess", args=[mail.pk]))
    assert again.status_code == 409
    assert "Only a quarantined mail" in again.content.decode()


def test_pages_in_chinese(world, logged):
    client = _zh(world.users["client_admin"])
    html = client.get(reverse("mailintake:log")).content.decode()
    assert "邮件受理" in html and "已隔离" in html and "发件人未知" in html
    html = client.get(reverse("mailintake:mail_detail", args=[logged["quarantined"].pk])).content.decode()
    assert "重新处理" in html and "邮件标识（Message-ID）" in html and "发件人" in html
    html = client.get(reverse("mailintake:mailbox_list")).content.decode()
    assert "新建邮箱" in html and "Helpdesk" in html


def test_other_roles_and_organisations(world, logged):
    assert signed_in(world.users["vendor_manager"]).get(reverse("mailintake:log")).status_code == 403
    assert signed_in(world.users["client_supervisor"]).get(reverse("mailintake:mailbox_list")).status_code == 403
    foreign = signed_in(world.users["foreign_admin"])
    assert "Printer jammed" not in foreign.get(reverse("mailintake:log")).content.decode()
    assert foreign.get(reverse("mailintake:mail_detail", args=[logged["processed"].pk])).status_code == 404
    mailbox_id = logged["processed"].mailbox_id
    assert foreign.get(reverse("mailintake:mailbox_edit", args=[mailbox_id])).status_code == 404


def test_mailbox_create_edit_and_test(world, mailbox, maildir):
    client = _en(world.users["client_admin"])
    form = {
        "name": "IMAP desk", "address": "desk@hospital.example", "kind": "imap", "host": "", "port": "993",
        "username": "", "folder": "INBOX", "service": world.service.pk, "unknown_sender": "quarantine",
        "is_active": "on",
    }  # fmt: skip
    refused = client.post(reverse("mailintake:mailbox_create"), form)
    assert refused.status_code == 400 and "needs a server and a user name" in refused.content.decode()
    form.update({"host": "127.0.0.1", "port": "1", "username": "desk", "use_ssl": ""})
    created = client.post(reverse("mailintake:mailbox_create"), form)
    assert created.status_code == 302
    box = Mailbox.objects.get(name="IMAP desk")
    assert box.organisation == world.org and box.password_env == ""
    tested = client.post(reverse("mailintake:mailbox_test", args=[box.pk]))
    assert tested.status_code == 400 and "Could not read 127.0.0.1:1" in tested.content.decode()
    ok = client.post(reverse("mailintake:mailbox_test", args=[mailbox.pk]), follow=True)
    assert "Connected: 0 messages in the folder." in ok.content.decode()
    form.update({"name": "IMAP desk 2", "port": "70000"})
    assert client.post(reverse("mailintake:mailbox_edit", args=[box.pk]), form).status_code == 400
    form["port"] = "143"
    assert client.post(reverse("mailintake:mailbox_edit", args=[box.pk]), form).status_code == 302
    box.refresh_from_db()
    assert (box.name, box.port) == ("IMAP desk 2", 143)


def test_hostile_subject_is_escaped_on_the_pages(world, mailbox):
    raw = b"From: nurse_a@example.org\r\nMessage-ID: <h@x>\r\nSubject: <script>alert(1)</script>\r\n\r\nHi"
    mail, _ = services.mail_receive(mailbox=mailbox, raw=raw)
    client = _en(world.users["client_admin"])
    for url in (reverse("mailintake:log"), reverse("mailintake:mail_detail", args=[mail.pk])):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_list_query_counts_do_not_grow_with_the_rows(world, mailbox, logged, tmp_path):
    client = signed_in(world.users["client_admin"])

    def counts() -> list[int]:
        found = []
        for url in (reverse("mailintake:log"), reverse("mailintake:mailbox_list")):
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    for i in range(5):
        _receive(mailbox, subject=f"More {i}", message_id=f"<more{i}@x>")
        services.mailbox_save(
            mailbox=Mailbox(organisation=world.org, name=f"Box {i}", address=f"b{i}@hospital.example",
                            kind="maildir", path=str(tmp_path), service=world.service),
            fields=None, actor=world.users["client_admin"],
        )  # fmt: skip
    many = counts()
    assert_flat("mailintake.log", few[0], many[0])
    assert_flat("mailintake.mailboxes", few[1], many[1])
