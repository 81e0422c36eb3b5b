"""The one transition helper: table check, the repeat rule, stale versions, guards, timeline, audit, events."""

from __future__ import annotations

import pytest
from django.db import transaction

from oversight.audit.models import AuditEntry
from oversight.audit.transitions import transition
from oversight.core import events
from oversight.core.errors import ApplicationError, Conflict, InvalidTransition
from oversight.core.transitions import Machine, any_actor, repeat_unless, same_actor_did_last
from oversight.tickets import services as tickets
from oversight.tickets.choices import Status
from oversight.tickets.models import WorkOrder, WorkOrderEvent

TAKEN = events.define("tests.transition.taken", "work_order_id", "actor_id", doc="A test machine's transition.")
seen: list[dict] = []


@events.handles(TAKEN)
def _record(**payload):
    seen.append(payload)


def _machine(**overrides) -> Machine:
    options = {
        "name": "tests.workorder",
        "table": {
            "take": (frozenset({Status.NEW}), Status.ACCEPTED),
            "drop": (frozenset({Status.ACCEPTED}), Status.CANCELLED),
            "claim": (frozenset({Status.NEW}), Status.ACCEPTED),
        },
        "refusal": lambda status, action: f"{action} is not possible from {status}",
        "stale": "changed: version %(current)s, you had %(seen)s",
        "audit": "tests.workorder.{action}",
        "timeline": "tickets.WorkOrderEvent",
        "same_request": same_actor_did_last,
    }
    return Machine(**{**options, **overrides})


MACHINE = _machine()


@pytest.fixture(autouse=True)
def _clear():
    seen.clear()


@pytest.fixture
def work_order(world) -> WorkOrder:
    return tickets.work_order_create(actor=world.users["requester"], service=world.service, title="Printer jammed")


def take(work_order, actor, *, machine=MACHINE, action="take", **kwargs):
    with transaction.atomic():
        return transition(
            work_order,
            machine=machine,
            action=action,
            actor=actor,
            event=TAKEN,
            payload=lambda wo: {"work_order_id": wo.pk, "actor_id": actor.pk},
            **kwargs,
        )


def _counts(work_order) -> tuple[int, int, int]:
    return (
        WorkOrder.objects.get(pk=work_order.pk).version,
        WorkOrderEvent.objects.filter(work_order=work_order).count(),
        AuditEntry.objects.filter(object_id=str(work_order.pk), action__startswith="tests.").count(),
    )


def test_a_transition_writes_status_version_timeline_and_audit(world, work_order, django_capture_on_commit_callbacks):
    agent = world.users["vendor_agent"]
    version = work_order.version
    with django_capture_on_commit_callbacks(execute=True):
        done = take(work_order, agent, audit_after={"why": "test"}, timeline={"data": {"note": "hi"}})
    assert done.changed and (done.from_status, done.to_status) == (Status.NEW, Status.ACCEPTED)
    stored = WorkOrder.objects.get(pk=work_order.pk)
    assert (stored.status, stored.version) == (Status.ACCEPTED, version + 1)
    step = WorkOrderEvent.objects.filter(work_order=work_order).order_by("-seq").first()
    assert (step.kind, step.action, step.from_status, step.to_status, step.actor) == (
        "status_changed",
        "take",
        Status.NEW,
        Status.ACCEPTED,
        agent,
    )
    assert step.data == {"note": "hi"}
    entry = AuditEntry.objects.get(action="tests.workorder.take", object_id=str(work_order.pk))
    assert (entry.actor, entry.before, entry.after) == (agent, {"status": "new"}, {"status": "accepted", "why": "test"})
    assert seen == [{"work_order_id": work_order.pk, "actor_id": agent.pk, "event_id": seen[0]["event_id"]}]


def test_the_same_actor_repeating_the_same_action_is_harmless(world, work_order, django_capture_on_commit_callbacks):
    agent = world.users["vendor_agent"]
    take(work_order, agent)
    before = _counts(work_order)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = take(work_order, agent)
    assert not again.changed and again.obj.status == Status.ACCEPTED
    assert _counts(work_order) == before  # no write, no step, no audit entry
    assert callbacks == [] and seen == []  # and no event


