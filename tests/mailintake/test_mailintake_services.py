"""Receiving mails: new work orders, replies as comments, dedupe, loops, unknown senders, attachments and the
quarantine (processed again or discarded, audited), with the queue moving on after a failure."""

from __future__ import annotations

import os

import pytest
from django.core import mail as outbox
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.core.errors import InvalidTransition, NotAllowed
from oversight.mailintake import services
from oversight.mailintake.models import InboundMail, RawMessage
from oversight.notifications.services import notification_create, notification_send_email
from oversight.tenancy.models import User
from oversight.tickets.models import Attachment, Comment, WorkOrder
from oversight.tickets.services import work_order_create
from tests.mailintake.conftest import build_mail

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def receive(mailbox, **kwargs):
    return services.mail_receive(mailbox=mailbox, raw=build_mail(**kwargs))


def test_new_mail_from_known_requester_creates_one_work_order(world, mailbox):
    mail, created = receive(mailbox, sender="NURSE_A@Example.ORG", subject="打印机卡纸", body="三楼打印机卡纸。")
    assert created
    assert (mail.status, mail.reason) == ("processed", "new_work_order")
    wo = mail.work_order
    assert (wo.title, wo.description, wo.channel) == ("打印机卡纸", "三楼打印机卡纸。", "email")
    assert wo.requester == world.users["requester"] and wo.service == world.service
    assert mail.from_address == "nurse_a@example.org" and mail.subject == "打印机卡纸"
    assert not RawMessage.objects.exists()


def test_the_same_mail_fetched_twice_makes_one_work_order(world, mailbox):
    first, created = receive(mailbox)
    again, created_again = receive(mailbox)
    assert created and not created_again
    assert again.pk == first.pk and again.copies == 2
    assert WorkOrder.objects.count() == 1 and InboundMail.objects.count() == 1


def test_a_mail_without_message_id_is_deduplicated_by_its_hash(world, mailbox):
    raw = build_mail(message_id=None)
    services.mail_receive(mailbox=mailbox, raw=raw)
    services.mail_receive(mailbox=mailbox, raw=b"Received: by relay2; Mon, 7 Dec 2026 10:00:00 +0800\r\n" + raw)
    assert WorkOrder.objects.count() == 1
    assert InboundMail.objects.get().message_id.startswith("sha256:")


@pytest.mark.parametrize(
    ("headers", "sender", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "nurse_a@example.org", "auto_reply"),
        ({"X-Autoreply": "yes"}, "nurse_a@example.org", "auto_reply"),
        ({"Precedence": "bulk"}, "nurse_a@example.org", "auto_reply"),
        ({}, "MAILER-DAEMON@mx.example.org", "bounce"),
        ({"X-Oversight-Notification": "work_order"}, "nurse_a@example.org", "own_notification"),
    ],
)
def test_loops_are_ignored_and_create_nothing(world, mailbox, headers, sender, reason):
    mail, _created = receive(mailbox, sender=sender, headers=headers)
    assert (mail.status, mail.reason) == ("ignored", reason)
    assert not WorkOrder.objects.exists() and not Comment.objects.exists()


def test_own_notification_email_is_marked_and_its_reply_becomes_a_comment(world, mailbox):
    requester = world.users["requester"]
    wo = work_order_create(actor=requester, service=world.service, title="Screen black")
    notification, _ = notification_create(
        recipient=requester, kind="work_order", dedupe_key="t1", subject="Update", body="b", work_order=wo
    )
    assert notification_send_email(notification_id=notification.pk)
    sent = outbox.outbox[-1].message()
    assert sent["X-Oversight-Notification"] == "work_order"
    assert sent["Auto-Submitted"] == "auto-generated"
    # Our own notification read back from the mailbox (a copy, a forward loop) is ignored...
    looped, _ = services.mail_receive(mailbox=mailbox, raw=sent.as_bytes())
    assert (looped.status, looped.reason) == ("ignored", "own_notification")
    # ...and the person's answer to it becomes a public comment on its work order.
    mail, _ = receive(
        mailbox, subject="Re: Update", body="It works again.", message_id="<r1@x>",
        headers={"In-Reply-To": sent["Message-ID"]},
    )  # fmt: skip
    assert (mail.status, mail.reason, mail.work_order) == ("processed", "comment", wo)
    comment = Comment.objects.get(work_order=wo)
    assert (comment.author, comment.body, comment.is_internal) == (requester, "It works again.", False)
    assert WorkOrder.objects.count() == 1


