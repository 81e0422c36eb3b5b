"""What the problems app adds to the work-order pages: the linked problem, the bulk "open a problem" button
and the known errors matching a work order as it is typed."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from oversight.problems import services
from oversight.problems.models import KnownError


def _client(client, user):
    client.force_login(user)
    return client


def test_work_order_page_shows_its_problem_to_whoever_sees_both(world, client, problem, incident):
    wo = incident()
    p = problem(title="Ward printers jam", work_orders=[wo])
    url = reverse("tickets:detail", args=[wo.number])
    for role in ("client_supervisor", "vendor_agent"):
        page = _client(client, world.users[role]).get(url).content.decode()
        assert 'data-testid="work-order-problem"' in page and p.number in page, role
    requester_page = _client(client, world.users["requester"]).get(url).content.decode()
    assert p.number not in requester_page and 'data-testid="work-order-problem"' not in requester_page


def test_unlinked_incident_offers_operators_to_open_a_problem(world, client, incident):
    wo = incident()
    url = reverse("tickets:detail", args=[wo.number])
    page = _client(client, world.users["client_supervisor"]).get(url).content.decode()
    assert f"{reverse('problems:create')}?ids={wo.pk}" in page
    page = _client(client, world.users["vendor_agent"]).get(url).content.decode()
    assert 'data-testid="work-order-problem"' not in page


def test_bulk_panel_button_for_operators_only(world, client):
    board = reverse("tickets:board")
    page = _client(client, world.users["client_supervisor"]).get(board).content.decode()
    assert 'data-testid="bulk-problem"' in page and f'formaction="{reverse("problems:create")}"' in page
    page = _client(client, world.users["executive"]).get(board).content.decode()
    assert 'data-testid="bulk-problem"' not in page


def test_known_errors_suggested_while_typing(world, client, problem):
    sup = world.users["client_supervisor"]
    p = services.problem_update_analysis(
        actor=sup,
        problem=problem(title="打印机卡纸", vendor=world.vendor),
        root_cause="固件",
        workaround="重启打印服务",
    )
    services.problem_transition(actor=sup, problem=p, action="analyse")
    services.problem_transition(actor=sup, problem=p, action="record_known_error")
    known = KnownError.objects.get()
    url = reverse("problems:known_error_suggest")
    hit = _client(client, world.users["vendor_agent"]).get(url, {"title": "三病区打印机卡纸", "description": ""})
    assert known.title in hit.content.decode() and "重启打印服务" in hit.content.decode()
    miss = _client(client, world.users["other_vendor_agent"]).get(url, {"title": "打印机卡纸"})
    assert known.title not in miss.content.decode()  # another vendor's known error stays hidden
    assert _client(client, world.users["requester"]).get(url, {"title": "打印机卡纸"}).status_code == 403


def test_new_work_order_form_carries_the_htmx_search_for_staff_only(world, client):
    with translation.override("en"):
        page = _client(client, world.users["client_supervisor"]).get(reverse("tickets:create")).content.decode()
    assert reverse("problems:known_error_suggest") in page and "<script>" not in page.split("<main")[1]
    page = _client(client, world.users["requester"]).get(reverse("tickets:create")).content.decode()
    assert reverse("problems:known_error_suggest") not in page
