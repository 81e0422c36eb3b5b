"""The global search box: number, title, requester and asset tag, grouped by kind, within the visibility gate."""

from __future__ import annotations

import pytest

from oversight.core import search as global_search


def test_the_top_bar_has_a_search_box_for_every_signed_in_user(world, web):
    for role in ("requester", "vendor_agent", "client_supervisor"):
        html = web(role).get("/search/").content.decode()
        assert 'role="search" method="get" action="/search/"' in html


def test_finds_by_number_title_requester_and_asset_grouped_by_kind(world, web, wo):
    printer = wo(title="打印机卡纸 third floor", asset_tag="PC-4711")
    other = wo(title="Mouse broken")
    client = web("client_supervisor")
    by_title = client.get("/search/", {"q": "卡纸"}).content.decode()
    assert printer.number in by_title and other.number not in by_title
    assert 'data-kind="work_orders"' in by_title
    by_number = client.get("/search/", {"q": printer.number}).content.decode()
    assert printer.number in by_number and other.number not in by_number
    by_asset = client.get("/search/", {"q": "pc-47"}).content.decode()
    assert 'data-kind="assets"' in by_asset and printer.number in by_asset
    assert 'data-kind="work_orders"' not in by_asset
    requester = world.users["requester"]
    by_person = client.get("/search/", {"q": requester.username}).content.decode()
    assert 'data-kind="requesters"' in by_person
    assert printer.number in by_person and other.number in by_person


def test_search_respects_the_visibility_gate(world, web, wo):
    mine = wo(title="Secret ward printer")
    theirs = wo(service=world.other_service, title="Secret ward network")
    foreign = wo(service=world.foreign_service, requester="foreign_requester", title="Secret foreign")
    vendor = web("vendor_agent").get("/search/", {"q": "Secret"}).content.decode()
    assert mine.number in vendor
    assert theirs.number not in vendor and foreign.number not in vendor
    other_requester = web("other_requester").get("/search/", {"q": "Secret"}).content.decode()
    assert mine.number not in other_requester and foreign.number not in other_requester
    foreign_admin = web("foreign_admin").get("/search/", {"q": "Secret"}).content.decode()
    assert foreign.number in foreign_admin and mine.number not in foreign_admin


def test_search_needs_a_login(client):
    response = client.get("/search/?q=x")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    "hostile",
    ["%", "_", "' OR 1=1 --", "\x00", "a\x00b", "<script>alert(1)</script>", "x" * 10_000, "\\", "   ", "🙂" * 50],
)
def test_hostile_or_absurd_text_is_safe(world, web, wo, hostile):
    wo(title="Plain title")
    response = web("client_supervisor").get("/search/", {"q": hostile})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if hostile == "%":
        assert "Plain title" not in html  # LIKE wildcards are matched literally


def test_results_are_bounded_per_kind(world, web, wo):
    for i in range(global_search.LIMIT_PER_KIND + 3):
        wo(title=f"Bulk printer {i}")
    html = web("client_supervisor").get("/search/", {"q": "Bulk printer"}).content.decode()
    assert html.count('<li><a href="/wo/') == global_search.LIMIT_PER_KIND
    assert f">{global_search.LIMIT_PER_KIND}+<" in html


def test_clean_text_drops_control_characters_and_cuts_long_text():
    assert global_search.clean_text(" a\x00b\tc ") == "a b c"
    assert len(global_search.clean_text("x" * 500)) == global_search.MAX_TEXT
    assert global_search.clean_text(None) == ""


def test_contracts_are_found_only_by_roles_that_may_open_them(world, web):
    from oversight.contracts import services as contract_services
    from tests.contracts.conftest import make_terms

    contract = contract_services.contract_create(
        actor=world.users["client_admin"],
        vendor=world.vendor,
        number="HT-SEARCH-1",
        title="保洁服务",
        terms=make_terms(world),
    )
    admin = web("client_admin").get("/search/", {"q": "保洁"}).content.decode()
    assert 'data-kind="contracts"' in admin and f"/contracts/{contract.pk}/" in admin
    requester = web("requester").get("/search/", {"q": "保洁"}).content.decode()
    assert "HT-SEARCH-1" not in requester
    vendor = web("vendor_agent").get("/search/", {"q": "HT-SEARCH"}).content.decode()
    assert "HT-SEARCH-1" not in vendor  # a draft is not shown to the vendor


def test_chinese_search_page(world, web, wo):
    user = world.users["client_supervisor"]
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    wo(title="空调不制冷")
    html = web(user).get("/search/", {"q": "空调"}).content.decode()
    assert "工单" in html and "空调不制冷" in html
    assert "Work orders" not in html and "result" not in html
