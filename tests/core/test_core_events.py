"""Domain events: published after commit only, to every registered handler, with a checked payload."""

from __future__ import annotations

import pytest
from django.db import transaction

from oversight.core import events

PING = events.define("tests.ping", "thing_id", doc="A test event.")
seen: list[dict] = []


@events.handles("tests.ping")
def _record(**payload):
    seen.append(payload)


@events.handles(PING)
def _record_again(**payload):
    seen.append({"again": payload["thing_id"]})


@pytest.fixture(autouse=True)
def _clear():
    seen.clear()


@pytest.mark.django_db
def test_handlers_run_after_commit_with_one_event_id(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event_id = events.publish(PING, thing_id=7)
        assert seen == []  # nothing before the commit
    assert len(callbacks) == 2
    assert seen == [{"thing_id": 7, "event_id": event_id}, {"again": 7}]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_announces_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish(PING, thing_id=1)
        raise RuntimeError("rollback")
    assert seen == []
    with transaction.atomic():
        events.publish(PING, thing_id=2)
    assert [p.get("thing_id", p.get("again")) for p in seen] == [2, 2]


def test_payload_is_checked():
    with pytest.raises(TypeError, match="missing"):
        events.publish(PING)
    with pytest.raises(TypeError, match="unexpected"):
        events.publish(PING, thing_id=1, other=2)
    with pytest.raises(TypeError, match="primary key"):
        events.publish(PING, thing_id=object())
    with pytest.raises(LookupError):
        events.publish("tests.never_defined", thing_id=1)


def test_registering_twice_keeps_one_handler_and_redefining_differently_is_refused():
    events.handles(PING)(_record)
    assert [events.handler_path(f) for f in events.handlers_for("tests.ping")].count(events.handler_path(_record)) == 1
    assert events.define("tests.ping", "thing_id", doc="A test event.") == PING
    with pytest.raises(ValueError):
        events.define("tests.ping", "other_id")


def test_the_task_runs_only_registered_handlers():
    from oversight.core.tasks import run_event_handler

    with pytest.raises(LookupError):
        run_event_handler.apply(args=("tests.ping", "os.system", {"thing_id": 1}), throw=True)
    run_event_handler.apply(args=("tests.ping", events.handler_path(_record), {"thing_id": 3, "event_id": "x"}))
    assert seen == [{"thing_id": 3, "event_id": "x"}]


def test_undefined_handled_events_are_reported():
    events.handles("tests.typo_event")(_record)
    try:
        assert "tests.typo_event" in events.undefined_handled_events()
    finally:
        events._registry.handlers.pop("tests.typo_event")
