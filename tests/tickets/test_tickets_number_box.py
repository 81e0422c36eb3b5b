"""The box that reads work-order numbers (linking incidents to a problem or to the change that caused them)."""

from __future__ import annotations

from django.utils import translation

from oversight.tickets import services
from oversight.tickets.forms import MAX_LINKED_NUMBERS, WorkOrderNumbersForm


def make(world, title, **kwargs):
    kwargs.setdefault("actor", world.users["requester"])
    kwargs.setdefault("service", world.service)
    return services.work_order_create(title=title, **kwargs)


def read(user, text):
    with translation.override("en"):
        form = WorkOrderNumbersForm({"numbers": text}, user=user)
        return form.cleaned_data["numbers"] if form.is_valid() else [str(e) for e in form.errors["numbers"]]


def test_numbers_are_read_in_order_once_each_with_any_separator(world):
    a, b, c = (make(world, f"Printer {i}") for i in range(3))
    supervisor = world.users["client_supervisor"]
    assert read(supervisor, f"{c.number}, {a.number}，{b.number} {a.number}") == [c, a, b]
    assert read(supervisor, " , ，") == ["Choose at least one work order."]
    assert read(supervisor, "") == ["This field is required."]


def test_a_number_the_reader_cannot_see_is_refused_like_one_that_does_not_exist(world):
    mine = make(world, "Printer")
    elsewhere = make(world, "Other", actor=world.users["foreign_requester"], service=world.foreign_service)
    supervisor = world.users["client_supervisor"]
    assert read(supervisor, f"{mine.number} {elsewhere.number}") == [f"No work order {elsewhere.number}."]
    assert read(supervisor, f"{mine.number} GH-NOPE") == ["No work order GH-NOPE."]


def test_only_the_first_numbers_are_read(world):
    first = make(world, "Printer")
    supervisor = world.users["client_supervisor"]
    noise = " ".join(["GH-NOPE"] * MAX_LINKED_NUMBERS)
    assert read(supervisor, f"{first.number} {noise}") == ["No work order GH-NOPE."]
    assert read(supervisor, " ".join([first.number] * MAX_LINKED_NUMBERS + ["GH-NOPE"])) == [first]
