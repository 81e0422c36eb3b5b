"""Approval steps on changes: the policy copied when a normal change is assessed (an emergency change at once),
votes audited, early rejection withdrawing the pending requests, the next step opening, the change authorised or
rejected by the engine, substitutes asked after a deadline in business hours, and CAB meetings."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.audit.models import AuditEntry
from oversight.changes import services
from oversight.changes.choices import ChangeAction, ChangeStatus, ChangeType, RequestStatus, StepStatus
from oversight.changes.models import ApprovalRequest
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.notifications.models import Notification
from oversight.tenancy.choices import Role
from tests.factories import UserFactory


@pytest.fixture
def cab(world):
    """Three CAB members and two substitutes of the world's organisation."""
    people = {
        name: UserFactory(username=name, organisation=world.org, role=Role.CLIENT_SUPERVISOR)
        for name in ("cab1", "cab2", "cab3", "sub1", "sub2")
    }
    people["exec"] = world.users["executive"]
    return people


def _policy(world, steps, change_type=ChangeType.NORMAL):
    return services.approval_policy_set(actor=world.users["client_admin"], change_type=change_type, steps=steps)


def _assessed(world, change):
    return services.change_transition(actor=world.users["client_supervisor"], change=change(), action="assess")


def _request(change, user, position=1):
    return ApprovalRequest.objects.get(step__change=change, step__position=position, approver=user)


def _vote(change, user, approve=True, position=1, actor=None, comment=""):
    return services.approval_vote(
        actor=actor or user,
        request=_request(change, user, position),
        approve=approve,
        comment=comment or ("" if approve else "Too risky"),
    )


def test_policy_refuses_rules_its_approvers_cannot_meet(world, cab):
    with pytest.raises(ApplicationError):
        _policy(world, [{"name": "CAB", "rule": "quorum", "quorum": 3, "members": [(cab["cab1"], None)]}])
    with pytest.raises(ApplicationError):
        _policy(world, [{"name": "CAB", "rule": "all", "members": [(world.users["vendor_manager"], None)]}])
    with pytest.raises(ApplicationError):
        _policy(world, [{"name": "CAB", "rule": "all", "members": [(cab["cab1"], cab["cab1"])]}])
    with pytest.raises(ApplicationError):  # a deadline needs a calendar
        _policy(world, [{"name": "CAB", "rule": "any", "deadline_hours": 4, "members": [(cab["cab1"], None)]}])
    with pytest.raises(NotAllowed):
        services.approval_policy_set(actor=world.users["executive"], change_type="normal", steps=[])


def test_all_must_approve_rejects_at_the_first_rejection(world, change, cab):
    _policy(
        world,
        [{"name": "CAB", "rule": "all", "members": [(cab["cab1"], None), (cab["cab2"], None), (cab["cab3"], None)]}],
    )
    c = _assessed(world, change)
    step = c.steps.get()
    assert step.status == StepStatus.OPEN and step.requests.count() == 3
    assert Notification.objects.filter(recipient=cab["cab1"], kind="change_approval").count() == 1
    with pytest.raises(ApplicationError):  # the steps decide, not the supervisor by hand
        services.change_transition(actor=world.users["client_supervisor"], change=c, action="authorise")
    with pytest.raises(NotAllowed):  # only the approver votes
        _vote(c, cab["cab1"], actor=cab["cab2"])
    _vote(c, cab["cab1"])
    c.refresh_from_db()
    assert c.status == ChangeStatus.ASSESSED
    with pytest.raises(ApplicationError):  # a rejection says why
        services.approval_vote(actor=cab["cab2"], request=_request(c, cab["cab2"]), approve=False)
    _vote(c, cab["cab2"], approve=False)
    c.refresh_from_db()
    step.refresh_from_db()
    assert (c.status, step.status) == (ChangeStatus.REJECTED, StepStatus.REJECTED)
    assert _request(c, cab["cab3"]).status == RequestStatus.WITHDRAWN
    with pytest.raises(ApplicationError):  # the withdrawn request can no longer vote
        _vote(c, cab["cab3"])
    assert AuditEntry.objects.filter(action="changes.approval.voted").count() == 2
    assert AuditEntry.objects.filter(action="changes.approval.withdrawn").count() == 1
    assert AuditEntry.objects.filter(action="changes.change.reject", object_id=str(c.pk)).count() == 1


