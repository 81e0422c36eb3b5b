"""Bulk actions on the board and the queues: each item through its single service, refused item by item."""

from __future__ import annotations

import csv
import io

from oversight.audit.models import AuditEntry
from oversight.tickets import services
from oversight.tickets.models import WorkOrder


def test_board_and_queues_offer_checkboxes_and_the_bulk_panel(world, web, wo):
    made = wo()
    board = web("client_supervisor").get("/board/").content.decode()
    assert f'<input type="checkbox" name="ids" value="{made.pk}" form="bulk-form"' in board
    assert board.count('id="bulk-form" method="post" action="/board/bulk/"') == 1
    assert (
        "bulk"
        not in board[: board.index("<body")] + board[board.index("<body") : board.index(">", board.index("<body"))]
    )
    workbench = web("vendor_manager").get("/workbench/?queue=unassigned").content.decode()
    assert f'name="ids" value="{made.pk}"' in workbench and workbench.count('id="bulk-form"') == 1


def test_bulk_assign_by_the_vendor_manager_is_audited_per_item(world, web, wo):
    first, second = wo(title="One"), wo(title="Two")
    agent = world.users["vendor_agent"]
    response = web("vendor_manager").post(
        "/board/bulk/", {"ids": [first.pk, second.pk], "action": "assign", "assignee": agent.pk}
    )
    assert response.status_code == 200
    assert set(WorkOrder.objects.filter(pk__in=[first.pk, second.pk]).values_list("assignee_id", flat=True)) == {
        agent.pk
    }
    audited = AuditEntry.objects.filter(action="tickets.workorder.assigned", object_id__in=[first.pk, second.pk])
    assert audited.count() == 2
    assert 'data-testid="bulk-done"' in response.content.decode()


def test_bulk_refuses_item_by_item_with_the_reason(world, web, wo):
    open_one = wo(title="Still open")
    cancelled = wo(title="Cancelled one")
    services.work_order_transition(actor=world.users["requester"], work_order=cancelled, action="cancel", note="x")
    response = web("client_supervisor").post(
        "/board/bulk/",
        {
            "ids": [open_one.pk, cancelled.pk],
            "action": "priority",
            "impact": 3,
            "urgency": 3,
            "reason": "Ward closed",
        },
    )
    html = response.content.decode()
    open_one.refresh_from_db()
    cancelled.refresh_from_db()
    assert (open_one.impact, open_one.urgency) == (3, 3)
    assert (cancelled.impact, cancelled.urgency) != (3, 3)
    refused = html[html.index('data-testid="bulk-refused"') :]
    assert cancelled.number in refused and "A finished work order cannot be re-prioritised." in refused
    assert open_one.number in html[html.index('data-testid="bulk-done"') : html.index('data-testid="bulk-refused"')]


def test_bulk_transfer_is_refused_to_vendor_staff_per_item(world, web, wo):
    made = wo()
    response = web("vendor_manager").post(
        "/board/bulk/",
        {"ids": [made.pk], "action": "transfer", "service": world.service.pk, "reason": "Wrong desk"},
    )
    # The vendor manager cannot even pick another vendor's service; with their own one the guard refuses.
    html = response.content.decode()
    made.refresh_from_db()
    assert made.service_id == world.service.pk
    assert "Only the client side can transfer work orders." in html or 'data-testid="bulk-errors"' in html


def test_invisible_ids_are_counted_never_named_or_changed(world, web, wo):
    theirs = wo(service=world.other_service, title="Other vendor's")
    mine = wo(title="Mine")
    agent = world.users["vendor_agent"]
    response = web("vendor_manager").post(
        "/board/bulk/",
        {"ids": [mine.pk, theirs.pk, "abc", "99999999999999999999999"], "action": "assign", "assignee": agent.pk},
    )
    html = response.content.decode()
    theirs.refresh_from_db()
    assert theirs.assignee_id is None
    assert theirs.number not in html and "Other vendor" not in html
    assert 'data-testid="bulk-missing"' in html


def test_bulk_with_nothing_ticked_or_bad_input_is_a_clear_400(world, web):
    client = web("client_supervisor")
    for data in ({"action": "assign"}, {"ids": ["x"], "action": "assign"}, {"ids": [1], "action": "explode"}):
        response = client.post("/board/bulk/", data)
        assert response.status_code == 400
        assert 'data-testid="bulk-errors"' in response.content.decode()
    assert client.get("/board/bulk/").status_code == 405


def test_bulk_is_refused_to_roles_without_the_lists(world, web, wo):
    made = wo()
    for role in ("requester", "executive"):
        response = web(role).post("/board/bulk/", {"ids": [made.pk], "action": "export_csv"})
        assert response.status_code == (403 if role == "requester" else 200)


def test_export_of_the_selection_contains_only_the_ticked_visible_rows(world, web, wo):
    first, second, third = wo(title="First"), wo(title="Second"), wo(title="Third")
    theirs = wo(service=world.other_service, title="Theirs")
    response = web("vendor_manager").post(
        "/board/bulk/", {"ids": [first.pk, third.pk, theirs.pk], "action": "export_csv"}
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    numbers = {row[0] for row in list(csv.reader(io.StringIO(body)))[1:]}
    assert numbers == {first.number, third.number}
    xlsx = web("client_supervisor").post("/board/bulk/", {"ids": [second.pk], "action": "export_xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_bulk_service_reports_each_refusal_and_goes_on(world, wo):
    first, second = wo(title="A"), wo(title="B")
    outcomes = services.work_orders_bulk_change(
        actor=world.users["vendor_agent"],
        work_orders=[first, second],
        action="transfer",
        service=world.other_service,
        reason="x",
    )
    assert [o.done for o in outcomes] == [False, False]
    assert all("client side" in o.reason for o in outcomes)
    outcomes = services.work_orders_bulk_change(
        actor=world.users["client_supervisor"],
        work_orders=[first, second],
        action="transfer",
        service=world.other_service,
        reason="Network, not desktop",
    )
    assert [o.done for o in outcomes] == [True, True]
    assert AuditEntry.objects.filter(action="tickets.workorder.transferred").count() == 2


def test_bulk_result_page_in_chinese(world, web, wo):
    user = world.users["vendor_manager"]
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    made = wo()
    html = (
        web(user)
        .post("/board/bulk/", {"ids": [made.pk], "action": "assign", "assignee": world.users["vendor_agent"].pk})
        .content.decode()
    )
    assert "已处理 1 个工单" in html and "Bulk change" not in html
