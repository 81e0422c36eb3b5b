"""Complaints (投诉): opened by a low rating (configurable) or by hand, handled by the client's supervisors through
one transition table with an immutable timeline, seen and answered by the vendor, invisible to other vendors."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, Conflict, InvalidTransition, NotAllowed
from oversight.feedback import services as feedback
from oversight.feedback.choices import COMPLAINT_TRANSITIONS, ComplaintAction, ComplaintStatus
from oversight.feedback.models import Complaint, ComplaintEvent, FeedbackSettings
from oversight.notifications.models import Notification
from tests.factories import UserFactory


@pytest.mark.parametrize(("stars", "opens"), [(1, True), (2, True), (3, False), (4, False), (5, False)])
def test_a_rating_of_two_stars_or_fewer_opens_a_complaint(world, resolve, rate, stars, opens):
    work_order = resolve()
    rating = rate(work_order, stars=stars, comment="Slow")
    complaints = Complaint.objects.filter(work_order=work_order)
    assert complaints.exists() is opens
    if opens:
        complaint = complaints.get()
        assert complaint.rating == rating and complaint.source == "rating" and complaint.status == "open"
        assert complaint.vendor == world.vendor and complaint.organisation == world.org
        assert complaint.assignee == world.users["client_supervisor"]  # the organisation's first active supervisor
        assert complaint.description == "Slow"
        with translation.override("en"):
            assert complaint.title == f"Rated {stars} of 5 stars"
        opened = complaint.events.get()
        assert (opened.seq, opened.kind, opened.to_status, opened.actor) == (1, "opened", "open", None)
        assert AuditEntry.objects.filter(action="feedback.complaint.opened", object_id=str(complaint.pk)).exists()


def test_the_threshold_is_configurable_per_organisation(world, resolve, rate, settings):
    settings.OVERSIGHT_COMPLAINT_MAX_STARS = 1
    rate(resolve(title="a"), stars=2)
    assert not Complaint.objects.exists()
    FeedbackSettings.objects.create(organisation=world.org, complaint_max_stars=3)
    rate(resolve(title="b"), stars=3)
    assert Complaint.objects.count() == 1
    FeedbackSettings.objects.filter(organisation=world.org).update(complaint_max_stars=0)
    rate(resolve(title="c"), stars=1)
    assert Complaint.objects.count() == 1  # 0: ratings never open complaints


def test_without_an_active_supervisor_the_complaint_waits_in_the_queue(world, resolve, rate):
    world.users["client_supervisor"].is_active = False
    world.users["client_supervisor"].save(update_fields=["is_active"])
    rate(resolve(), stars=1)
    assert Complaint.objects.get().assignee is None


def test_opening_notifies_the_handler_and_the_vendor_managers(world, resolve, rate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rate(resolve(), stars=1)
    recipients = set(Notification.objects.filter(kind="complaint_opened").values_list("recipient__username", flat=True))
    assert recipients == {"super_a", "vm_a"}
    assert {m.to[0] for m in mail.outbox if "Complaint #" in m.subject} == {
        world.users["client_supervisor"].email,
        world.users["vendor_manager"].email,
    }
    complaint = Complaint.objects.get()
    before = Notification.objects.count()
    assert feedback.complaint_notify(complaint_id=complaint.pk, kind="opened") == 0  # a rerun sends nothing twice
    assert Notification.objects.count() == before


def supervisor_complaint(world, resolve, rate) -> Complaint:
    rate(resolve(), stars=1)
    return Complaint.objects.get()


def test_the_lifecycle_follows_the_one_transition_table(world, resolve, rate):
    complaint = supervisor_complaint(world, resolve, rate)
    boss = world.users["client_supervisor"]
    complaint = feedback.complaint_investigate(actor=boss, complaint=complaint, note="Called the nurse")
    assert complaint.status == ComplaintStatus.INVESTIGATING
    with pytest.raises(ApplicationError):
        feedback.complaint_resolve(actor=boss, complaint=complaint, resolution="  ")
    complaint = feedback.complaint_resolve(actor=boss, complaint=complaint, resolution="Agent coached")
    assert (complaint.status, complaint.resolution) == ("resolved", "Agent coached")
    assert complaint.resolved_at is not None
    with pytest.raises(ApplicationError):
        feedback.complaint_reopen(actor=boss, complaint=complaint, reason="")
    complaint = feedback.complaint_close(actor=boss, complaint=complaint)
    assert complaint.status == "closed" and complaint.closed_at is not None
    complaint = feedback.complaint_reopen(actor=boss, complaint=complaint, reason="Happened again")
    assert complaint.status == "investigating" and complaint.closed_at is None and complaint.resolved_at is None
    steps = list(complaint.events.order_by("seq").values_list("seq", "kind", "action", "from_status", "to_status"))
    assert steps == [
        (1, "opened", "", "", "open"),
        (2, "status_changed", "investigate", "open", "investigating"),
        (3, "status_changed", "resolve", "investigating", "resolved"),
        (4, "status_changed", "close", "resolved", "closed"),
        (5, "status_changed", "reopen", "closed", "investigating"),
    ]
    actions = list(
        AuditEntry.objects.filter(object_type="feedback.complaint", object_id=str(complaint.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "feedback.complaint.opened",
        "feedback.complaint.investigate",
        "feedback.complaint.resolve",
        "feedback.complaint.close",
        "feedback.complaint.reopen",
    ]


@pytest.mark.parametrize("status", list(ComplaintStatus.values))
@pytest.mark.parametrize("action", list(ComplaintAction.values))
def test_every_transition_outside_the_table_is_refused(world, resolve, rate, status, action):
    complaint = supervisor_complaint(world, resolve, rate)
    Complaint.objects.filter(pk=complaint.pk).update(status=status)
    complaint.refresh_from_db()
    sources, target = COMPLAINT_TRANSITIONS[action]
    boss = world.users["client_supervisor"]
    events = complaint.events.count()
    if status in sources:
        moved = feedback.complaint_transition(actor=boss, complaint=complaint, action=action, text="because")
        assert moved.status == target
        assert complaint.events.count() == events + 1
    elif status == target and action != ComplaintAction.REOPEN:
        same = feedback.complaint_transition(actor=boss, complaint=complaint, action=action, text="again")
        assert same.status == status and complaint.events.count() == events  # a repeat is harmless
    else:
        with pytest.raises(InvalidTransition):
            feedback.complaint_transition(actor=boss, complaint=complaint, action=action, text="because")
        assert complaint.events.count() == events


@pytest.mark.parametrize(
    "role", ["vendor_manager", "vendor_agent", "executive", "auditor", "requester", "other_vendor_manager"]
)
def test_only_the_client_operators_move_a_complaint(world, resolve, rate, role):
    complaint = supervisor_complaint(world, resolve, rate)
    with pytest.raises(NotAllowed):
        feedback.complaint_investigate(actor=world.users[role], complaint=complaint)
    with pytest.raises(NotAllowed):
        feedback.complaint_assign(actor=world.users[role], complaint=complaint, assignee=None)
    complaint.refresh_from_db()
    assert complaint.status == "open" and complaint.events.count() == 1
    feedback.complaint_investigate(actor=world.users["client_admin"], complaint=complaint)  # administrators may


def test_a_stale_version_gets_a_conflict(world, resolve, rate):
    complaint = supervisor_complaint(world, resolve, rate)
    seen = complaint.version
    feedback.complaint_comment(actor=world.users["vendor_manager"], complaint=complaint, body="We are on it")
    with pytest.raises(Conflict):
        feedback.complaint_investigate(
            actor=world.users["client_supervisor"], complaint=complaint, expected_version=seen
        )


def test_the_vendor_answers_and_internal_notes_stay_on_the_client_side(world, resolve, rate):
    complaint = supervisor_complaint(world, resolve, rate)
    response = feedback.complaint_comment(
        actor=world.users["vendor_agent"], complaint=complaint, body="Sorry, retrained"
    )
    assert response.data == {"vendor_response": True} and not response.is_internal
    note = feedback.complaint_comment(
        actor=world.users["client_supervisor"], complaint=complaint, body="Check again next month", is_internal=True
    )
    assert note.is_internal
    with pytest.raises(NotAllowed):
        feedback.complaint_comment(actor=world.users["vendor_manager"], complaint=complaint, body="x", is_internal=True)
    for role in ("other_vendor_manager", "requester", "executive"):
        with pytest.raises(NotAllowed):
            feedback.complaint_comment(actor=world.users[role], complaint=complaint, body="x")
    with pytest.raises(ApplicationError):
        feedback.complaint_comment(actor=world.users["vendor_agent"], complaint=complaint, body="   ")


def test_the_timeline_is_immutable(world, resolve, rate):
    complaint = supervisor_complaint(world, resolve, rate)
    event = complaint.events.get()
    event.body = "rewritten"
    with pytest.raises(ValueError, match="immutable"):
        event.save()
    assert ComplaintEvent.objects.get(pk=event.pk).body == ""


def test_assigning_only_to_active_client_operators_of_the_organisation(world, resolve, rate):
    complaint = supervisor_complaint(world, resolve, rate)
    boss = world.users["client_supervisor"]
    second = UserFactory(username="super_a2", organisation=world.org, role="client_supervisor")
    complaint = feedback.complaint_assign(actor=boss, complaint=complaint, assignee=second)
    assert complaint.assignee == second
    assert complaint.events.filter(kind="assigned", is_internal=True).count() == 1
    for wrong in (world.users["vendor_manager"], world.users["foreign_admin"], world.users["requester"]):
        with pytest.raises(ApplicationError):
            feedback.complaint_assign(actor=boss, complaint=complaint, assignee=wrong)
    complaint = feedback.complaint_assign(actor=boss, complaint=complaint, assignee=None)
    assert complaint.assignee is None


def test_a_supervisor_opens_a_complaint_by_hand_from_the_hotline(world, resolve):
    work_order = resolve()
    complaint = feedback.complaint_open(
        actor=world.users["client_supervisor"],
        work_order=work_order,
        summary="Caller says the printer is still broken",
        description="Call at 10:05",
    )
    assert (complaint.source, complaint.rating, complaint.opened_by) == (
        "hotline",
        None,
        world.users["client_supervisor"],
    )
    assert complaint.title == "Caller says the printer is still broken"
    for role in ("vendor_manager", "requester", "executive"):
        with pytest.raises(NotAllowed):
            feedback.complaint_open(actor=world.users[role], work_order=work_order, summary="x")
    with pytest.raises(ApplicationError):
        feedback.complaint_open(actor=world.users["client_supervisor"], work_order=work_order, summary=" ")
    with pytest.raises(ApplicationError):
        feedback.complaint_open(
            actor=world.users["client_supervisor"], work_order=work_order, summary="x", source="rating"
        )


# ---------------------------------------------------------------------------------------------- web pages


def test_the_complaint_pages_for_the_client_and_the_vendor(world, resolve, rate, web):
    complaint = supervisor_complaint(world, resolve, rate)
    feedback.complaint_comment(
        actor=world.users["client_supervisor"], complaint=complaint, body="PmxInternalNote", is_internal=True
    )
    supervisor = web("client_supervisor")
    listing = supervisor.get("/complaints/").content.decode()
    assert f"/complaints/{complaint.pk}/" in listing
    detail = supervisor.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "PmxInternalNote" in detail and f"/complaints/{complaint.pk}/act/investigate/" in detail
    vendor = web("vendor_manager")
    assert f"/complaints/{complaint.pk}/" in vendor.get("/complaints/").content.decode()
    vendor_page = vendor.get(f"/complaints/{complaint.pk}/")
    assert vendor_page.status_code == 200
    html = vendor_page.content.decode()
    assert "PmxInternalNote" not in html and "/act/" not in html and "/assign/" not in html
    assert f"/complaints/{complaint.pk}/comment/" in html
    response = vendor.post(f"/complaints/{complaint.pk}/comment/", {"body": "We retrained the agent"})
    assert response.status_code == 302
    assert complaint.events.filter(body="We retrained the agent", is_internal=False).exists()
    refused = vendor.post(f"/complaints/{complaint.pk}/act/investigate/", {"expected_version": complaint.version + 1})
    assert refused.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == "open"


@pytest.mark.parametrize("role", ["other_vendor_manager", "other_vendor_agent", "foreign_admin"])
def test_other_vendors_and_organisations_get_404(world, resolve, rate, web, role):
    complaint = supervisor_complaint(world, resolve, rate)
    client = web(role)
    assert client.get(f"/complaints/{complaint.pk}/").status_code == 404
    assert client.post(f"/complaints/{complaint.pk}/comment/", {"body": "x"}).status_code == 404
    assert (
        client.post(f"/complaints/{complaint.pk}/act/resolve/", {"expected_version": 1, "text": "x"}).status_code == 404
    )
    assert f"/complaints/{complaint.pk}/" not in client.get("/complaints/").content.decode()
    assert complaint.events.count() == 1


def test_requesters_have_no_complaint_pages(world, resolve, rate, web):
    complaint = supervisor_complaint(world, resolve, rate)
    client = web("requester")
    assert client.get("/complaints/").status_code == 403
    assert client.get(f"/complaints/{complaint.pk}/").status_code == 403
    assert 'href="/complaints/"' not in client.get("/portal/").content.decode()
    assert 'href="/complaints/"' in web("vendor_agent").get("/workbench/").content.decode()


def test_the_supervisor_moves_a_complaint_on_its_page_keeping_input_on_error(world, resolve, rate, web):
    complaint = supervisor_complaint(world, resolve, rate)
    client = web("client_supervisor")
    empty = client.post(f"/complaints/{complaint.pk}/act/resolve/", {"expected_version": complaint.version, "text": ""})
    assert empty.status_code == 400
    stale = client.post(
        f"/complaints/{complaint.pk}/act/resolve/", {"expected_version": complaint.version + 5, "text": "PmxKeepMe"}
    )
    assert stale.status_code == 412 and "PmxKeepMe" in stale.content.decode()
    done = client.post(
        f"/complaints/{complaint.pk}/act/resolve/", {"expected_version": complaint.version, "text": "Coached"}
    )
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    assert client.post(f"/complaints/{complaint.pk}/act/bogus/", {"expected_version": 1}).status_code == 404


def test_a_supervisor_opens_a_complaint_from_the_work_order_page(world, resolve, web):
    work_order = resolve()
    client = web("client_supervisor")
    assert f"/wo/{work_order.number}/complaint/" in client.get(f"/wo/{work_order.number}/").content.decode()
    assert client.get(f"/wo/{work_order.number}/complaint/").status_code == 200
    response = client.post(
        f"/wo/{work_order.number}/complaint/", {"source": "hotline", "summary": "Rude on the phone", "description": ""}
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.pk}/"
    assert web("vendor_manager").get(f"/wo/{work_order.number}/complaint/").status_code == 403
    assert web("other_vendor_manager").get(f"/wo/{work_order.number}/complaint/").status_code == 404
    page = web("vendor_manager").get(f"/wo/{work_order.number}/").content.decode()
    assert f"/complaints/{complaint.pk}/" in page and f"/wo/{work_order.number}/complaint/" not in page
