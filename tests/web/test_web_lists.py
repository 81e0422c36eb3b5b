"""The vendor workbench and the client supervision board: queues, counts, filters, pages, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl

from oversight.core import clock
from oversight.tickets import services
from oversight.tickets.exports import neutralise
from tests.query_counts import assert_flat, count_queries

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def test_workbench_queues_and_counts(world, web, wo):
    agent = world.users["vendor_agent"]
    with clock.frozen_at(T0):
        unassigned = wo(title="Nobody has it")
        mine = services.work_order_transition(actor=agent, work_order=wo(title="Mine now"), action="accept")
        teams = services.work_order_assign(
            actor=world.users["vendor_manager"], work_order=wo(title="Team work"), team=world.team
        )
        wo(service=world.other_service, title="Other vendor's")
    client = web("vendor_agent")
    with clock.frozen_at(T0 + dt.timedelta(minutes=5)):
        page = client.get("/workbench/?queue=mine").content.decode()
        assert mine.number in page and unassigned.number not in page
        assert "Other vendor" not in page
        assert 'data-queue="mine">1<' in page
        assert 'data-queue="unassigned">2<' in page  # 'Team work' has a team but no agent yet
        assert 'data-queue="team">2<' in page  # the agent's own, and the team's
        team_page = client.get("/workbench/?queue=team").content.decode()
        assert teams.number in team_page
        assert unassigned.number in client.get("/workbench/?queue=unassigned").content.decode()
        assert 'data-queue="breached">0<' in page
    with clock.frozen_at(T0 + dt.timedelta(minutes=50)):
        due_soon = client.get("/workbench/?queue=due_soon").content.decode()
        assert unassigned.number in due_soon  # response due at 60 min
    with clock.frozen_at(T0 + dt.timedelta(minutes=90)):
        breached = client.get("/workbench/?queue=breached").content.decode()
        assert unassigned.number in breached
        assert 'data-queue="breached">2<' in breached


def test_workbench_refreshes_itself_as_an_htmx_partial(world, web, wo):
    wo()
    client = web("vendor_agent")
    full = client.get("/workbench/?queue=unassigned").content.decode()
    assert "<html" in full
    assert 'hx-trigger="every 60s"' in full
    partial = client.get("/workbench/?queue=unassigned", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<div id="workbench-results"')
    assert "HX-Request" in partial["Vary"]
    boosted = client.get("/workbench/?queue=unassigned", HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert "<html" in boosted.content.decode()


def test_workbench_filters_with_the_shared_filterset(world, web, wo):
    wo(title="Printer on fire")
    wo(title="Mouse broken")
    page = web("vendor_agent").get("/workbench/?queue=unassigned&q=printer").content.decode()
    assert "Printer on fire" in page
    assert "Mouse broken" not in page


def test_board_shows_every_open_work_order_with_counts(world, web, wo):
    wo(title="Desk one")
    wo(title="Desk two")
    wo(service=world.other_service, title="Net one")
    wo(service=world.foreign_service, requester="foreign_requester", title="Foreign one")
    done = wo(title="Done one")
    services.work_order_transition(actor=world.users["requester"], work_order=done, action="cancel", note="x")
    page = web("client_supervisor").get("/board/").content.decode()
    assert "Desk one" in page and "Net one" in page
    assert "Foreign one" not in page
    assert "Done one" not in page  # only open work orders by default
    assert '<span class="stat-value" data-testid="total">3</span>' in page
    assert f'data-vendor="{world.vendor.pk}">2<' in page
    assert f'data-vendor="{world.other_vendor.pk}">1<' in page
    assert 'data-status="new">3<' in page


def test_board_for_a_vendor_manager_is_scoped_to_the_vendor(world, web, wo):
    wo(title="Desk one")
    wo(service=world.other_service, title="Net one")
    page = web("vendor_manager").get("/board/").content.decode()
    assert "Desk one" in page
    assert "Net one" not in page
    assert "Net Co" not in page
    assert '<span class="stat-value" data-testid="total">1</span>' in page


def test_board_filters(world, web, wo):
    wo(title="Desk one")
    wo(service=world.other_service, title="Net one")
    client = web("client_supervisor")
    page = client.get(f"/board/?vendor={world.other_vendor.pk}").content.decode()
    assert "Net one" in page and "Desk one" not in page
    page = client.get("/board/?q=desk").content.decode()
    assert "Desk one" in page and "Net one" not in page
    page = client.get("/board/?status=closed").content.decode()
    assert "Desk one" not in page
    partial = client.get("/board/?priority=P3", HTTP_HX_REQUEST="true").content.decode()
    assert partial.strip().startswith('<div id="board-results"')


def test_board_invalid_filter_shows_an_error_not_everything(world, web, wo):
    wo(title="Desk one")
    response = web("vendor_manager").get(f"/board/?vendor={world.other_vendor.pk}")
    page = response.content.decode()
    assert "Some filters are invalid" in page
    assert "Desk one" not in page


def test_board_breached_count_uses_the_clock(world, web, wo):
    with clock.frozen_at(T0):
        wo(title="Late one")
        wo(title="Fine one", impact=3, urgency=3)
    with clock.frozen_at(T0 + dt.timedelta(minutes=70)):
        page = web("client_supervisor").get("/board/").content.decode()
        assert 'data-testid="breached">1<' in page
        only = web("client_supervisor").get("/board/?breached=true").content.decode()
        assert "Late one" in only and "Fine one" not in only


def test_board_paginates_fifty_per_page(world, web, wo):
    for i in range(51):
        wo(title=f"Bulk {i:02d}")
    client = web("client_supervisor")
    first = client.get("/board/").content.decode()
    assert first.count('class="wo-row') == 50
    assert "Page 1 of 2" in first
    second = client.get("/board/?page=2").content.decode()
    assert second.count('class="wo-row') == 1
    assert "Bulk 00" in second  # newest first, so the oldest is on page two


def test_board_and_workbench_query_counts_do_not_grow_with_rows(world, web, wo):
    client = web("client_supervisor")
    agent = web("vendor_manager")
    wo()
    client.get("/board/")
    with count_queries() as few_board:
        client.get("/board/")
    with count_queries() as few_bench:
        agent.get("/workbench/?queue=unassigned")
    for i in range(6):
        wo(title=f"More {i}", service=world.other_service if i % 2 else world.service)
    with count_queries() as many_board:
        client.get("/board/")
    with count_queries() as many_bench:
        agent.get("/workbench/?queue=unassigned")
    assert_flat("tickets.board", len(few_board), len(many_board))
    assert_flat("tickets.workbench", len(few_bench), len(many_bench))


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+86 138") == "'+86 138"
    assert neutralise("-5") == "'-5"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("\rx") == "'\rx"
    assert neutralise("normal") == "normal"
    assert neutralise(5) == 5
    assert neutralise(None) is None


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_export_neutralises_formulas(world, web, wo):
    wo(title='=HYPERLINK("http://evil.example","click")', location_detail="+8613800000000", asset_tag="@A1")
    wo(title="-2+3 harmless?")
    response = web("client_supervisor").get("/board/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="work-orders-')
    rows = _csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Number", "Title"]
    titles = {row[1] for row in body}
    assert '\'=HYPERLINK("http://evil.example","click")' in titles
    assert "'-2+3 harmless?" in titles
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    evil = next(row for row in body if "HYPERLINK" in row[1])
    assert "'+8613800000000" in evil
    assert "'@A1" in evil


def test_exports_use_local_time_and_the_filters(world, web, wo):
    with clock.frozen_at(T0):
        wo(title="Desk one")
    wo(service=world.other_service, title="Net one")
    rows = _csv_rows(web("client_supervisor").get(f"/board/export.csv?vendor={world.vendor.pk}"))
    assert [row[1] for row in rows[1:]] == ["Desk one"]
    received = rows[0].index("Received at")
    assert rows[1][received] == "2026-03-02 16:00:00"  # Asia/Shanghai


def test_exports_are_scoped_to_the_vendor_managers_vendor(world, web, wo):
    wo(title="Desk one")
    wo(service=world.other_service, title="Net one")
    rows = _csv_rows(web("vendor_manager").get("/board/export.csv"))
    assert [row[1] for row in rows[1:]] == ["Desk one"]
    sheet = openpyxl.load_workbook(io.BytesIO(web("vendor_manager").get("/board/export.xlsx").content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Desk one"]
    everyone = _csv_rows(web("client_supervisor").get("/board/export.csv"))
    assert sorted(row[1] for row in everyone[1:]) == ["Desk one", "Net one"]


def test_xlsx_export_content(world, web, wo):
    with clock.frozen_at(T0):
        wo(title="=cmd|' /C calc'!A0", location_detail="Room 1")
    response = web("client_supervisor").get("/board/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, first = rows[0], rows[1]
    assert header[0] == "Number"
    assert first[1] == "'=cmd|' /C calc'!A0"
    received = first[header.index("Received at")]
    assert received == dt.datetime(2026, 3, 2, 16, 0)
    assert first[header.index("Vendor")] == "Desk Co"
    for row in rows[1:]:
        for cell in row:
            assert not (isinstance(cell, str) and cell.startswith(("=", "+", "-", "@"))), cell


def test_export_refuses_invalid_filters(world, web):
    response = web("vendor_manager").get(f"/board/export.csv?vendor={world.other_vendor.pk}")
    assert response.status_code == 400


def test_export_is_in_the_users_language(world, web, wo):
    user = world.users["client_admin"]
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    wo()
    rows = _csv_rows(web(user).get("/board/export.csv"))
    breached = 6  # the "SLA breached" column
    assert rows[1][breached] == "否"  # rendered in the user's language, even though the CSV is streamed
    english = _csv_rows(web("client_supervisor").get("/board/export.csv"))
    assert english[1][breached] == "No"


def test_a_recorded_breach_shows_no_countdown_that_could_look_on_track(world, web, wo):
    with clock.frozen_at(T0):
        work_order = wo(title="Late accept")
    with clock.frozen_at(T0 + dt.timedelta(minutes=70)):
        work_order = services.work_order_transition(
            actor=world.users["vendor_agent"], work_order=work_order, action="accept"
        )
    assert work_order.sla_breached and work_order.sla_next_due_at is not None  # resolution still running
    with clock.frozen_at(T0 + dt.timedelta(minutes=71)):
        page = web("client_supervisor").get("/board/").content.decode()
    row = page[page.index("Late accept") :]
    row = row[: row.index("</tr>")]
    assert "sla-breached" in row
    assert "data-due" not in row


def test_export_file_names_carry_the_readers_local_time(world, web, wo):
    """At 06:53 in Beijing (22:53 UTC the day before) the file is named …-20261207-0653, not …-20261206-2253."""
    wo(title="Printer")
    supervisor = world.users["client_supervisor"]
    supervisor.time_zone = "Asia/Shanghai"
    supervisor.save(update_fields=["time_zone"])
    with clock.frozen_at(dt.datetime(2026, 12, 6, 22, 53, tzinfo=dt.UTC)):
        csv_response = web("client_supervisor").get("/board/export.csv")
        xlsx_response = web("client_supervisor").get("/board/export.xlsx")
    assert 'filename="work-orders-20261207-0653.csv"' in csv_response["Content-Disposition"]
    assert 'filename="work-orders-20261207-0653.xlsx"' in xlsx_response["Content-Disposition"]