def test_reply_with_number_in_subject_becomes_a_comment(world, mailbox):
    wo = work_order_create(actor=world.users["requester"], service=world.service, title="Screen black")
    mail, _ = receive(mailbox, subject=f"Re: [{wo.number}] Screen black", body="Still black.")
    assert (mail.reason, mail.work_order) == ("comment", wo)
    assert Comment.objects.get(work_order=wo).body == "Still black."


def test_reply_by_someone_who_may_not_comment_is_quarantined(world, mailbox):
    wo = work_order_create(actor=world.users["requester"], service=world.service, title="Screen black")
    mail, _ = receive(mailbox, sender="nurse_a2@example.org", subject=f"Re: [{wo.number}]", body="Me too")
    assert (mail.status, mail.reason) == ("quarantined", "may_not_comment")
    assert not Comment.objects.exists()
    assert RawMessage.objects.get(mail=mail).file.read().startswith(b"Content-Type")


def test_a_number_of_another_organisation_is_no_reply_target(world, mailbox):
    foreign = work_order_create(actor=world.users["foreign_requester"], service=world.foreign_service, title="Far away")
    mail, _ = receive(mailbox, subject=f"[{foreign.number}] printer")
    assert mail.reason == "new_work_order" and mail.work_order.organisation == world.org
    assert not Comment.objects.exists()


def test_unknown_sender_rules(world, mailbox):
    quarantined, _ = receive(mailbox, sender="stranger@elsewhere.example", message_id="<u1@x>")
    assert (quarantined.status, quarantined.reason) == ("quarantined", "unknown_sender")

    mailbox.unknown_sender = "create_requester"
    services.mailbox_save(mailbox=mailbox, fields=["unknown_sender"], actor=world.users["client_admin"])
    created, _ = receive(mailbox, sender="Stranger@Elsewhere.example", name="李医生", message_id="<u2@x>")
    person = User.objects.get(email="stranger@elsewhere.example")
    assert (person.role, person.organisation, person.display_name) == ("requester", world.org, "李医生")
    assert not person.has_usable_password()
    assert created.work_order.requester == person
    assert AuditEntry.objects.filter(action="mailintake.requester.created", object_id=str(person.pk)).exists()

    mailbox.unknown_sender = "catch_all"
    mailbox.catch_all_requester = world.users["requester_2"]
    services.mailbox_save(
        mailbox=mailbox, fields=["unknown_sender", "catch_all_requester"], actor=world.users["client_admin"]
    )
    with translation.override("en"):
        filed, _ = receive(mailbox, sender="visitor@elsewhere.example", name="Visitor", message_id="<u3@x>")
    assert filed.work_order.requester == world.users["requester_2"]
    assert filed.work_order.description.startswith("From: Visitor <visitor@elsewhere.example>")


def test_inactive_sender_and_read_only_role_are_quarantined(world, mailbox):
    world.users["requester"].is_active = False
    world.users["requester"].save(update_fields=["is_active"])
    mail, _ = receive(mailbox, message_id="<i1@x>")
    assert mail.reason == "sender_inactive"
    mail, _ = receive(mailbox, sender="exec_a@example.org", message_id="<i2@x>")
    assert mail.reason == "may_not_create"
    assert not WorkOrder.objects.exists()


def test_attachments_go_through_the_upload_checks(world, mailbox):
    ok, _ = receive(mailbox, attachments=[("photo.png", "image/png", PNG)], message_id="<a1@x>")
    assert ok.reason == "new_work_order"
    attachment = Attachment.objects.get(work_order=ok.work_order)
    assert (attachment.original_name, attachment.content_type) == ("photo.png", "image/png")
    refused, _ = receive(
        mailbox, attachments=[("run.html", "text/html", b"<script>alert(1)</script>")], message_id="<a2@x>"
    )
    assert (refused.status, refused.reason) == ("quarantined", "attachment_refused")
    assert "run.html" in refused.detail
    # The work order of a refused mail is rolled back with it.
    assert WorkOrder.objects.count() == 1 and refused.work_order is None


def test_too_many_attachments_are_refused(world, mailbox):
    files = [(f"p{i}.png", "image/png", PNG) for i in range(11)]
    mail, _ = receive(mailbox, attachments=files)
    assert mail.reason == "attachment_refused" and not WorkOrder.objects.exists()


