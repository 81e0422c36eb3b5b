"""Work-order lifecycle through the services: transitions, timeline, clocks, audit, conflicts."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from oversight.audit.models import AuditEntry
from oversight.core.clock import frozen_at
from oversight.core.errors import ApplicationError, Conflict, InvalidTransition, NotAllowed
from oversight.notifications.models import Notification
from oversight.tickets import selectors, services
from oversight.tickets.choices import Action, ClockState, SLAState, Status
from oversight.tickets.escalation import sla_escalation_sweep
from oversight.tickets.models import WorkOrder

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def create(world, minutes=0, **kwargs):
    kwargs.setdefault("actor", world.users["requester"])
    kwargs.setdefault("service", world.service)
    kwargs.setdefault("title", "Printer jammed")
    with frozen_at(at(minutes)):
        return services.work_order_create(**kwargs)


def act(world, wo, action, minutes, who="vendor_agent", **kwargs):
    with frozen_at(at(minutes)):
        return services.work_order_transition(actor=world.users[who], work_order=wo, action=action, **kwargs)


def clocks(wo):
    return {c.metric: c for c in WorkOrder.objects.get(pk=wo.pk).clocks.all()}


def test_create_numbers_routes_and_starts_clocks(world):
    wo = create(world)
    assert wo.number == "GH20260000001"
    assert wo.vendor == world.vendor
    assert wo.site == world.dept  # defaults to the requester's department
    assert wo.priority == "P3"  # medium × medium
    assert [e.kind for e in wo.events.all()] == ["created"]
    c = clocks(wo)
    # P3 targets: response 60 min, resolution 960 min on a 24×7 UTC calendar.
    assert c["response"].state == ClockState.RUNNING
    assert c["response"].due_at == at(60)
    assert c["response"].warning_at == at(45)  # 75 % of 60 minutes
    assert c["resolution"].due_at == at(960)
    assert c["onsite"].state == ClockState.NOT_APPLICABLE  # no on-site offering
    assert create(world, 1).number == "GH20260000002"


def test_full_lifecycle_with_pause_is_exact(world):
    wo = create(world, offering=world.onsite_offering)
    with frozen_at(at(1)):
        services.work_order_assign(
            actor=world.users["vendor_manager"], work_order=wo, assignee=world.users["vendor_agent"]
        )
    wo = act(world, wo, Action.ACCEPT, 20)
    wo = act(world, wo, Action.ARRIVE, 50)
    wo = act(world, wo, Action.PAUSE_REQUESTER, 60)
    wo = act(world, wo, Action.RESUME, 180)
    assert wo.status == Status.ON_SITE  # resumes to the working status held before the pause
    wo = act(world, wo, Action.RESOLVE, 200, resolution="Replaced fuser")
    c = clocks(wo)
    assert c["response"].state == ClockState.MET and c["response"].elapsed_seconds == 20 * 60
    assert c["onsite"].state == ClockState.MET and c["onsite"].elapsed_seconds == 50 * 60
    # Resolution: 200 minutes of wall time minus the 120-minute pause on the requester.
    assert c["resolution"].state == ClockState.MET
    assert c["resolution"].elapsed_seconds == 80 * 60
    assert c["resolution"].paused_seconds == 120 * 60
    kinds = [s["kind"] for s in c["resolution"].segments]
    assert "paused" in kinds and "counted" in kinds
    wo = act(world, wo, Action.CONFIRM, 230, who="requester")
    assert wo.status == Status.CLOSED and wo.confirmed_by_requester
    statuses = [e.to_status for e in wo.events.order_by("seq") if e.to_status]
    assert statuses == [
        "new",
        "dispatched",
        "accepted",
        "on_site",
        "pending_requester",
        "on_site",
        "resolved",
        "closed",
    ]
    assert list(wo.events.values_list("seq", flat=True)) == list(range(1, wo.events.count() + 1))
    assert WorkOrder.objects.get(pk=wo.pk).sla_state == SLAState.MET


def test_invalid_transition_is_refused_and_repeat_is_harmless(world):
    wo = create(world)
    with pytest.raises(InvalidTransition):
        act(world, wo, Action.RESOLVE, 5, resolution="x")
    wo = act(world, wo, Action.ACCEPT, 5)
    version = wo.version
    events = wo.events.count()
    again = act(world, wo, Action.ACCEPT, 6)  # a double click
    assert again.version == version and again.events.count() == events
    with pytest.raises(InvalidTransition):
        act(world, wo, Action.CONFIRM, 7, who="requester")


def test_role_rules(world):
    wo = create(world)
    with pytest.raises(NotAllowed):
        act(world, wo, Action.ACCEPT, 1, who="requester")
    with pytest.raises(NotAllowed):
        act(world, wo, Action.ACCEPT, 1, who="auditor")
    with pytest.raises(Http404):
        selectors.work_order_get(user=world.users["other_vendor_agent"], pk=wo.pk)
    with pytest.raises(Http404):
        selectors.work_order_get(user=world.users["foreign_admin"], pk=wo.pk)
    wo = act(world, wo, Action.ACCEPT, 2)
    # Another agent of the same vendor cannot work someone else's work order.
    with pytest.raises(NotAllowed):
        act(world, wo, Action.RESOLVE, 3, who="vendor_agent_2", resolution="x")
    with pytest.raises(NotAllowed):
        services.work_order_transfer(
            actor=world.users["vendor_manager"], work_order=wo, service=world.other_service, reason="wrong team"
        )


def test_priority_change_rebuilds_targets_from_the_start(world):
    wo = create(world)
    with frozen_at(at(10)):
        wo = services.work_order_change_priority(
            actor=world.users["client_supervisor"], work_order=wo, impact=1, urgency=1, reason="ward down"
        )
    assert wo.priority == "P1"
    c = clocks(wo)
    assert c["response"].due_at == at(15)  # P1 response target, counted from reception
    assert wo.events.filter(kind="priority_changed").count() == 1


def test_reopen_resumes_resolution_clock(world):
    wo = create(world)
    wo = act(world, wo, Action.ACCEPT, 10)
    wo = act(world, wo, Action.RESOLVE, 100, resolution="restarted")
    wo = act(world, wo, Action.REOPEN, 400, who="requester", note="still broken")
    assert wo.status == Status.ACCEPTED and wo.reopen_count == 1
    with frozen_at(at(500)):
        services.work_order_transition(
            actor=world.users["vendor_agent"], work_order=wo, action=Action.RESOLVE, resolution="replaced"
        )
    c = clocks(wo)
    # Counted: 0–100 and 400–500 = 200 minutes; the 300 resolved minutes do not count.
    assert c["resolution"].elapsed_seconds == 200 * 60
    assert c["resolution"].state == ClockState.MET


def test_breach_and_escalation_are_sent_exactly_once(world, django_capture_on_commit_callbacks):
    wo = create(world)
    with frozen_at(at(1)):
        services.work_order_assign(
            actor=world.users["vendor_manager"], work_order=wo, assignee=world.users["vendor_agent"]
        )
    sla_escalation_sweep(now=at(30))
    assert not Notification.objects.filter(kind__startswith="sla_").exists()
    with django_capture_on_commit_callbacks(execute=True):
        first = sla_escalation_sweep(now=at(50))  # past the 45-minute warning
    # Recipients: the assignee, the vendor manager, the client supervisor.
    assert first["warnings"] == 3
    assert sla_escalation_sweep(now=at(51))["warnings"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        result = sla_escalation_sweep(now=at(61))
    assert result["breaches"] == 3
    stored = WorkOrder.objects.get(pk=wo.pk)
    assert stored.sla_breached and stored.sla_state == SLAState.BREACHED
    assert clocks(wo)["response"].breached_at == at(60)
    with django_capture_on_commit_callbacks(execute=True):
        assert sla_escalation_sweep(now=at(62))["breaches"] == 0
    assert Notification.objects.filter(kind="sla_breach").count() == 3
    # Each notice e-mailed once, in its recipient's language.
    sla_subjects = [m.subject for m in mail.outbox if "SLA" in m.subject]
    assert len(sla_subjects) == 6


def test_stale_version_conflicts_and_changes_nothing(world):
    wo = create(world)
    seen = wo.version
    act(world, wo, Action.ACCEPT, 1)
    with pytest.raises(Conflict):
        act(world, wo, Action.ARRIVE, 2, expected_version=seen)
    assert WorkOrder.objects.get(pk=wo.pk).status == Status.ACCEPTED
    with pytest.raises(Conflict):
        services.work_order_update_details(
            actor=world.users["vendor_agent"], work_order=wo, changes={"title": "new"}, expected_version=seen
        )


def test_idempotency_key_returns_the_first_work_order(world):
    a, created_a = services.work_order_create_idempotent(
        actor=world.users["requester"], service=world.service, title="x", idempotency_key="k1"
    )
    b, created_b = services.work_order_create_idempotent(
        actor=world.users["requester"], service=world.service, title="x", idempotency_key="k1"
    )
    assert (created_a, created_b) == (True, False) and a.pk == b.pk
    c, created_c = services.work_order_create_idempotent(
        actor=world.users["requester_2"], service=world.service, title="x", idempotency_key="k1"
    )
    assert created_c and c.pk != a.pk
    assert WorkOrder.objects.count() == 2


def test_mass_assignment_refused(world):
    wo = create(world)
    for field in ("status", "vendor", "organisation", "sla_breached", "created_at", "version"):
        with pytest.raises(ApplicationError):
            services.work_order_update_details(
                actor=world.users["vendor_manager"], work_order=wo, changes={field: None}
            )


def test_requester_cannot_submit_for_others_or_foreign_services(world):
    with pytest.raises(ApplicationError):
        create(world, requester=world.users["requester_2"])
    with pytest.raises(ApplicationError):
        create(world, service=world.foreign_service)
    with pytest.raises(NotAllowed):
        create(world, actor=world.users["auditor"])


def test_every_change_is_audited(world):
    wo = create(world)
    act(world, wo, Action.ACCEPT, 1)
    actions = list(AuditEntry.objects.filter(object_id=str(wo.pk)).values_list("action", flat=True))
    assert "tickets.workorder.created" in actions and "tickets.workorder.accept" in actions
    entry = AuditEntry.objects.get(action="tickets.workorder.accept")
    assert entry.before == {"status": "new"} and entry.after["status"] == "accepted"
    assert entry.actor == world.users["vendor_agent"] and entry.request_id


def test_internal_comments_hidden_from_requester(world):
    wo = create(world)
    services.comment_create(actor=world.users["vendor_agent"], work_order=wo, body="call vendor X", is_internal=True)
    services.comment_create(actor=world.users["vendor_agent"], work_order=wo, body="on my way")
    requester_view = selectors.work_order_comments(user=world.users["requester"], work_order=wo)
    assert [c.body for c in requester_view] == ["on my way"]
    assert (
        selectors.work_order_events(user=world.users["requester"], work_order=wo).filter(kind="commented").count() == 1
    )
    with pytest.raises(NotAllowed):
        services.comment_create(actor=world.users["requester"], work_order=wo, body="x", is_internal=True)


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, True),
        ("notes.txt", "打印机卡纸 printer jam".encode(), True),
        ("report.pdf", b"%PDF-1.4\n%...", True),
        ("evil.exe", b"MZ\x90\x00\x03" + b"\x00" * 64, False),
        ("page.txt", b"<html><script>alert(1)</script></html>", False),
        ("image.png", b"<svg onload=alert(1)>", False),
    ],
)
def test_attachment_type_is_checked_by_content(world, name, content, ok):
    wo = create(world)
    upload = SimpleUploadedFile(name, content)
    if ok:
        attachment = services.attachment_create(actor=world.users["requester"], work_order=wo, upload=upload)
        assert attachment.size == len(content)
        assert not attachment.file.name.endswith(name)  # the user's name never reaches the disk
    else:
        with pytest.raises(ApplicationError):
            services.attachment_create(actor=world.users["requester"], work_order=wo, upload=upload)


def test_attachment_size_limit(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    wo = create(world)
    with pytest.raises(ApplicationError):
        services.attachment_create(
            actor=world.users["requester"], work_order=wo, upload=SimpleUploadedFile("a.txt", b"a" * 101)
        )


def test_transfer_to_other_vendor_by_client_resets_assignment(world):
    wo = create(world)
    wo = act(world, wo, Action.ACCEPT, 1)
    with frozen_at(at(5)):
        wo = services.work_order_transfer(
            actor=world.users["client_supervisor"], work_order=wo, service=world.other_service, reason="network fault"
        )
    assert wo.vendor == world.other_vendor and wo.assignee is None and wo.status == Status.NEW
    with pytest.raises(Http404):
        selectors.work_order_get(user=world.users["vendor_agent"], pk=wo.pk)
    assert selectors.work_order_get(user=world.users["other_vendor_agent"], pk=wo.pk) == wo


def test_auto_close_after_configured_days(world, settings):
    settings.OVERSIGHT_AUTO_CLOSE_DAYS = 3
    wo = create(world)
    act(world, wo, Action.ACCEPT, 1)
    act(world, wo, Action.RESOLVE, 2, resolution="done")
    assert services.work_orders_auto_close(now=at(2 + 60 * 24 * 2)) == 0
    assert services.work_orders_auto_close(now=at(3 + 60 * 24 * 3)) == 1
    stored = WorkOrder.objects.get(pk=wo.pk)
    assert stored.status == Status.CLOSED and not stored.confirmed_by_requester


def test_someone_else_repeating_a_done_transition_is_refused(world):
    wo = create(world)
    act(world, wo, Action.ACCEPT, 1)
    # The agent's own retry is harmless; another agent, or the requester, is refused, not told "done".
    assert act(world, wo, Action.ACCEPT, 2).status == Status.ACCEPTED
    version = WorkOrder.objects.get(pk=wo.pk).version
    with pytest.raises(InvalidTransition):
        act(world, wo, Action.ACCEPT, 3, who="vendor_agent_2")
    with pytest.raises(InvalidTransition):
        act(world, wo, Action.ACCEPT, 3, who="requester")
    assert WorkOrder.objects.get(pk=wo.pk).version == version


def test_transfer_measures_under_the_new_services_policy(world):
    from tests.factories import calendar_24x7, policy_with_targets

    slow = policy_with_targets(
        world.org, calendar_24x7(world.org, name="slow"), code="slow", minutes={"P3": (600, 900, 3000)}
    )
    world.other_service.sla_policy = slow
    world.other_service.save(update_fields=["sla_policy"])
    wo = create(world)
    with frozen_at(at(5)):
        wo = services.work_order_transfer(
            actor=world.users["client_supervisor"], work_order=wo, service=world.other_service, reason="network"
        )
    assert wo.sla_policy_version == slow.current_version()
    assert clocks(wo)["response"].due_at == at(600)  # the new policy's P3 response target, from reception
