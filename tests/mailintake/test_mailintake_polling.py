"""Polling: a maildir's new mails are processed and moved to cur/, an IMAP folder is read by UID and flagged
\\Seen, the command and the task poll every active mailbox, and a broken mailbox is reported, not raised."""

from __future__ import annotations

import os

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from oversight.core.errors import ApplicationError
from oversight.mailintake import services
from oversight.mailintake.models import InboundMail, Mailbox
from oversight.mailintake.tasks import poll_mailboxes
from oversight.tickets.models import WorkOrder
from tests.mailintake.conftest import build_mail, deliver
from tests.mailintake.imap_fake import FakeFolder, FakeImapServer


def test_maildir_poll_processes_new_mails_and_moves_them_to_cur(world, mailbox, maildir):
    deliver(maildir, build_mail(message_id="<p1@x>", subject="Printer"))
    deliver(maildir, build_mail(message_id="<p2@x>", headers={"Auto-Submitted": "auto-replied"}))
    deliver(maildir, build_mail(message_id="<p3@x>", sender="stranger@elsewhere.example"))
    deliver(maildir, build_mail(message_id="<p4@x>", subject="Scanner"))
    result = services.mailbox_poll(mailbox_id=mailbox.pk)
    assert (result.read, result.new, result.processed, result.ignored, result.quarantined) == (4, 4, 2, 1, 1)
    assert os.listdir(maildir / "new") == []
    assert sorted(name.split(":", 1)[1] for name in os.listdir(maildir / "cur")) == ["2,S"] * 4
    assert sorted(WorkOrder.objects.values_list("title", flat=True)) == ["Printer", "Scanner"]
    # Nothing new: a second poll reads nothing; the same mail delivered again is a duplicate.
    assert services.mailbox_poll(mailbox_id=mailbox.pk).read == 0
    deliver(maildir, build_mail(message_id="<p1@x>", subject="Printer"))
    again = services.mailbox_poll(mailbox_id=mailbox.pk)
    assert (again.read, again.new, again.duplicates) == (1, 0, 1)
    assert WorkOrder.objects.count() == 2
    assert InboundMail.objects.get(message_id="p1@x").copies == 2


def test_a_missing_maildir_is_reported_on_the_mailbox(world, mailbox, tmp_path):
    Mailbox.objects.filter(pk=mailbox.pk).update(path=str(tmp_path / "nowhere"))
    result = services.mailbox_poll(mailbox_id=mailbox.pk)
    assert str(tmp_path / "nowhere") in result.error
    mailbox.refresh_from_db()
    assert mailbox.last_error == result.error and mailbox.last_polled_at is not None
    with pytest.raises(ApplicationError):
        services.mailbox_test_connection(mailbox=mailbox, actor=world.users["client_admin"])


def test_command_and_task_poll_every_active_mailbox(world, mailbox, maildir, capsys):
    deliver(maildir, build_mail(message_id="<c1@x>"))
    call_command("mail_poll")
    assert "1 read, 1 new (1 processed, 0 ignored, 0 quarantined)" in capsys.readouterr().out
    deliver(maildir, build_mail(message_id="<c2@x>", subject="Second"))
    assert poll_mailboxes.delay().get() == 1
    Mailbox.objects.filter(pk=mailbox.pk).update(is_active=False)
    deliver(maildir, build_mail(message_id="<c3@x>", subject="Third"))
    assert poll_mailboxes.delay().get() == 0
    with pytest.raises(CommandError):
        call_command("mail_poll", "--mailbox", "999999")


@pytest.fixture
def imap_mailbox(world, monkeypatch):
    def make(port):
        monkeypatch.setenv("TEST_IMAP_PASSWORD", "secret")
        box = Mailbox(
            organisation=world.org,
            name="IMAP helpdesk",
            address="helpdesk@hospital.example",
            kind="imap",
            host="127.0.0.1",
            port=port,
            use_ssl=False,
            username="helpdesk",
            password_env="TEST_IMAP_PASSWORD",
            service=world.service,
        )
        return services.mailbox_save(mailbox=box, fields=None, actor=world.users["client_admin"])

    return make


def test_imap_poll_reads_new_uids_and_flags_them_seen(world, imap_mailbox):
    folder = FakeFolder()
    folder.add(build_mail(message_id="<i1@x>", subject="VPN down"))
    folder.add(build_mail(message_id="<i2@x>", sender="MAILER-DAEMON@mx.example.org"))
    with FakeImapServer(folder) as server:
        box = imap_mailbox(server.port)
        with translation.override("en"):
            said = services.mailbox_test_connection(mailbox=box, actor=world.users["client_admin"])
        assert said == "Connected: 2 messages in the folder."
        result = services.mailbox_poll(mailbox_id=box.pk)
        assert (result.read, result.processed, result.ignored, result.error) == (2, 1, 1, "")
        assert folder.flags == {1: {"\\Seen"}, 2: {"\\Seen"}}
        box.refresh_from_db()
        assert (box.last_uid, box.last_uid_validity) == (2, 7)
        # Only UIDs above the last one read are fetched next time.
        folder.add(build_mail(message_id="<i3@x>", subject="Phone dead"))
        assert services.mailbox_poll(mailbox_id=box.pk).read == 1
        # A new UIDVALIDITY starts again from the first UID; the dedupe keeps it harmless.
        folder.uid_validity = 8
        again = services.mailbox_poll(mailbox_id=box.pk)
        assert (again.read, again.new, again.duplicates) == (3, 0, 3)
    assert sorted(WorkOrder.objects.values_list("title", flat=True)) == ["Phone dead", "VPN down"]


def test_imap_errors_are_clear(world, imap_mailbox, monkeypatch):
    folder = FakeFolder(password="other")
    with FakeImapServer(folder) as server:
        box = imap_mailbox(server.port)
        with translation.override("en"), pytest.raises(ApplicationError, match="refused the user name or the pass"):
            services.mailbox_test_connection(mailbox=box, actor=world.users["client_admin"])
        monkeypatch.delenv("TEST_IMAP_PASSWORD")
        with translation.override("en"):
            assert "TEST_IMAP_PASSWORD is not set" in services.mailbox_poll(mailbox_id=box.pk).error
    monkeypatch.setenv("TEST_IMAP_PASSWORD", "secret")
    with translation.override("en"), pytest.raises(ApplicationError, match="Could not read 127.0.0.1"):
        services.mailbox_test_connection(mailbox=box, actor=world.users["client_admin"])
