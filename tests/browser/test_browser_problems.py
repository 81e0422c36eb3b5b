"""A supervisor turns recurring incidents into a problem in Chromium: ticks them on the board, opens the problem
prefilled from them, analyses it with 5 whys, records the known error and sends the workaround to every linked
open incident; the problem's page fits a 375 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.problems.models import KnownError, Problem
from oversight.tickets import services as tickets
from oversight.tickets.models import Comment
from tests.browser.browser_support import PHONE, en, fits_the_phone, login

pytestmark = pytest.mark.browser

WHYS = [
    ("Why do the ward printers jam?", "The paper is damp."),
    ("Why is the paper damp?", "It is stored beside the steriliser."),
    ("Why is it stored there?", "The ward store room was taken for beds."),
]
WORKAROUND = "Keep one ream in the sealed box and load only from it."


def incidents(world) -> list:
    """Three incidents on the same service, accepted by its vendor's agent, and one of another vendor."""
    made = []
    for title in ("Printer in ward 3 jams", "Ward 5 printer paper jam", "Label printer jams on ward 3"):
        wo = tickets.work_order_create(actor=world.users["requester"], service=world.service, title=title)
        made.append(tickets.work_order_transition(actor=world.users["vendor_agent"], work_order=wo, action="accept"))
    tickets.work_order_create(actor=world.users["requester"], service=world.other_service, title="Wi-Fi slow")
    return made


def test_browser_problem_from_ticked_incidents_to_communicated_workaround(world, new_context):
    ticked = incidents(world)
    supervisor = world.users["client_supervisor"]
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(page, supervisor)

    # 1. Tick the three incidents on the board and open one problem from them: the form is prefilled.
    page.goto("/board/")
    for wo in ticked:
        page.locator(f"input[name=ids][value='{wo.pk}']").check()
    page.locator("#bulk > summary").click()
    page.get_by_test_id("bulk-problem").click()
    expect(page.get_by_test_id("selected-incidents").locator("li")).to_have_count(3)
    expect(page.locator("#id_title")).to_have_value(ticked[0].title)
    description = page.locator("#id_description").input_value()
    assert all(wo.number in description and wo.title in description for wo in ticked)
    expect(page.locator("#id_service")).to_have_value(str(world.service.pk))
    page.fill("#id_title", "Ward printers jam")
    page.locator("form[action='/problems/new/'] button[type=submit]").click()

    problem = Problem.objects.get(title="Ward printers jam")
    expect(page).to_have_url(f"{page.url.split('/problems/')[0]}/problems/{problem.pk}/")
    expect(page.get_by_test_id("status")).to_have_text(en("New"))
    expect(page.get_by_test_id("incidents").locator("a.wo-link")).to_have_count(3)
    assert set(problem.incident_links.values_list("work_order__number", flat=True)) == {wo.number for wo in ticked}

    # 2. Start the analysis and write the 5 whys, the root cause and the workaround.
    page.locator("button[data-action=analyse]").click()
    expect(page.get_by_test_id("status")).to_have_text(en("Root-cause analysis"))
    page.get_by_test_id("analysis-link").click()
    for n, (why, answer) in enumerate(WHYS, start=1):
        page.fill(f"#id_why_{n}", why)
        page.fill(f"#id_answer_{n}", answer)
    page.select_option("#id_root_cause_category", "environment")
    page.fill("#id_root_cause", "Paper stored in a humid room next to the steriliser.")
    page.fill("#id_workaround", WORKAROUND)
    page.select_option("#id_workaround_effect", "works")
    page.locator(f"form[action='/problems/{problem.pk}/analysis/'] button[type=submit]").click()
    expect(page.get_by_test_id("analysis").locator("ol.why-list li")).to_have_count(len(WHYS))
    for why, answer in WHYS:
        expect(page.get_by_test_id("analysis")).to_contain_text(f"{why} — {answer}")

    # 3. Record the known error: the record carries the analysis and is linked from the page.
    page.locator("button[data-action=record_known_error]").click()
    expect(page.get_by_test_id("status")).to_have_text(en("Known error"))
    known = KnownError.objects.get(problem=problem)
    assert (known.workaround, known.root_cause) == (WORKAROUND, "Paper stored in a humid room next to the steriliser.")
    expect(page.locator(f"a[href='/problems/known-errors/{known.pk}/']")).to_have_text(known.title)

    # 4. Send the workaround: each linked open incident gets one public comment with it.
    page.get_by_test_id("communicate").click()
    expect(page.locator(".messages")).to_contain_text(
        en("The workaround was sent to %(count)s open incident(s).") % {"count": 3}
    )
    for wo in ticked:
        comments = Comment.objects.filter(work_order=wo, body__contains=WORKAROUND)
        assert comments.count() == 1 and not comments.get().is_internal

    # 5. The problem's page on a phone: everything readable, no sideways scroll.
    phone = new_context(**PHONE).new_page()
    login(phone, supervisor)
    phone.goto(f"/problems/{problem.pk}/")
    expect(phone.get_by_test_id("incidents").locator("a.wo-link")).to_have_count(3)
    assert fits_the_phone(phone), phone.evaluate("document.scrollingElement.scrollWidth")
    phone.goto(f"/problems/{problem.pk}/analysis/")
    assert fits_the_phone(phone), phone.evaluate("document.scrollingElement.scrollWidth")