def test_anyone_else_or_another_action_into_the_same_status_is_refused(world, work_order):
    take(work_order, world.users["vendor_agent"])
    before = _counts(work_order)
    with pytest.raises(InvalidTransition, match="take is not possible from accepted"):
        take(work_order, world.users["vendor_agent_2"])
    with pytest.raises(InvalidTransition, match="claim is not possible from accepted"):
        take(work_order, world.users["vendor_agent"], action="claim")
    with pytest.raises(InvalidTransition):
        take(work_order, world.users["vendor_agent"], action="explode")
    assert _counts(work_order) == before


def test_the_declared_notion_of_the_same_request_decides_a_repeat(world, work_order):
    take(work_order, world.users["vendor_agent"])
    # Acting for the organisation: anyone's repeat is harmless, unless the action is excluded.
    assert not take(work_order, world.users["vendor_agent_2"], machine=_machine(same_request=any_actor)).changed
    excluded = _machine(same_request=repeat_unless("take"))
    with pytest.raises(InvalidTransition):
        take(work_order, world.users["vendor_agent"], machine=excluded)


def test_a_stale_version_is_a_conflict_and_writes_nothing(world, work_order):
    before = _counts(work_order)
    with pytest.raises(Conflict) as refused:
        take(work_order, world.users["vendor_agent"], expected_version=work_order.version + 5)
    assert refused.value.extra == {"current_version": work_order.version}
    assert str(refused.value) == f"changed: version {work_order.version}, you had {work_order.version + 5}"
    assert _counts(work_order) == before
    assert take(work_order, world.users["vendor_agent"], expected_version=work_order.version).changed


def test_guards_run_after_the_table_and_a_refusal_writes_nothing(world, work_order):
    calls = []

    def guard(obj, actor):
        calls.append(obj.status)
        raise ApplicationError("not today")

    before = _counts(work_order)
    with pytest.raises(ApplicationError, match="not today"):
        take(work_order, world.users["vendor_agent"], guards=(guard,))
    assert calls == [Status.NEW] and _counts(work_order) == before
    with pytest.raises(InvalidTransition):
        take(work_order, world.users["vendor_agent"], action="drop", guards=(guard,))
    assert calls == [Status.NEW]  # the table refused first


def test_the_event_is_published_only_after_commit(world, work_order, django_capture_on_commit_callbacks):
    agent = world.users["vendor_agent"]
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            take(work_order, agent)
            raise RuntimeError("rolled back")
        assert seen == []
    assert seen == [] and WorkOrder.objects.get(pk=work_order.pk).status == Status.NEW
    with django_capture_on_commit_callbacks(execute=True):
        take(work_order, agent)
        assert seen == []  # not before the commit
    assert [p["work_order_id"] for p in seen] == [work_order.pk]


def test_apply_and_target_shape_the_write(world, work_order):
    def apply(wo, now):
        wo.first_response_at = now
        return ["first_response_at"]

    done = take(work_order, world.users["vendor_agent"], apply=apply, target=lambda wo: Status.ON_SITE)
    stored = WorkOrder.objects.get(pk=work_order.pk)
    assert done.to_status == stored.status == Status.ON_SITE
    assert stored.first_response_at == stored.updated_at


def test_without_a_transaction_the_helper_refuses_to_run(world, work_order, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(transaction.get_connection(), "in_atomic_block", False)
        with pytest.raises(RuntimeError, match="inside a transaction"):
            transition(work_order, machine=MACHINE, action="take", actor=None)
    assert WorkOrder.objects.get(pk=work_order.pk).status == Status.NEW


def test_announce_publishes_each_listed_event_after_commit(world, work_order, django_capture_on_commit_callbacks):
    agent = world.users["vendor_agent"]

    def announce(done):
        assert (done.from_status, done.to_status) == (Status.NEW, Status.ACCEPTED)
        return [(TAKEN, {"work_order_id": done.obj.pk, "actor_id": agent.pk})] * 2

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            transition(work_order, machine=MACHINE, action="take", actor=agent, announce=announce)
        assert seen == []
    assert [p["work_order_id"] for p in seen] == [work_order.pk, work_order.pk]
    assert seen[0]["event_id"] != seen[1]["event_id"]
