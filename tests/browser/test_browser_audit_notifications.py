"""On a 375 px phone, in Chinese: the audit trail with its before/after tables open, grouped notifications
marked all read over htmx (the bell follows), and the e-mail settings; no page scrolls sideways."""

from __future__ import annotations

import pytest

from oversight.notifications.services import notification_create
from oversight.tickets import services
from tests.browser.browser_support import PHONE, artifact, login, zh

pytestmark = pytest.mark.browser

NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


def _chinese(user):
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    return user


def test_audit_trail_on_a_phone_in_chinese(world, new_context):
    supervisor = world.users["client_supervisor"]
    work_order = services.work_order_create(
        actor=world.users["requester"], service=world.service, title="打印机卡纸，病房急用" * 3
    )
    services.work_order_change_priority(
        actor=supervisor, work_order=work_order, impact=1, urgency=1, reason="病房停用" * 10
    )
    page = new_context(**PHONE).new_page()
    page.set_default_navigation_timeout(60_000)  # the first request of a module warms the live server up
    login(page, _chinese(world.users["auditor"]))
    page.goto("/audit/")
    assert page.locator("#audit-results").get_by_text(zh("Work order priority changed")).is_visible()
    page.locator("details.card.filters > summary").click()
    page.locator("#audit-results details summary").first.click()
    page.locator("#audit-results details summary").nth(1).click()
    page.screenshot(path=artifact("audit-phone-zh.png"), full_page=True)
    assert page.evaluate(NO_SIDEWAYS), page.evaluate("document.documentElement.scrollWidth")
    # A checkbox filter of the shared list form, applied over htmx.
    page.locator("#id_action > summary").click()
    page.locator("#id_action input[value='tickets.workorder.priority_changed']").check()
    page.get_by_role("button", name=zh("Apply")).click()
    page.wait_for_url("**action=tickets.workorder.priority_changed**")
    assert page.locator("table.audit-table > tbody > tr").count() == 1
    assert page.evaluate(NO_SIDEWAYS)


def test_notifications_grouped_and_marked_all_read_on_a_phone(world, new_context):
    agent = _chinese(world.users["vendor_agent"])
    work_order = services.work_order_create(actor=world.users["requester"], service=world.service, title="显示器黑屏")
    for n in range(3):
        notification_create(
            recipient=agent, kind="commented", dedupe_key=f"b:{n}", subject=f"新评论 {n}", work_order=work_order
        )
    page = new_context(**PHONE).new_page()
    page.set_default_navigation_timeout(60_000)  # the first request of a module warms the live server up
    login(page, agent)
    page.goto("/notifications/")
    group = page.locator(".notification-group summary")
    assert f"{work_order.number} 有 3 条更新" in group.inner_text()
    group.click()
    assert page.evaluate(NO_SIDEWAYS)
    assert page.locator("[data-testid=unread-count]").inner_text() == "3"
    page.get_by_role("button", name=zh("Mark all as read")).click()
    page.locator("[data-testid=unread-count]").wait_for(state="detached")
    assert page.locator(".notification-group.unread").count() == 0
    page.screenshot(path=artifact("notifications-phone-zh.png"), full_page=True)
    page.goto("/preferences/notifications/")
    assert page.get_by_text(zh("Send me an e-mail for")).is_visible()
    page.uncheck("input[name=email][value=sla_breach]")
    page.get_by_role("button", name=zh("Save")).click()
    page.wait_for_url("**/preferences/notifications/")
    assert not page.is_checked("input[name=email][value=sla_breach]")
    assert page.evaluate(NO_SIDEWAYS)
