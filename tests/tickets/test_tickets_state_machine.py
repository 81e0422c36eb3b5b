"""Property test: any sequence of requests keeps the work order, its timeline and its clocks consistent."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.core.clock import frozen_at
from oversight.core.errors import ApplicationError
from oversight.tickets import services
from oversight.tickets.choices import PENDING_STATUSES, TRANSITIONS, Action, Status
from oversight.tickets.models import WorkOrder
from oversight.tickets.sla import compute_work_order_clocks

T0 = dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
ACTORS = ["vendor_agent", "vendor_manager", "requester", "client_supervisor", "auditor", "other_vendor_agent"]
USER_ACTIONS = [a for a in Action.values if a != Action.AUTO_CLOSE]

steps = st.lists(
    st.tuples(st.sampled_from(USER_ACTIONS), st.sampled_from(ACTORS), st.integers(min_value=1, max_value=600)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_any_sequence_keeps_work_order_consistent(world, steps):
    now = T0
    with frozen_at(now):
        wo = services.work_order_create(
            actor=world.users["requester"], service=world.service, offering=world.onsite_offering, title="x"
        )
    expected_status = Status.NEW
    last_working = None
    for action, who, gap in steps:
        now += dt.timedelta(minutes=gap)
        before = WorkOrder.objects.get(pk=wo.pk)
        events_before = before.events.count()
        sources, target = TRANSITIONS[action]
        with frozen_at(now):
            try:
                services.work_order_transition(
                    actor=world.users[who], work_order=wo, action=action, note="because", resolution="fixed"
                )
            except ApplicationError:
                after = WorkOrder.objects.get(pk=wo.pk)
                # A refused request changes nothing at all.
                assert (after.status, after.version, after.events.count()) == (
                    before.status,
                    before.version,
                    events_before,
                )
                continue
        after = WorkOrder.objects.get(pk=wo.pk)
        if before.status in sources:
            if action == Action.RESUME:
                target = last_working
            expected_status = target
            assert after.events.count() == events_before + 1
        else:
            # Only a harmless repeat of the state already reached may "succeed" without sources.
            assert after.version == before.version and after.events.count() == events_before
        if expected_status in (Status.ACCEPTED, Status.ON_SITE):
            last_working = expected_status
        assert after.status == expected_status
    stored = WorkOrder.objects.get(pk=wo.pk)
    events = list(stored.events.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.to_status for e in events if e.to_status][-1] == stored.status
    assert all(e.at <= events[i + 1].at for i, e in enumerate(events[:-1]))
    if stored.status in PENDING_STATUSES:
        assert stored.sla_next_due_at is None or stored.clocks.filter(state="running").exists()
    # The stored clocks are exactly what a fresh rebuild from the timeline gives.
    fresh = {c.metric: c for c in compute_work_order_clocks(stored, events, stored.clocks.first().computed_at)}
    for row in stored.clocks.all():
        other = fresh[row.metric]
        assert (row.state, row.due_at, row.breached_at, row.elapsed_seconds, row.segments) == (
            other.state,
            other.due_at,
            other.breached_at,
            other.elapsed_seconds,
            other.segments,
        )
