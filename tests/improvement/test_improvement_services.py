"""Raising, editing and moving improvements: sources the author may see (another vendor's complaint is refused),
who may own and approve, vendor managers raising for their own vendor, the approver alone approving, closing only
after a measurement, the benefit, the audit trail and the timeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from oversight.improvement import services
from oversight.improvement.choices import ActivityKind, ItemStatus
from tests.improvement.conftest import complaint_of, raise_item

D = Decimal
AT = dt.datetime(2026, 7, 6, 2, 0, tzinfo=dt.UTC)


def test_raise_by_hand_numbers_audits_and_starts_the_timeline(world):
    item = raise_item(world)
    assert item.number.startswith("IMP-GH") and item.status == ItemStatus.NEW
    assert item.source_kind == "manual" and item.source_id is None
    assert list(item.events.values_list("kind", flat=True)) == [ActivityKind.CREATED]
    entry = AuditEntry.objects.get(action="improvement.improvementitem.created", object_id=str(item.pk))
    assert entry.actor_id == world.users["client_supervisor"].pk


def test_raise_from_a_complaint_takes_its_vendor(world):
    complaint = complaint_of(world, world.service, AT)
    item = raise_item(world, vendor=None, source_kind="complaint", source_id=complaint.pk)
    assert (item.source_kind, item.source_id, item.vendor_id) == ("complaint", complaint.pk, world.vendor.pk)


def test_another_vendors_complaint_is_refused(world, english):
    theirs = complaint_of(world, world.other_service, AT)
    # The vendor manager cannot see vendor 2's complaint: refused as if it did not exist.
    with pytest.raises(ApplicationError, match="no such source"):
        raise_item(
            world,
            actor=world.users["vendor_manager"],
            owner=world.users["vendor_manager"],
            source_kind="complaint",
            source_id=theirs.pk,
        )
    # The client sees it, but it belongs to another vendor than the item names.
    with pytest.raises(ApplicationError, match="another vendor"):
        raise_item(world, source_kind="complaint", source_id=theirs.pk)
    # Unknown ids, kinds and a missing id are refused too.
    with pytest.raises(ApplicationError):
        raise_item(world, source_kind="complaint", source_id=999999)
    with pytest.raises(ApplicationError):
        raise_item(world, source_kind="complaint", source_id=None)
    with pytest.raises(ApplicationError):
        raise_item(world, source_kind="nonsense", source_id=1)


def test_vendor_managers_raise_for_their_own_vendor_and_agents_and_readers_do_not(world, english):
    vm = world.users["vendor_manager"]
    item = raise_item(world, actor=vm, owner=vm, vendor=None)
    # The vendor names no approver (it sees no list of the client's people): any client operator decides.
    assert item.vendor_id == world.vendor.pk and item.approver_id is None
    supervisor = world.users["client_supervisor"]
    item = services.item_transition(actor=supervisor, item=item, action="accept")
    item = services.item_transition(actor=supervisor, item=item, action="assess")
    with pytest.raises(NotAllowed):
        services.item_transition(actor=vm, item=item, action="approve")
    item = services.item_transition(actor=world.users["client_admin"], item=item, action="approve")
    assert item.status == ItemStatus.APPROVED
    with pytest.raises(ApplicationError, match="own vendor"):
        raise_item(world, actor=vm, owner=vm, vendor=world.other_vendor)
    for role in ("vendor_agent", "executive", "auditor", "requester"):
        with pytest.raises(NotAllowed):
            raise_item(world, actor=world.users[role])


def test_owner_approver_scope_and_indicator_rules(world, english):
    # An owner from another vendor, an approver who is not a client operator, an unknown indicator,
    # an indicator without a vendor, a baseline without an indicator.
    cases = [
        ({"owner": world.users["other_vendor_agent"]}, "owner"),
        ({"approver": world.users["executive"]}, "approver"),
        ({"indicator": "no_such_code"}, "indicator"),
        ({"indicator": "csat_mean", "vendor": None}, "vendor"),
        ({"baseline": "3"}, "indicator"),
        ({"service": world.other_service}, "service"),
    ]
    for kwargs, words in cases:
        with pytest.raises(ApplicationError, match=words):
            raise_item(world, **kwargs)
    item = raise_item(world, owner=world.users["vendor_agent"], indicator="csat_mean", baseline="3.1", target="4")
    assert (item.baseline, item.target) == (D("3.1"), D("4"))


def test_the_path_and_who_may_take_each_step(world, english):
    supervisor, admin = world.users["client_supervisor"], world.users["client_admin"]
    agent = world.users["vendor_agent"]
    item = raise_item(world, owner=agent)
    item = services.item_transition(actor=supervisor, item=item, action="accept")
    item = services.item_transition(actor=supervisor, item=item, action="assess")
    # Only the approver (the admin) approves: not the supervisor, not the owner.
    for who in (supervisor, agent):
        with pytest.raises(NotAllowed):
            services.item_transition(actor=who, item=item, action="approve")
    item = services.item_transition(actor=admin, item=item, action="approve")
    # The vendor owner implements; putting on hold needs a reason.
    item = services.item_transition(actor=agent, item=item, action="start")
    with pytest.raises(ApplicationError, match="reason"):
        services.item_transition(actor=agent, item=item, action="hold")
    item = services.item_transition(actor=agent, item=item, action="hold", note="Waiting for parts")
    item = services.item_transition(actor=agent, item=item, action="resume")
    # Another agent of the vendor does not own it.
    with pytest.raises(NotAllowed):
        services.item_transition(actor=world.users["vendor_agent_2"], item=item, action="complete")
    item = services.item_transition(actor=agent, item=item, action="complete")
    assert item.status == ItemStatus.REVIEW and item.implemented_on is not None
    # Without an indicator there is nothing to measure: it closes with its benefit.
    item = services.benefit_record(actor=agent, item=item, benefits="Fewer repeat visits", benefit_amount="1200.5")
    assert item.benefit_amount == D("1200.50")
    item = services.item_transition(actor=supervisor, item=item, action="close")
    assert item.status == ItemStatus.CLOSED and item.closed_at is not None
    # A repeated close is harmless; a step the table does not allow is refused.
    assert services.item_transition(actor=supervisor, item=item, action="close").status == ItemStatus.CLOSED
    with pytest.raises(InvalidTransition):
        services.item_transition(actor=supervisor, item=item, action="start")
    actions = set(AuditEntry.objects.filter(object_id=str(item.pk)).values_list("action", flat=True))
    assert {"improvement.improvementitem.approve", "improvement.improvementitem.close"} <= actions
    kinds = list(item.events.values_list("kind", flat=True))
    assert kinds.count(ActivityKind.STATUS_CHANGED) == 8 and ActivityKind.BENEFIT in kinds


def test_closing_an_item_with_an_indicator_needs_a_measurement_and_reject_needs_a_reason(world, english):
    supervisor, admin = world.users["client_supervisor"], world.users["client_admin"]
    item = raise_item(world, indicator="csat_mean", target="4")
    for action, actor in (("accept", supervisor), ("assess", supervisor), ("approve", admin), ("start", supervisor)):
        item = services.item_transition(actor=actor, item=item, action=action)
    item = services.item_transition(actor=supervisor, item=item, action="complete")
    with pytest.raises(ApplicationError, match="Measure"):
        services.item_transition(actor=supervisor, item=item, action="close")
    other = raise_item(world)
    with pytest.raises(ApplicationError, match="reason"):
        services.item_transition(actor=admin, item=other, action="reject")
    other = services.item_transition(actor=admin, item=other, action="reject", note="Not worth it")
    assert other.status == ItemStatus.REJECTED and other.closed_at is not None


def test_the_owner_changes_text_only_and_readers_nothing(world, english):
    agent = world.users["vendor_agent"]
    item = raise_item(world, owner=agent)
    item = services.item_update(actor=agent, item=item, description="Spare fusers on floors 2–5")
    with pytest.raises(ApplicationError, match="owner"):
        services.item_update(actor=agent, item=item, priority="high")
    for role in ("executive", "vendor_agent_2", "other_vendor_manager"):
        with pytest.raises(NotAllowed):
            services.item_update(actor=world.users[role], item=item, title="x")
