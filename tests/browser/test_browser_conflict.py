"""Two people on the same work order in two browsers: the second gets a clear conflict, nothing is overwritten."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.tickets import services
from oversight.tickets.choices import Status
from oversight.tickets.models import WorkOrder
from tests.browser.browser_support import en, login

pytestmark = pytest.mark.browser

CONFLICT = "changed by someone else"


def open_work_order(new_context, user, number: str):
    page = new_context().new_page()
    login(page, user)
    page.goto(f"/wo/{number}/")
    return page


def test_browser_stale_page_gets_a_conflict(world, new_context):
    agent, manager = world.users["vendor_agent"], world.users["vendor_manager"]
    work_order = services.work_order_create(
        actor=world.users["requester"],
        service=world.service,
        offering=world.onsite_offering,
        title="Infusion pump dock offline",
    )
    work_order = services.work_order_transition(actor=agent, work_order=work_order, action="accept")

    agent_page = open_work_order(new_context, agent, work_order.number)
    manager_page = open_work_order(new_context, manager, work_order.number)
    expect(agent_page.get_by_test_id("status")).to_have_text(en("Accepted"))
    expect(manager_page.get_by_test_id("status")).to_have_text(en("Accepted"))

    # 1. The agent arrives; the manager, on the page as it was, tries to resolve it.
    agent_page.get_by_test_id("primary-action").locator("button[type=submit]").click()
    expect(agent_page.get_by_test_id("status")).to_have_text(en("On site"))

    manager_primary = manager_page.get_by_test_id("primary-action")
    manager_page.locator("#action-resolve > summary").click()
    manager_page.fill("#action-resolve textarea[name=resolution]", "Manager: rebooted the dock remotely")
    manager_page.locator("#action-resolve button[type=submit]").click()
    expect(manager_page.locator(".messages .alert-error")).to_contain_text(CONFLICT)
    # The page now shows the current state, with what the manager typed still there to resubmit.
    expect(manager_page.get_by_test_id("status")).to_have_text(en("On site"))
    expect(manager_page.locator("#action-resolve textarea[name=resolution]")).to_have_value(
        "Manager: rebooted the dock remotely"
    )
    expect(manager_primary).to_have_count(1)

    work_order.refresh_from_db()
    assert work_order.status == Status.ON_SITE
    assert work_order.resolution == ""
    assert work_order.resolved_at is None
    version_after_arrival = work_order.version

    # 2. Both edit the title: the manager (now up to date) saves first, the agent's page is stale.
    manager_page.locator("#panel-edit > summary").click()
    manager_page.fill("#panel-edit input[name=title]", "Infusion pump dock 3 offline")
    manager_page.locator("#panel-edit button[type=submit]").click()
    expect(manager_page.locator(".wo-heading")).to_have_text("Infusion pump dock 3 offline")

    agent_page.locator("#panel-edit > summary").click()
    agent_page.fill("#panel-edit input[name=title]", "Pump dock fixed?")
    agent_page.locator("#panel-edit button[type=submit]").click()
    expect(agent_page.locator(".messages .alert-error")).to_contain_text(CONFLICT)
    expect(agent_page.locator(".wo-heading")).to_have_text("Infusion pump dock 3 offline")
    expect(agent_page.locator("#panel-edit")).to_have_attribute("open", "")
    expect(agent_page.locator("#panel-edit input[name=title]")).to_have_value("Pump dock fixed?")

    work_order = WorkOrder.objects.get(pk=work_order.pk)
    assert work_order.title == "Infusion pump dock 3 offline"
    assert work_order.version == version_after_arrival + 1
    assert work_order.status == Status.ON_SITE
