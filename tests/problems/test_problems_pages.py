"""The problem pages: list, detail, create (also from ticked incidents), edit, analysis, transitions, links,
the workaround, known errors, suggestions and settings, in Chinese and English, for the roles that use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from oversight.core import clock
from oversight.problems import services
from oversight.problems.choices import SuggestionStatus
from oversight.problems.models import KnownError, Problem, ProblemIncident, ProblemSettings, ProblemSuggestion
from oversight.tickets.models import Comment


def _client(client, user):
    client.force_login(user)
    return client


def _analysed(problem, world, **extra):
    return services.problem_update_analysis(
        actor=world.users["client_supervisor"],
        problem=problem,
        root_cause="Firmware bug",
        workaround="Restart the spooler",
        five_whys=[{"why": "Why jam?", "answer": "Old firmware"}],
        fishbone={"machine": ["Old firmware"], "method": ["No update plan"]},
        **extra,
    )


def test_list_filters_sorts_and_counts_linked_incidents(world, client, problem, incident):
    a = problem(title="Printers jam", work_orders=[incident(), incident(title="Again")])
    b = problem(title="Network slow", service=world.other_service)
    c = _client(client, world.users["client_supervisor"])
    with translation.override("en"):
        page = c.get(reverse("problems:list"), {"sort": "incidents"}).content.decode()
    assert page.index(b.number) < page.index(a.number)  # 0 incidents before 2
    assert '<td data-label="Incidents">2</td>' in page
    only = c.get(reverse("problems:list"), {"q": "Network"}).content.decode()
    assert b.number in only and a.number not in only


def test_vendor_sees_only_its_problems_and_requester_is_refused(world, client, problem, incident):
    mine = problem(title="Ours", vendor=world.vendor)
    other = problem(title="Theirs", service=world.other_service)
    c = _client(client, world.users["vendor_agent"])
    page = c.get(reverse("problems:list")).content.decode()
    assert mine.number in page and other.number not in page
    assert c.get(reverse("problems:detail", args=[other.pk])).status_code == 404
    assert c.get(reverse("problems:create")).status_code == 403
    requester = _client(client, world.users["requester"])
    assert requester.get(reverse("problems:list")).status_code == 403


def test_create_prefilled_from_ticked_incidents_links_them(world, client, incident):
    a = incident(title="Ward 3 printer jams", description="Paper stuck")
    b = incident(title="Ward 5 printer jams")
    c = _client(client, world.users["client_supervisor"])
    # The bulk panel posts the ticked ids only: the prefilled form comes back first.
    with translation.override("en"):
        form = c.post(reverse("problems:create"), {"ids": [a.pk, b.pk]}).content.decode()
    assert "Paper stuck" in form and f'value="{world.service.pk}" selected' in form
    assert f'name="ids" value="{a.pk}"' in form
    response = c.post(
        reverse("problems:create"),
        {"ids": [a.pk, b.pk], "title": "Printers jam", "impact": 2, "urgency": 2, "service": world.service.pk},
    )
    created = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert set(ProblemIncident.objects.values_list("work_order", flat=True)) == {a.pk, b.pk}


def test_detail_shows_analysis_links_with_sla_and_actions(world, client, problem, incident):
    p = _analysed(problem(work_orders=[incident()]), world)
    c = _client(client, world.users["client_supervisor"])
    with translation.override("en"):
        page = c.get(p.get_absolute_url()).content.decode()
    for text in ("Why jam?", "Old firmware", "No update plan", "Restart the spooler", "On track", "Unlink"):
        assert text in page
    assert 'data-action="analyse"' in page and 'data-action="close"' not in page
    unlink_action = f'action="{reverse("problems:unlink", args=[p.pk])}"'
    assert unlink_action in page
    reader = _client(client, world.users["executive"])
    page = reader.get(p.get_absolute_url()).content.decode()
    assert "data-action=" not in page and unlink_action not in page and "On track" in page


def test_transitions_from_the_page_record_known_error(world, client, problem):
    p = _analysed(problem(), world)
    c = _client(client, world.users["client_supervisor"])
    url = reverse("problems:transition", args=[p.pk])
    c.post(url, {"action": "analyse", "version": p.version})
    p.refresh_from_db()
    c.post(url, {"action": "record_known_error", "version": p.version})
    p.refresh_from_db()
    assert p.status == "known_error"
    known = KnownError.objects.get(problem=p)
    assert known.workaround == "Restart the spooler"
    # A stale press changes nothing and says why.
    response = c.post(url, {"action": "cancel", "version": 1, "note": "dup"}, follow=True)
    p.refresh_from_db()
    assert p.status == "known_error" and response.status_code == 200


def test_cancel_needs_a_reason(world, client, problem):
    p = problem()
    c = _client(client, world.users["client_supervisor"])
    c.post(reverse("problems:transition", args=[p.pk]), {"action": "cancel", "version": p.version, "note": ""})
    p.refresh_from_db()
    assert p.status == "new"
    c.post(reverse("problems:transition", args=[p.pk]), {"action": "cancel", "version": p.version, "note": "dup"})
    p.refresh_from_db()
    assert p.status == "cancelled"


def test_edit_page_saves_details(world, client, problem):
    p = problem()
    c = _client(client, world.users["client_supervisor"])
    assert c.get(reverse("problems:edit", args=[p.pk])).status_code == 200
    response = c.post(
        reverse("problems:edit", args=[p.pk]),
        {"title": "Renamed", "impact": 1, "urgency": 1, "service": world.service.pk, "version": p.version},
    )
    p.refresh_from_db()
    assert response.status_code == 302 and (p.title, p.priority) == ("Renamed", "P1")


def test_analysis_page_by_the_attributed_vendor_manager(world, client, problem):
    p = problem(vendor=world.vendor)
    c = _client(client, world.users["vendor_manager"])
    data = {
        "version": p.version,
        "root_cause": "Driver",
        "workaround_effect": "works",
        "why_1": "Why?",
        "answer_1": "Driver",
        "fishbone_material": "Cheap paper\n\nDamp paper",
    }
    assert c.get(reverse("problems:analysis", args=[p.pk])).status_code == 200
    assert c.post(reverse("problems:analysis", args=[p.pk]), data).status_code == 302
    p.refresh_from_db()
    assert p.fishbone == {"material": ["Cheap paper", "Damp paper"]}
    assert p.five_whys == [{"why": "Why?", "answer": "Driver"}]
    # A gap in the whys is refused with the service's message.
    gap = data | {"why_1": "", "answer_1": "x", "version": p.version}
    with translation.override("en"):
        response = c.post(reverse("problems:analysis", args=[p.pk]), gap)
    assert response.status_code == 400 and "needs its question" in response.content.decode()


def test_link_unlink_and_communicate_workaround(world, client, problem, incident):
    p = _analysed(problem(), world)
    wo = incident()
    c = _client(client, world.users["client_supervisor"])
    c.post(reverse("problems:link", args=[p.pk]), {"numbers": f"{wo.number}, "})
    assert ProblemIncident.objects.filter(problem=p, work_order=wo).exists()
    with translation.override("en"):
        bad = c.post(reverse("problems:link", args=[p.pk]), {"numbers": "NOPE-1"})
    assert bad.status_code == 400 and "No work order NOPE-1" in bad.content.decode()
    p.refresh_from_db()
    c.post(reverse("problems:communicate", args=[p.pk]), {"version": p.version})
    c.post(reverse("problems:communicate", args=[p.pk]), {"version": p.version})  # the same page again: stale
    assert Comment.objects.filter(work_order=wo, is_internal=False, body__contains="Restart the spooler").count() == 1
    c.post(reverse("problems:unlink", args=[p.pk]), {"work_order": wo.pk})
    assert not ProblemIncident.objects.exists()


def test_known_error_list_search_detail_and_edit(world, client, problem):
    p = _analysed(problem(title="打印机卡纸"), world)
    services.problem_transition(actor=world.users["client_supervisor"], problem=p, action="analyse")
    services.problem_transition(actor=world.users["client_supervisor"], problem=p, action="record_known_error")
    known = KnownError.objects.get()
    c = _client(client, world.users["client_supervisor"])
    assert known.title in c.get(reverse("problems:known_errors"), {"q": "病房打印卡纸"}).content.decode()
    assert known.title not in c.get(reverse("problems:known_errors"), {"q": "网络中断"}).content.decode()
    assert c.get(known.get_absolute_url()).status_code == 200
    response = c.post(
        reverse("problems:known_error_edit", args=[known.pk]),
        {"title": "打印机卡纸（固件）", "symptom": "卡纸", "expires_on": "2030-01-01"},
    )
    known.refresh_from_db()
    assert response.status_code == 302 and known.expires_on == dt.date(2030, 1, 1)


def test_suggestion_accept_opens_problem_with_its_incidents(world, client, incident):
    a, b, d = incident(), incident(title="b"), incident(title="d")
    suggestion = ProblemSuggestion.objects.create(
        organisation=world.org,
        dimension="service",
        key=f"service:{world.service.pk}",
        service=world.service,
        work_order_ids=[a.pk, b.pk, d.pk],
        window_start=clock.now() - dt.timedelta(days=1),
        created_at=clock.now(),
    )
    c = _client(client, world.users["client_supervisor"])
    assert a.number in c.get(reverse("problems:suggestions")).content.decode()
    response = c.post(reverse("problems:suggestion_accept", args=[suggestion.pk]))
    problem = Problem.objects.get()
    assert response["Location"] == problem.get_absolute_url()
    assert problem.service == world.service and problem.incident_links.count() == 3
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.problem) == (SuggestionStatus.ACCEPTED, problem)
    # Accepting again is harmless: the same problem.
    c.post(reverse("problems:suggestion_accept", args=[suggestion.pk]))
    assert Problem.objects.count() == 1


def test_suggestion_dismiss_and_vendors_never_see_suggestions(world, client, incident):
    suggestion = ProblemSuggestion.objects.create(
        organisation=world.org,
        dimension="service",
        key="service:1",
        service=world.service,
        work_order_ids=[incident().pk],
        window_start=clock.now(),
        created_at=clock.now(),
    )
    assert _client(client, world.users["vendor_manager"]).get(reverse("problems:suggestions")).status_code == 403
    c = _client(client, world.users["client_supervisor"])
    c.post(reverse("problems:suggestion_dismiss", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DISMISSED


@pytest.mark.parametrize(("role", "status"), [("client_admin", 200), ("client_supervisor", 403)])
def test_settings_for_the_client_admin(world, client, role, status):
    c = _client(client, world.users[role])
    assert c.get(reverse("problems:settings")).status_code == status
    if status == 200:
        c.post(reverse("problems:settings"), {"min_incidents": 4, "window_days": 3})
        found = ProblemSettings.objects.get(organisation=world.org)
        assert (found.min_incidents, found.window_days, found.calendar) == (4, 3, None)


def test_pages_read_in_chinese_without_codes(world, client, problem, incident):
    user = world.users["client_supervisor"]
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    p = _analysed(problem(work_orders=[incident()]), world)
    c = _client(client, user)
    listing = c.get(reverse("problems:list")).content.decode()
    page = c.get(p.get_absolute_url()).content.decode()
    assert "新建问题" in listing and "已知错误" in listing
    for text in ("根因分析", "关联事件", "临时解决方案", "鱼骨图", "开始根因分析", "取消关联"):
        assert text in page
    for english in ("Linked incidents", "Root-cause analysis", "Unlink", "analysis</", ">new<"):
        assert english not in page
