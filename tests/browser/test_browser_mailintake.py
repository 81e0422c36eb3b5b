"""A client administrator on a phone reads the mail log, opens a quarantined mail from a doctor who had no
account yet, processes it again once the doctor was added, and follows it to its new work order."""

from __future__ import annotations

import mailbox as mailbox_lib

import pytest
from playwright.sync_api import expect

from oversight.mailintake import services
from oversight.mailintake.models import Mailbox
from tests.browser.browser_support import PHONE, artifact, en, login

pytestmark = pytest.mark.browser

RAW = (
    b"From: =?utf-8?B?5p2O5Yy755Sf?= <NewDoc@example.org>\r\nTo: helpdesk@hospital.example\r\n"
    b"Subject: =?gb2312?B?x/PW+qO6w8XV77XnxNS62sbB?=\r\nMessage-ID: <browser-1@x>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nThe consulting room PC is off.\r\n"
)


def test_browser_quarantined_mail_is_processed_again_on_a_phone(world, new_context, tmp_path):
    admin = world.users["client_admin"]
    path = tmp_path / "Maildir"
    mailbox_lib.Maildir(str(path), create=True)
    box = services.mailbox_save(
        mailbox=Mailbox(organisation=world.org, name="Helpdesk", address="helpdesk@hospital.example",
                        kind="maildir", path=str(path), service=world.service),
        fields=None, actor=admin,
    )  # fmt: skip
    mail, _ = services.mail_receive(mailbox=box, raw=RAW)
    assert mail.reason == "unknown_sender"

    page = new_context(**PHONE).new_page()
    login(page, admin)
    page.goto("/mail/")
    log = page.get_by_test_id("mail-log")
    expect(log).to_contain_text(en("The sender is not known"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    log.get_by_role("link", name="求助：门诊电脑黑屏").click()
    expect(page.get_by_test_id("mail-reason")).to_have_text(en("The sender is not known"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=artifact("mail-quarantined-phone.png"), full_page=True)

    world.users["requester_2"].email = "newdoc@example.org"
    world.users["requester_2"].save(update_fields=["email"])
    page.get_by_role("button", name=en("Process again")).click()
    expect(page.get_by_test_id("mail-status")).to_have_text(en("Processed"))
    mail.refresh_from_db()
    page.get_by_role("link", name=mail.work_order.number).click()
    expect(page.locator("h1")).to_contain_text("求助：门诊电脑黑屏")
