"""A nurse types a fault on a phone: the knowledge base suggests an article as she types, she marks it as solving
her problem, and no work order is submitted (a deflection is counted)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.knowledge import services
from oversight.knowledge.models import Deflection
from oversight.tickets.models import WorkOrder
from tests.browser.browser_support import login

pytestmark = pytest.mark.browser


def test_browser_portal_suggests_articles_while_typing_on_a_phone(world, new_context):
    author, approver = world.users["vendor_agent"], world.users["client_supervisor"]
    article = services.article_create(
        actor=author,
        title="病房打印机卡纸怎么办",
        title_en="Ward printer paper jam",
        body="打开后盖，取出卡住的纸。",
        body_en="Open the back cover and remove the jammed paper.",
        audience="requesters",
    )
    article = services.article_transition(actor=author, article=article, action="submit")
    services.article_transition(actor=approver, article=article, action="publish")

    page = new_context(viewport={"width": 375, "height": 812}).new_page()
    login(page, world.users["requester"])
    page.goto("/portal/new/")
    page.locator("#id_title").press_sequentially("printer paper jam", delay=20)
    suggestion = page.get_by_test_id("kb-suggestions").locator(f'li[data-number="{article.number}"]')
    expect(suggestion).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    before = WorkOrder.objects.count()
    suggestion.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{page.url.split('/portal/')[0]}/portal/")
    assert WorkOrder.objects.count() == before
    deflection = Deflection.objects.get()
    assert (deflection.article_id, deflection.typed_title) == (article.pk, "printer paper jam")