def test_hostile_mails_are_quarantined_not_errors(world, mailbox, settings):
    big = build_mail(body="x" * (30 * 1024 * 1024), message_id="<big@x>")
    mail, _ = services.mail_receive(mailbox=mailbox, raw=big)
    assert (mail.status, mail.reason) == ("quarantined", "too_big")
    assert mail.size == len(big)
    bomb = (
        b"From: nurse_a@example.org\r\nSubject: bomb\r\nMessage-ID: <bomb@x>\r\n"
        b"Content-Type: multipart/mixed; boundary=z\r\n\r\n"
        + b"".join(b"--z\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(1000))
        + b"--z--\r\n"
    )
    mail, _ = services.mail_receive(mailbox=mailbox, raw=bomb)
    assert (mail.status, mail.reason) == ("quarantined", "too_many_parts")
    injected = (
        b"From: nurse_a@example.org\r\nMessage-ID: <inj@x>\r\n"
        b"Subject: =?utf-8?Q?Broken=0D=0ABcc:_all@example.org?=\r\n\r\nHelp"
    )
    mail, _ = services.mail_receive(mailbox=mailbox, raw=injected)
    assert mail.work_order.title == "Broken Bcc: all@example.org"
    assert not WorkOrder.objects.exclude(pk=mail.work_order_id).exists()


def test_reprocess_after_the_sender_was_added(world, mailbox):
    mail, _ = receive(mailbox, sender="newdoc@example.org")
    assert mail.reason == "unknown_sender"
    with pytest.raises(NotAllowed):
        services.inbound_reprocess(mail=mail, actor=world.users["vendor_manager"])
    again = services.inbound_reprocess(mail=mail, actor=world.users["client_supervisor"])
    assert (again.status, again.reason) == ("quarantined", "unknown_sender")
    world.users["requester_2"].email = "NewDoc@example.org"
    world.users["requester_2"].save(update_fields=["email"])
    done = services.inbound_reprocess(mail=mail, actor=world.users["client_supervisor"])
    assert (done.status, done.reason) == ("processed", "new_work_order")
    assert done.work_order.requester == world.users["requester_2"]
    entries = AuditEntry.objects.filter(action="mailintake.inboundmail.reprocessed", object_id=str(mail.pk))
    assert [e.after["status"] for e in entries.order_by("pk")] == ["quarantined", "processed"]
    # Processing a processed mail again is a harmless repeat; an ignored one cannot be processed again.
    assert services.inbound_reprocess(mail=done, actor=world.users["client_supervisor"]).work_order == done.work_order
    assert WorkOrder.objects.count() == 1
    ignored, _ = receive(mailbox, headers={"Auto-Submitted": "auto-replied"}, message_id="<ign@x>")
    with pytest.raises(InvalidTransition):
        services.inbound_reprocess(mail=ignored, actor=world.users["client_supervisor"])


def test_discard_deletes_the_raw_message_and_is_audited(world, mailbox, django_capture_on_commit_callbacks):
    mail, _ = receive(mailbox, sender="spam@elsewhere.example")
    stored = RawMessage.objects.get(mail=mail)
    path = stored.file.path
    with pytest.raises(NotAllowed):
        services.inbound_discard(mail=mail, actor=world.users["auditor"])
    with django_capture_on_commit_callbacks(execute=True):
        done = services.inbound_discard(mail=mail, actor=world.users["client_admin"])
    assert done.status == "discarded"
    assert not RawMessage.objects.exists()
    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(action="mailintake.inboundmail.discard", object_id=str(mail.pk)).exists()


def test_mailbox_configuration_is_for_client_administrators(world, mailbox):
    from oversight.core.errors import ApplicationError

    mailbox.name = "Renamed"
    with pytest.raises(NotAllowed):
        services.mailbox_save(mailbox=mailbox, fields=["name"], actor=world.users["client_supervisor"])
    mailbox.password_env = "hunter2 is my password"
    with pytest.raises(ApplicationError):
        services.mailbox_save(mailbox=mailbox, fields=["password_env"], actor=world.users["client_admin"])
    mailbox.password_env = ""
    mailbox.service = world.foreign_service
    with pytest.raises(ApplicationError):
        services.mailbox_save(mailbox=mailbox, fields=["service"], actor=world.users["client_admin"])
