"""Every list's shared controls: checkbox filters with "All", sortable headers, the workbench's filters."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from oversight.core import clock
from oversight.tickets import services

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)

LISTS = [
    ("client_supervisor", "/board/"),
    ("vendor_agent", "/workbench/"),
    ("client_admin", "/contracts/"),
    ("client_admin", "/scorecards/"),
    ("client_supervisor", "/complaints/"),
    ("client_admin", "/settlement/"),
]


def numbers_in(html: str) -> list[str]:
    """Work-order numbers in the order the table shows them."""
    return re.findall(r'class="wo-link" href="/wo/([^/"]+)/"', html)


@pytest.mark.parametrize(("role", "url"), LISTS)
def test_list_filters_are_checkboxes_with_all_and_never_dashes(world, web, role, url):
    html = web(role).get(url).content.decode()
    assert "---------" not in html
    assert "<select multiple" not in html and 'multiple id="id_' not in html


@pytest.mark.parametrize(("role", "url"), [lst for lst in LISTS if lst[1] != "/settlement/"])
def test_multi_choice_filters_are_checkbox_dropdowns_that_say_all(world, web, role, url):
    html = web(role).get(url).content.decode()
    assert 'class="choice-dropdown"' in html
    assert re.search(r'<input type="checkbox" name="status" value="[a-z_]+"', html)
    assert 'data-filter="status"' in html


def test_chinese_filter_page_says_quanbu_and_shows_no_english_placeholder(world, web):
    user = world.users["client_admin"]
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    html = web(user).get("/scorecards/").content.decode()
    assert "全部" in html
    assert "---------" not in html
    assert "请选择" in html  # the open-a-period form's empty choice
    assert ">All<" not in html


def test_chosen_values_are_named_in_the_dropdown_summary(world, web):
    html = web("client_admin").get("/contracts/?status=active").content.decode()
    match = re.search(r'data-filter="status">\s*<summary><span class="choice-summary">([^<]+)</span>', html)
    assert match is not None and match.group(1) != "All"
    assert '<input type="checkbox" name="status" value="active" checked>' in html
    assert 'data-testid="active-filters">1<' in html


def test_board_sorts_by_a_header_both_ways_with_aria_sort(world, web, wo):
    with clock.frozen_at(T0):
        first = wo(title="Bravo")
    with clock.frozen_at(T0 + dt.timedelta(minutes=1)):
        second = wo(title="Alpha")
    client = web("client_supervisor")
    by_title = client.get("/board/?sort=title").content.decode()
    assert numbers_in(by_title) == [second.number, first.number]
    assert re.search(r'<th scope="col" aria-sort="ascending"><a class="sort-link" href="\?sort=-title">Title', by_title)
    assert '<th scope="col" aria-sort="none"><a class="sort-link" href="?sort=number">Number' in by_title
    reverse = client.get("/board/?sort=-title").content.decode()
    assert numbers_in(reverse) == [first.number, second.number]
    assert 'aria-sort="descending"' in reverse
    # The default is newest first; the header keeps the filters and drops the page number.
    default = client.get("/board/?status=open&page=1").content.decode()
    assert numbers_in(default) == [second.number, first.number]
    assert 'href="?status=open&amp;sort=number"' in default


@pytest.mark.parametrize("bad", ["bogus", "-", "--number", "number;drop", "vendor__password", "%00", "x" * 500])
def test_an_unknown_sort_key_is_ignored_never_a_server_error(world, web, wo, bad):
    wo(title="Still listed")
    for url in ("/board/", "/workbench/?queue=unassigned", "/contracts/", "/scorecards/", "/complaints/"):
        response = web("client_supervisor" if url != "/workbench/?queue=unassigned" else "vendor_agent").get(
            url, {"sort": bad}
        )
        assert response.status_code == 200, url
        assert 'aria-sort="ascending"' not in response.content.decode()


def test_sorting_is_stable_across_pages_and_kept_by_pagination_and_filters(world, web, wo):
    with clock.frozen_at(T0):
        made = [wo(title="Same title") for _ in range(53)]
    client = web("client_supervisor")
    page1 = client.get("/board/?sort=title").content.decode()
    page2 = client.get("/board/?sort=title&page=2").content.decode()
    seen = numbers_in(page1) + numbers_in(page2)
    assert sorted(seen) == sorted(w.number for w in made)  # no row twice, none skipped
    assert 'href="?sort=title&amp;page=2"' in page1
    assert '<input type="hidden" name="sort" value="title">' in page1


def test_other_lists_sort_by_their_headers(world, web):
    from oversight.contracts import services as contract_services
    from tests.contracts.conftest import make_terms

    for number in ("C-001", "C-002"):
        contract_services.contract_create(
            actor=world.users["client_admin"], vendor=world.vendor, number=number, title="Desk", terms=make_terms(world)
        )
    client = web("client_admin")
    default = client.get("/contracts/").content.decode()
    assert default.index("C-001") < default.index("C-002")
    reverse = client.get("/contracts/?sort=-number").content.decode()
    assert reverse.index("C-002") < reverse.index("C-001")
    assert 'aria-sort="descending"' in reverse


def test_workbench_filters_by_status_service_site_sla_state_and_due_time(world, web, wo):
    with clock.frozen_at(T0):
        early = wo(title="Early")
    with clock.frozen_at(T0 + dt.timedelta(minutes=50)):
        late = wo(title="Late")
        services.work_order_transition(actor=world.users["vendor_agent"], work_order=late, action="accept")
    client = web("vendor_agent")
    with clock.frozen_at(T0 + dt.timedelta(minutes=70)):
        page = client.get("/workbench/?queue=team").content.decode()
        for name in ("status", "service", "site", "sla_state", "due", "priority", "q"):
            assert f'name="{name}"' in page, name
        assert 'name="vendor"' not in page  # a vendor's staff see one vendor: no such filter
        overdue = client.get("/workbench/?queue=unassigned&due=overdue").content.decode()
        assert early.number in overdue
        late.refresh_from_db()
        left = late.sla_next_due_at - clock.now()
        window = next(key for key, hours in (("1h", 1), ("4h", 4), ("24h", 24)) if left <= dt.timedelta(hours=hours))
        soon = client.get(f"/workbench/?queue=mine&due={window}").content.decode()
        assert late.number in soon and early.number not in soon
        if window != "1h":
            assert late.number not in client.get("/workbench/?queue=mine&due=1h").content.decode()
        accepted_only = client.get("/workbench/?queue=mine&status=accepted").content.decode()
        assert late.number in accepted_only
        none_new = client.get("/workbench/?queue=mine&status=new").content.decode()
        assert late.number not in none_new
        by_service = client.get(f"/workbench/?queue=unassigned&service={world.service.pk}").content.decode()
        assert early.number in by_service
        nonsense = client.get("/workbench/?queue=unassigned&due=yesterday&service=abc")
        assert nonsense.status_code == 200


def test_vendor_service_and_site_filters_take_several_values_as_repeated_parameters(world, web, wo):
    desk = wo(title="On desk")
    net = wo(title="On network", service=world.other_service)
    elsewhere = wo(title="Other site", requester="other_requester")
    client = web("client_supervisor")
    both = client.get(f"/board/?vendor={world.vendor.pk}&vendor={world.other_vendor.pk}").content.decode()
    assert {desk.number, net.number} <= set(numbers_in(both))
    for pk in (world.vendor.pk, world.other_vendor.pk):
        assert f'<input type="checkbox" name="vendor" value="{pk}" checked>' in both
    one = numbers_in(client.get(f"/board/?vendor={world.other_vendor.pk}").content.decode())
    assert net.number in one and desk.number not in one
    services_both = client.get(f"/board/?service={world.service.pk}&service={world.other_service.pk}")
    assert {desk.number, net.number} <= set(numbers_in(services_both.content.decode()))
    sites = numbers_in(client.get(f"/board/?site={world.dept.pk}&site={world.other_dept.pk}").content.decode())
    assert {desk.number, elsewhere.number} <= set(sites)
    only_other_site = numbers_in(client.get(f"/board/?site={world.other_dept.pk}").content.decode())
    assert elsewhere.number in only_other_site and desk.number not in only_other_site
    # The workbench: its service and site filters are checkbox dropdowns too.
    bench = web("vendor_agent").get(f"/workbench/?queue=unassigned&service={world.service.pk}").content.decode()
    assert f'<input type="checkbox" name="service" value="{world.service.pk}" checked>' in bench
    assert desk.number in numbers_in(bench)


def test_a_saved_view_with_one_vendor_still_opens_the_same_list(world, web, wo):
    from oversight.tenancy import services as tenancy_services

    desk = wo(title="On desk")
    net = wo(title="On network", service=world.other_service)
    user = world.users["client_supervisor"]
    view = tenancy_services.saved_view_create(
        actor=user, list_key="tickets:board", name="Net only", query=f"vendor={world.other_vendor.pk}"
    )
    client = web(user)
    shown = numbers_in(client.get(f"/board/?{view.query}").content.decode())
    assert net.number in shown and desk.number not in shown


def test_the_api_reads_repeated_vendor_parameters_and_refuses_foreign_ones(world, web, wo):
    desk = wo(title="On desk")
    net = wo(title="On network", service=world.other_service)
    client = web("client_supervisor")
    both = client.get(f"/api/v1/work-orders/?vendor={world.vendor.pk}&vendor={world.other_vendor.pk}").json()
    assert {row["number"] for row in both["results"]} >= {desk.number, net.number}
    one = client.get(f"/api/v1/work-orders/?vendor={world.vendor.pk}").json()
    assert {row["number"] for row in one["results"]} == {desk.number}
    assert client.get(f"/api/v1/work-orders/?vendor={world.foreign_vendor.pk}").status_code == 400
    assert client.get("/api/v1/work-orders/?vendor=99999999999999999999").status_code == 400
