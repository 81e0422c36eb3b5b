"""The notification channels and the escalation matrix in the browser: a client administrator adds a 钉钉 robot
pointing at a local receiver (first refused as an internal address, then allowed), sends a test that the receiver
verifies, finds it in the delivery log, sets a person's chat IDs, and changes a level of the escalation matrix
(a refused wait first, with its reason); then every one of these pages is read on a phone, in Chinese and in
English, with no sideways scroll and no English word left on the Chinese pages' headings and tables."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from oversight.liaisons.choices import Delivery as LevelDelivery
from oversight.liaisons.choices import LiaisonRole, Trigger
from oversight.liaisons.services.liaisons import matrix_save, rule_save
from oversight.notifications.channels.models import Channel, ChatIdentity, Delivery
from tests.browser.browser_support import PHONE, artifact, en, fits_the_phone, login, zh
from tests.notifications.channel_sinks import running

pytestmark = pytest.mark.browser
# A Latin word on a Chinese page, besides the product's name and the kept abbreviations.
LATIN = re.compile(r"[A-Za-z]{3,}")
KEPT = {"Oversight", "SLA", "API"}


@pytest.fixture
def sink():
    with running("dingtalk", "SECbrowser-secret") as receiver:
        yield receiver


@pytest.fixture
def matrix(world):
    admin = world.users["client_admin"]
    matrix = matrix_save(actor=admin, organisation=world.org, calendar=world.calendar)
    for level, wait in ((1, "1"), (2, "4"), (3, "16")):
        rule_save(
            actor=admin,
            matrix=matrix,
            trigger=Trigger.OPEN_COMPLAINT,
            level=level,
            wait_hours=Decimal(wait),
            roles=[LiaisonRole.PROJECT_MANAGER],
            delivery=LevelDelivery.IN_APP,
        )
    return matrix


def _speak(user, language):
    user.language = language
    user.save(update_fields=["language"])


def test_browser_channel_test_delivery_log_chat_ids_and_matrix_edit(world, new_context, sink, matrix):
    admin = world.users["client_admin"]
    _speak(admin, "en")
    page = new_context().new_page()
    login(page, admin)

    # Add a channel: the receiver on 127.0.0.1 is refused until the administrator allows it.
    page.goto("/notifications/channels/new/")
    page.select_option("#id_kind", "dingtalk")
    page.fill("#id_name", "Duty robot")
    page.fill("#id_url", sink.url)
    page.fill("#id_secret", sink.secret)
    page.locator("main form[method=post] button[type=submit]").first.click()
    expect(page.get_by_text("internal network (127.0.0.1)", exact=False)).to_be_visible()
    page.fill("#id_url", sink.url)
    page.fill("#id_secret", sink.secret)
    page.fill("#id_allowed_hosts", "127.0.0.1")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/notifications/channels/\d+/$"))
    channel = Channel.objects.get(name="Duty robot")
    assert sink.url not in page.content() and sink.secret not in page.content()

    # Send test: the receiver checks the 钉钉 signature and the page shows its answer.
    page.get_by_role("button", name=en("Send test")).click()
    expect(page.get_by_test_id("test-result")).to_contain_text(en("Delivered"))
    assert sink.verdicts == [True]
    assert "Test message from Oversight" in sink.received[0].json["markdown"]["text"]

    # The delivery log lists it.
    page.goto("/notifications/deliveries/")
    expect(page.get_by_test_id("delivery-table")).to_contain_text("Test message from Oversight")
    delivery = Delivery.objects.get(channel=channel, is_test=True)
    page.goto(f"/notifications/deliveries/{delivery.pk}/")
    expect(page.locator("h1")).to_contain_text("Test message from Oversight")

    # A person's chat IDs, set by the administrator (a bad one first).
    agent = world.users["vendor_agent"]
    page.goto("/notifications/chat-ids/people/")
    page.get_by_role("link", name=agent.get_full_name() or agent.username, exact=True).click()
    page.fill("#id_wecom_user_id", "not valid!")
    page.locator("main form[method=post] button[type=submit]").first.click()
    expect(page.locator(".errorlist, .alert-error, .error").first).to_contain_text("WeCom account ID")
    page.fill("#id_wecom_user_id", "agent.wang")
    page.fill("#id_dingtalk_user_id", "agent0042")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_url("**/notifications/chat-ids/people/")
    expect(page.get_by_test_id("chat-people-table")).to_contain_text("agent0042")
    assert ChatIdentity.objects.get(user=agent).wecom_user_id == "agent.wang"

    # Change a level of the escalation matrix: a wait longer than level 3's is refused with the reason.
    rule = matrix.rules.get(level=2)
    page.goto(f"/liaisons/matrices/{matrix.pk}/")
    page.locator(f"a[href='/liaisons/levels/{rule.pk}/edit/']").click()
    page.fill("#id_wait_hours", "20")
    page.locator("main form[method=post] button[type=submit]").first.click()
    expect(page.get_by_text("A higher level must not wait less than a lower one.")).to_be_visible()
    page.fill("#id_wait_hours", "8")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_url(f"**/liaisons/matrices/{matrix.pk}/")
    expect(page.get_by_text(en("The level was changed."))).to_be_visible()
    rule.refresh_from_db()
    assert rule.wait_hours == Decimal("8.00")

    # Every page on a phone, in English and in Chinese.
    pages = [
        ("/notifications/channels/", "Notification channels"),
        (f"/notifications/channels/{channel.pk}/", None),
        ("/notifications/channels/new/", "New channel"),
        ("/notifications/deliveries/", "Delivery log"),
        (f"/notifications/deliveries/{delivery.pk}/", None),
        ("/notifications/chat-ids/", "My chat IDs"),
        ("/notifications/chat-ids/people/", "Chat IDs"),
        (f"/notifications/chat-ids/people/{agent.pk}/", None),
        (f"/liaisons/matrices/{matrix.pk}/", None),
        (f"/liaisons/levels/{rule.pk}/edit/", None),
    ]
    for language, words in (("en", en), ("zh-hans", zh)):
        _speak(admin, language)
        phone = new_context(**PHONE).new_page()
        login(phone, admin)
        for url, heading in pages:
            response = phone.goto(url)
            assert response.status == 200, url
            if heading:
                expect(phone.locator("h1").first).to_have_text(words(heading))
            assert fits_the_phone(phone), f"{url} is wider than the phone in {language}"
            if language == "zh-hans":
                visible = (
                    phone.locator("main").inner_text() if phone.locator("main").count() else phone.inner_text("body")
                )
                chrome = " ".join(phone.locator("h1, h2, th, label, .tab, .btn, .help, .muted").all_inner_texts())
                leftovers = {w for w in LATIN.findall(chrome) if w not in KEPT}
                leftovers -= {"Duty", "robot", "Test", "message", "from", "agent", "wang"}  # data, not UI
                assert not leftovers, f"{url}: English left on a Chinese page: {sorted(leftovers)}"
                assert re.search(r"[\u4e00-\u9fff]", visible), url
        phone.goto(f"/liaisons/levels/{rule.pk}/edit/")
        phone.screenshot(path=artifact(f"matrix-level-edit-{language}.png"), full_page=True)
        phone.goto(f"/notifications/channels/{channel.pk}/")
        phone.screenshot(path=artifact(f"channel-detail-{language}.png"), full_page=True)
