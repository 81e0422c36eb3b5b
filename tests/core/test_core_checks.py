"""`manage.py check` catches a handler registered for an event nobody defines (it would silently never run)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from oversight.core import events


def _orphan(**payload):
    """A handler of an event that no app defines."""


def test_check_reports_a_handler_of_an_undefined_event():
    call_command("check")  # the project as it is: every handled event is defined
    events.handles("tickets.work_order.resolvd")(_orphan)
    try:
        with pytest.raises(SystemCheckError, match=r"oversight\.E001.*tickets\.work_order\.resolvd"):
            call_command("check")
    finally:
        events._registry.handlers.pop("tickets.work_order.resolvd")
    call_command("check")


def test_every_event_an_app_handles_is_defined_by_the_app_that_publishes_it():
    assert events.undefined_handled_events() == []
    defined = events.event_types()
    for name in ("tickets.work_order.resolved", "tickets.work_order.created", "feedback.rating.submitted"):
        assert name in defined and defined[name].doc
