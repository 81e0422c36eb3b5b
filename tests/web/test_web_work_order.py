"""The work-order page: clocks and their explanation, timeline, comments, attachments and actions."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.catalog.choices import Level
from oversight.core import clock
from oversight.tickets import services
from oversight.tickets.choices import Status
from oversight.tickets.models import Attachment, Comment, WorkOrder
from tests.web.conftest import form_value

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _page(client, work_order) -> str:
    response = client.get(f"/wo/{work_order.number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_header_shows_status_priority_vendor_and_assignee(world, web, accepted):
    page = _page(web("requester"), accepted)
    assert accepted.number in page
    assert "Accepted" in page
    assert "Desk Co" in page
    assert str(world.users["vendor_agent"]) in page
    assert accepted.get_priority_display() in page


def test_clocks_have_live_countdowns_and_explain_their_segments(world, web, wo):
    with clock.frozen_at(T0):
        work_order = wo(offering=world.onsite_offering)
    with clock.frozen_at(T0 + dt.timedelta(minutes=10)):
        work_order = services.work_order_transition(
            actor=world.users["vendor_agent"], work_order=work_order, action="accept"
        )
    with clock.frozen_at(T0 + dt.timedelta(minutes=20)):
        work_order = services.work_order_transition(
            actor=world.users["vendor_agent"], work_order=work_order, action="pause_requester", note="Call back"
        )
    with clock.frozen_at(T0 + dt.timedelta(minutes=50)):
        work_order = services.work_order_transition(
            actor=world.users["vendor_agent"], work_order=work_order, action="resume"
        )
        page = _page(web("vendor_agent"), work_order)
    # Response was met (10 min of 60), resolution runs with a countdown badge.
    assert "Met" in page
    assert 'class="badge sla sla-on_track js-countdown"' in page
    due = work_order.clocks.get(metric="resolution").due_at
    assert f'data-due="{int(due.timestamp())}"' in page
    # The why: counted and paused segments with their business time.
    assert "Why does the clock say this?" in page
    assert "segment-counted" in page and "segment-paused" in page
    assert "30 min" in page  # the pause: 30 business minutes on a 24×7 calendar
    assert "20 min" in page  # counted before the pause
    # Times are shown in the user's zone (Asia/Shanghai = UTC+8): 08:00 UTC is 16:00 there.
    assert "2026-03-02 16:00" in page


def test_breached_and_at_risk_clocks_are_labelled(world, web, wo):
    with clock.frozen_at(T0):
        work_order = wo()
    with clock.frozen_at(T0 + dt.timedelta(minutes=50)):
        page = _page(web("vendor_agent"), work_order)
        assert "sla-warning" in page  # response at 50 of 60 minutes, past the 75 % warning
    with clock.frozen_at(T0 + dt.timedelta(minutes=70)):
        page = _page(web("vendor_agent"), work_order)
        assert "sla-breached" in page
        assert "overdue by" in page


def test_timeline_shows_each_step_with_actor_and_local_time(world, web, accepted):
    services.work_order_assign(actor=world.users["vendor_manager"], work_order=accepted, team=world.team)
    page = _page(web("requester"), accepted)
    assert "Received" in page
    assert "Accepted" in page
    assert "Assigned" in page
    assert "To: " in page and "Field team" in page
    assert str(world.users["vendor_agent"]) in page


def test_internal_comments_are_for_staff_only(world, web, accepted):
    services.comment_create(actor=world.users["vendor_agent"], work_order=accepted, body="Public hello")
    services.comment_create(
        actor=world.users["vendor_agent"], work_order=accepted, body="Secret vendor note", is_internal=True
    )
    requester_page = _page(web("requester"), accepted)
    assert "Public hello" in requester_page
    assert "Secret vendor note" not in requester_page
    assert 'name="is_internal"' not in requester_page
    staff_page = _page(web("vendor_agent"), accepted)
    assert "Secret vendor note" in staff_page
    assert "comment-internal" in staff_page
    assert 'name="is_internal"' in staff_page


def test_posting_comments(world, web, accepted):
    agent = web("vendor_agent")
    response = agent.post(f"/wo/{accepted.number}/comment/", {"body": "Parts ordered", "is_internal": "on"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.is_internal and comment.body == "Parts ordered"
    requester = web("requester")
    response = requester.post(f"/wo/{accepted.number}/comment/", {"body": "Thanks", "is_internal": "on"})
    assert response.status_code == 302
    assert Comment.objects.get(body="Thanks").is_internal is False  # requesters cannot post internal notes
    empty = agent.post(f"/wo/{accepted.number}/comment/", {"body": "  "})
    assert empty.status_code == 400


def test_read_only_roles_see_no_actions_and_cannot_act(world, web, accepted):
    page = _page(web("auditor"), accepted)
    assert "/act/" not in page
    assert 'name="body"' not in page
    response = web("auditor").post(f"/wo/{accepted.number}/act/arrive/", {"expected_version": accepted.version})
    assert response.status_code == 403
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED


def test_agent_sees_accept_as_the_primary_phone_button(world, web, wo):
    work_order = wo()
    page = _page(web("vendor_agent"), work_order)
    assert 'data-testid="primary-action"' in page
    assert f"/wo/{work_order.number}/act/accept/" in page
    assert "has-sticky-action" in page


def test_accept_arrive_resolve_and_confirm_through_the_pages(world, web, wo):
    work_order = wo(offering=world.onsite_offering)
    agent = web("vendor_agent")
    for action, data in (
        ("accept", {}),
        ("arrive", {}),
        ("resolve", {"resolution": "Replaced the fuser"}),
    ):
        page = _page(agent, work_order)
        version = form_value(page, "expected_version")
        response = agent.post(f"/wo/{work_order.number}/act/{action}/", {"expected_version": version, **data})
        assert response.status_code == 302, response.content.decode()[:500]
    work_order.refresh_from_db()
    assert work_order.status == Status.RESOLVED
    assert work_order.resolution == "Replaced the fuser"
    requester = web("requester")
    page = _page(requester, work_order)
    assert f"/wo/{work_order.number}/act/confirm/" in page
    assert f"/wo/{work_order.number}/act/reopen/" in page
    response = requester.post(
        f"/wo/{work_order.number}/act/confirm/", {"expected_version": form_value(page, "expected_version")}
    )
    assert response.status_code == 302
    work_order.refresh_from_db()
    assert work_order.status == Status.CLOSED
    assert work_order.confirmed_by_requester


def test_stale_page_gets_a_conflict_and_nothing_changes(world, web, wo):
    work_order = wo()
    agent = web("vendor_agent")
    stale_version = form_value(_page(agent, work_order), "expected_version")
    # Meanwhile the requester adds a comment: the work order moves on to a new version.
    services.comment_create(actor=world.users["requester"], work_order=work_order, body="Any news?")
    work_order.refresh_from_db()
    version_before = work_order.version
    response = agent.post(f"/wo/{work_order.number}/act/accept/", {"expected_version": stale_version})
    assert response.status_code == 412
    page = response.content.decode()
    assert "changed by someone else" in page
    assert "Any news?" in page  # the page shown is the current one
    work_order.refresh_from_db()
    assert work_order.status == Status.NEW
    assert work_order.version == version_before
    assert work_order.assignee is None


def test_stale_resolve_keeps_the_typed_resolution(world, web, accepted):
    agent = web("vendor_agent")
    stale_version = form_value(_page(agent, accepted), "expected_version")
    services.comment_create(actor=world.users["requester"], work_order=accepted, body="Still broken")
    response = agent.post(
        f"/wo/{accepted.number}/act/resolve/",
        {"expected_version": stale_version, "resolution": "Reseated the RAM modules"},
    )
    assert response.status_code == 412
    page = response.content.decode()
    assert "Reseated the RAM modules" in page
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED
    # After reading the current page the agent can submit again.
    retry = agent.post(
        f"/wo/{accepted.number}/act/resolve/",
        {"expected_version": form_value(page, "expected_version"), "resolution": "Reseated the RAM modules"},
    )
    assert retry.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == Status.RESOLVED


def test_resolve_without_a_resolution_is_refused_clearly(world, web, accepted):
    response = web("vendor_agent").post(
        f"/wo/{accepted.number}/act/resolve/", {"expected_version": accepted.version, "resolution": " "}
    )
    assert response.status_code == 400
    assert "Describe the resolution" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED


def test_an_invalid_transition_is_a_clear_409(world, web, wo):
    work_order = wo()
    response = web("vendor_manager").post(
        f"/wo/{work_order.number}/act/arrive/", {"expected_version": work_order.version}
    )
    assert response.status_code == 409
    assert "“Confirm arrival on site” is not possible while the work order is “New”." in response.content.decode()


def test_unknown_action_is_404_and_invisible_work_order_is_404(world, web, wo):
    work_order = wo()
    agent = web("vendor_agent")
    assert agent.post(f"/wo/{work_order.number}/act/auto_close/", {"expected_version": 1}).status_code == 404
    assert agent.post(f"/wo/{work_order.number}/act/explode/", {"expected_version": 1}).status_code == 404
    other = web("other_vendor_agent")
    assert other.post(f"/wo/{work_order.number}/act/accept/", {"expected_version": 1}).status_code == 404
    work_order.refresh_from_db()
    assert work_order.status == Status.NEW


def test_assign_within_the_vendor(world, web, wo):
    work_order = wo()
    manager = web("vendor_manager")
    page = _page(manager, work_order)
    assert "Assign" in page
    assert str(world.users["other_vendor_agent"]) not in page  # another vendor's staff is not offered
    response = manager.post(
        f"/wo/{work_order.number}/assign/",
        {"expected_version": work_order.version, "assignee": world.users["vendor_agent_2"].pk, "team": ""},
    )
    assert response.status_code == 302
    work_order.refresh_from_db()
    assert work_order.assignee == world.users["vendor_agent_2"]
    assert work_order.status == Status.DISPATCHED
    refused = manager.post(
        f"/wo/{work_order.number}/assign/",
        {"expected_version": work_order.version, "assignee": world.users["other_vendor_agent"].pk},
    )
    assert refused.status_code == 400
    work_order.refresh_from_db()
    assert work_order.assignee == world.users["vendor_agent_2"]


def test_transfer_is_for_the_client_side_only(world, web, wo):
    work_order = wo()
    assert "Transfer to another vendor" not in _page(web("vendor_manager"), work_order)
    forbidden = web("vendor_manager").post(
        f"/wo/{work_order.number}/transfer/",
        {"expected_version": work_order.version, "service": world.other_service.pk, "reason": "wrong"},
    )
    assert forbidden.status_code == 400  # the other vendor's service is not even a valid choice for them
    supervisor = web("client_supervisor")
    assert "Transfer to another vendor" in _page(supervisor, work_order)
    response = supervisor.post(
        f"/wo/{work_order.number}/transfer/",
        {"expected_version": work_order.version, "service": world.other_service.pk, "reason": "Network issue"},
    )
    assert response.status_code == 302
    work_order.refresh_from_db()
    assert work_order.vendor == world.other_vendor
    # The old vendor no longer sees it; the timeline names vendors only to those who may see them.
    assert web("vendor_agent").get(f"/wo/{work_order.number}/").status_code == 404
    new_vendor_page = _page(web("other_vendor_manager"), work_order)
    assert "another vendor" in new_vendor_page
    assert "Desk Co" not in new_vendor_page
    assert "From Desk Co to Net Co" in _page(supervisor, work_order)


def test_change_priority_needs_a_reason_and_rebuilds_clocks(world, web, wo):
    work_order = wo()
    old_due = work_order.clocks.get(metric="response").due_at
    supervisor = web("client_supervisor")
    missing = supervisor.post(
        f"/wo/{work_order.number}/priority/",
        {"expected_version": work_order.version, "impact": Level.HIGH, "urgency": Level.HIGH, "reason": ""},
    )
    assert missing.status_code == 400
    response = supervisor.post(
        f"/wo/{work_order.number}/priority/",
        {"expected_version": work_order.version, "impact": Level.HIGH, "urgency": Level.HIGH, "reason": "ICU"},
    )
    assert response.status_code == 302
    work_order.refresh_from_db()
    assert work_order.priority == "P1"
    assert work_order.clocks.get(metric="response").due_at < old_due
    assert (
        web("vendor_agent")
        .post(
            f"/wo/{work_order.number}/priority/",
            {"expected_version": work_order.version, "impact": Level.LOW, "urgency": Level.LOW, "reason": "meh"},
        )
        .status_code
        == 403
    )


def test_edit_details_with_a_stale_version_keeps_input_and_changes_nothing(world, web, wo):
    work_order = wo(title="Old title")
    agent = web("vendor_agent")
    stale = work_order.version
    services.comment_create(actor=world.users["requester"], work_order=work_order, body="ping")
    response = agent.post(
        f"/wo/{work_order.number}/edit/",
        {"expected_version": stale, "title": "New title", "description": "", "site": "", "location_detail": "B2"},
    )
    assert response.status_code == 412
    page = response.content.decode()
    assert "changed by someone else" in page
    assert 'value="New title"' in page
    work_order.refresh_from_db()
    assert work_order.title == "Old title"


def test_requester_may_edit_only_while_new(world, web, wo, accepted):
    fresh = wo(title="Typo tilte")
    requester = web("requester")
    response = requester.post(
        f"/wo/{fresh.number}/edit/",
        {"expected_version": fresh.version, "title": "Typo title", "description": "x", "site": world.dept.pk},
    )
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.title == "Typo title"
    assert "Edit details" not in _page(requester, accepted)


def test_attachment_upload_and_download_headers(world, web, accepted, png_bytes):
    agent = web("vendor_agent")
    upload = SimpleUploadedFile("photo.png", png_bytes, content_type="image/png")
    response = agent.post(f"/wo/{accepted.number}/attach/", {"files": [upload]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    page = _page(web("requester"), accepted)
    assert f"/attachments/{attachment.pk}/" in page
    download = web("requester").get(f"/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "photo.png" in download["Content-Disposition"]
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == png_bytes
    # Stored under MEDIA_ROOT with a random name, never the user's.
    assert "photo" not in attachment.file.name


def test_attachment_download_permissions(world, web, accepted):
    text = SimpleUploadedFile("log.txt", b"error 42 at boot", content_type="text/plain")
    internal = services.attachment_create(
        actor=world.users["vendor_agent"], work_order=accepted, upload=text, is_internal=True
    )
    public = services.attachment_create(
        actor=world.users["vendor_agent"],
        work_order=accepted,
        upload=SimpleUploadedFile("readme.txt", b"hello", content_type="text/plain"),
    )
    assert web("vendor_manager").get(f"/attachments/{internal.pk}/").status_code == 200
    assert web("auditor").get(f"/attachments/{internal.pk}/").status_code == 200
    assert web("requester").get(f"/attachments/{internal.pk}/").status_code == 404
    assert web("requester").get(f"/attachments/{public.pk}/").status_code == 200
    for role in ("other_vendor_agent", "other_vendor_manager", "requester_2", "foreign_admin"):
        assert web(role).get(f"/attachments/{public.pk}/").status_code == 404, role
    assert "log.txt" not in _page(web("requester"), accepted)


def test_risky_upload_is_refused_on_the_page(world, web, accepted):
    svg = SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>')
    response = web("vendor_agent").post(f"/wo/{accepted.number}/attach/", {"files": [svg]})
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_cancel_requires_a_reason(world, web, wo):
    work_order = wo()
    requester = web("requester")
    response = requester.post(f"/wo/{work_order.number}/act/cancel/", {"expected_version": work_order.version})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    ok = requester.post(
        f"/wo/{work_order.number}/act/cancel/", {"expected_version": work_order.version, "note": "Fixed itself"}
    )
    assert ok.status_code == 302
    assert WorkOrder.objects.get(pk=work_order.pk).status == Status.CANCELLED


def test_timeline_names_changed_fields_in_words(world, web, wo):
    work_order = wo()
    services.work_order_update_details(
        actor=world.users["vendor_agent"], work_order=work_order, changes={"location_detail": "Bed 4"}
    )
    page = _page(web("requester"), work_order)
    assert "Changed: location detail" in page


def test_text_typed_for_an_action_that_is_no_longer_possible_is_not_lost(world, web, accepted):
    agent = web("vendor_agent")
    stale_version = form_value(_page(agent, accepted), "expected_version")
    services.work_order_transition(
        actor=world.users["vendor_manager"], work_order=accepted, action="resolve", resolution="Manager fixed it"
    )
    response = agent.post(
        f"/wo/{accepted.number}/act/resolve/",
        {"expected_version": stale_version, "resolution": "My careful write-up"},
    )
    assert response.status_code == 412
    assert "Your text was not saved: My careful write-up" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.resolution == "Manager fixed it"


def test_work_order_page_query_count_does_not_grow_with_its_history(world, web, accepted):
    from tests.query_counts import assert_flat, count_queries

    client = web("vendor_manager")
    client.get(f"/wo/{accepted.number}/")
    with count_queries() as short:
        client.get(f"/wo/{accepted.number}/")
    for i in range(5):
        services.comment_create(actor=world.users["requester"], work_order=accepted, body=f"Comment {i}")
        services.attachment_create(
            actor=world.users["vendor_agent"],
            work_order=accepted,
            upload=SimpleUploadedFile(f"f{i}.txt", b"text", content_type="text/plain"),
        )
    with count_queries() as long:
        client.get(f"/wo/{accepted.number}/")
    assert_flat("tickets.work_order_page", len(short), len(long))
