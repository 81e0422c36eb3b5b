"""Real concurrency: two connections racing on the same work order or the same idempotency key."""

import threading

import pytest
from django.db import connection

from oversight.core.errors import Conflict
from oversight.tickets import services
from oversight.tickets.choices import Action
from oversight.tickets.models import WorkOrder

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls at the same moment in separate threads (each with its own DB connection)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each side got
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_second_writer_gets_a_conflict_not_an_overwrite(world):
    wo = services.work_order_create(actor=world.users["requester"], service=world.service, title="x")
    wo = services.work_order_transition(actor=world.users["vendor_agent"], work_order=wo, action=Action.ACCEPT)
    seen = wo.version
    results = race(
        lambda: services.work_order_transition(
            actor=world.users["vendor_agent"], work_order=wo, action=Action.ARRIVE, expected_version=seen
        ),
        lambda: services.work_order_transition(
            actor=world.users["vendor_agent"], work_order=wo, action=Action.PAUSE_REQUESTER, expected_version=seen
        ),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, Conflict)
    stored = WorkOrder.objects.get(pk=wo.pk)
    assert stored.version == seen + 1
    assert stored.events.filter(kind="status_changed").count() == 2  # accept + exactly one of the two


def test_double_submit_with_same_key_creates_one_work_order(world):
    def submit():
        return services.work_order_create_idempotent(
            actor=world.users["requester"], service=world.service, title="double click", idempotency_key="form-123"
        )

    results = race(submit, submit)
    assert all(kind == "ok" for kind, _ in results), results
    (a, created_a), (b, created_b) = (value for _, value in results)
    assert a.pk == b.pk and sorted([created_a, created_b]) == [False, True]
    assert WorkOrder.objects.filter(title="double click").count() == 1