def test_two_steps_in_sequence_then_authorised(world, change, cab):
    _policy(
        world,
        [
            {"name": "Technical review", "rule": "any", "members": [(cab["cab1"], None), (cab["cab2"], None)]},
            {
                "name": "CAB",
                "rule": "majority",
                "members": [(cab["cab1"], None), (cab["cab2"], None), (cab["cab3"], None)],
            },
        ],
    )
    c = _assessed(world, change)
    first, second = c.steps.order_by("position")
    assert second.status == StepStatus.WAITING
    _vote(c, cab["cab2"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == StepStatus.APPROVED and second.status == StepStatus.OPEN
    assert _request(c, cab["cab1"], 1).status == RequestStatus.WITHDRAWN
    _vote(c, cab["cab1"], position=2)
    _vote(c, cab["cab2"], position=2)
    c.refresh_from_db()
    assert c.status == ChangeStatus.ASSESSED  # a majority is in, but everyone has their say first
    _vote(c, cab["cab3"], approve=False, position=2)
    c.refresh_from_db()
    assert c.status == ChangeStatus.AUTHORISED and c.authorised_at is not None
    kinds = list(c.events.values_list("kind", flat=True))
    assert kinds.count("voted") == 4 and kinds.count("approval") == 2


def test_quorum_early_rejection_withdraws_the_rest(world, change, cab):
    members = [(cab[n], None) for n in ("cab1", "cab2", "cab3")]
    _policy(world, [{"name": "CAB", "rule": "quorum", "quorum": 2, "members": members}])
    c = _assessed(world, change)
    _vote(c, cab["cab1"], approve=False)
    c.refresh_from_db()
    assert c.status == ChangeStatus.ASSESSED  # 0 approvals + 2 pending can still reach 2
    _vote(c, cab["cab2"], approve=False)
    c.refresh_from_db()
    assert c.status == ChangeStatus.REJECTED
    assert _request(c, cab["cab3"]).status == RequestStatus.WITHDRAWN


def test_substitute_is_asked_after_the_deadline_in_business_hours(world, change, cab):
    _policy(
        world,
        [
            {
                "name": "CAB",
                "rule": "all",
                "deadline_hours": 4,
                "calendar": world.calendar,
                "members": [(cab["cab1"], cab["sub1"]), (cab["cab2"], None)],
            }
        ],
    )
    start = clock.now().replace(microsecond=0)
    with clock.frozen_at(start):
        c = _assessed(world, change)
    step = c.steps.get()
    assert step.due_at == start + dt.timedelta(hours=4)  # the world's calendar is 24×7
    with pytest.raises(NotAllowed):  # not yet the substitute's turn
        _vote(c, cab["cab1"], actor=cab["sub1"])
    assert services.approval_ask_substitutes(now=start + dt.timedelta(hours=3)) == 0
    assert services.approval_ask_substitutes(now=start + dt.timedelta(hours=4)) == 1
    assert services.approval_ask_substitutes(now=start + dt.timedelta(hours=5)) == 0  # once
    assert Notification.objects.filter(recipient=cab["sub1"], kind="change_approval").count() == 1
    _vote(c, cab["cab1"], actor=cab["sub1"])
    assert _request(c, cab["cab1"]).voted_by == cab["sub1"]
    _vote(c, cab["cab2"])
    c.refresh_from_db()
    assert c.status == ChangeStatus.AUTHORISED
    assert AuditEntry.objects.filter(action="changes.approval.substitute_asked").count() == 1


def test_emergency_change_starts_its_approval_at_once_and_cancel_withdraws(world, change, cab):
    _policy(world, [{"name": "ECAB", "rule": "any", "members": [(cab["cab1"], None)]}], change_type="emergency")
    c = change(type=ChangeType.EMERGENCY)
    assert c.steps.get().status == StepStatus.OPEN
    assert not change().steps.exists()  # no policy for normal changes: authorised by hand
    c = services.change_transition(actor=world.users["client_supervisor"], change=c, action="cancel", note="Not needed")
    assert c.steps.get().status == StepStatus.WITHDRAWN
    assert _request(c, cab["cab1"]).status == RequestStatus.WITHDRAWN


def test_cab_meeting_agenda_and_decisions(world, change, cab):
    _policy(world, [{"name": "CAB", "rule": "all", "members": [(cab["cab1"], None)]}])
    sup = world.users["client_supervisor"]
    low = _assessed(world, change)
    high = change(type=ChangeType.EMERGENCY, expected_outage_minutes=240, backout_plan="")
    authorised = services.change_transition(
        actor=sup,
        change=services.change_transition(actor=sup, change=change(), action="assess"),
        action="cancel",
        note="x",
    )
    meeting = services.cab_meeting_create(actor=sup, title="Weekly CAB", starts_at=clock.now())
    assert [i.change for i in meeting.items.order_by("position")] == [high, low]  # riskiest first
    assert authorised.pk not in meeting.items.values_list("change", flat=True)
    first, second = meeting.items.order_by("position")
    with pytest.raises(ApplicationError):
        services.cab_decide(actor=sup, item=second, decision="reject")
    services.cab_decide(actor=sup, item=second, decision="authorise", note="Agreed, Sunday night")
    low.refresh_from_db()
    assert low.status == ChangeStatus.AUTHORISED and low.steps.get().status == StepStatus.WITHDRAWN
    assert low.events.filter(action=ChangeAction.AUTHORISE).get().body == "Weekly CAB: Agreed, Sunday night"
    services.cab_decide(actor=sup, item=first, decision="defer", note="Needs a backout plan")
    high.refresh_from_db()
    assert high.status == ChangeStatus.NEW and high.events.last().kind == "cab"
    with pytest.raises(NotAllowed):
        services.cab_meeting_create(actor=world.users["vendor_manager"], title="x", starts_at=clock.now())
