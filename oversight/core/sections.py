"""Sections that an app contributes to a page of an app below it.

The ITIL apps sit above tickets in the layers (a problem knows its incidents, a work order does not know its
problem), yet a work order's page must show the problem it is linked to, the impacted services of its
configuration items, the parts it consumed and the articles that may solve it. Importing upwards would break the
layering, so the page names a slot (`{% page_sections "tickets.work_order" wo %}`) and each app that has
something to show there registers a section from its `AppConfig.ready()`:

    contribute("tickets.work_order", name="problems.linked_problem",
               template="problems/sections/work_order_problem.html", context=work_order_problem_context)

`context(request, obj)` runs the app's own selectors (so the visibility gate holds) and returns the template's
context, or None when the section has nothing to show for this reader and object. Sections render in `order`,
then by name, so a page looks the same on every request.

Known slots (add one where a page needs it, and list it here):
- `tickets.work_order` — the work-order page, main column; obj is the work order.
- `tickets.work_order_side` — the work-order page, side column; obj is the work order.
- `tickets.work_order_form` — the new-work-order form (portal and service desk), below the description;
  obj is the bound or unbound form.
- `tickets.bulk_actions` — inside the bulk panel of the board and the queues, after the "apply" button;
  obj is None. A section may add buttons with `form="bulk-form"` and its own `formaction` (the ticked rows
  are posted as `ids`, work-order primary keys).
- `contactcentre.dashboard` — the contact-centre supervision dashboard, below the contact-centre figures; obj is
  a `contactcentre.dashboard.DashboardScope` (organisation, vendor or None for all, visible `queues`, local
  dates `first`..`last` included).
- `contactcentre.queue` — a contact queue's page, after its days and terms; obj is the `contactcentre.Queue`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    page: str
    name: str
    template: str
    context: Callable[[HttpRequest, Any], dict | None]
    order: int = 100


_SECTIONS: dict[str, dict[str, Section]] = {}


def contribute(
    page: str,
    *,
    name: str,
    template: str,
    context: Callable[[HttpRequest, Any], dict | None],
    order: int = 100,
) -> Section:
    """Register (or, under the same name, replace: `ready()` may run twice in tests) a section of `page`."""
    section = Section(page=page, name=name, template=template, context=context, order=order)
    _SECTIONS.setdefault(page, {})[name] = section
    return section


def withdraw(page: str, name: str) -> None:
    """Remove a section (tests that register one of their own clean up with this)."""
    _SECTIONS.get(page, {}).pop(name, None)


def sections_for(page: str) -> list[Section]:
    return sorted(_SECTIONS.get(page, {}).values(), key=lambda s: (s.order, s.name))


def rendered_sections(page: str, request: HttpRequest, obj: Any) -> list[tuple[Section, dict]]:
    """(section, context) for every section of `page` that has something to show to this reader."""
    shown = []
    for section in sections_for(page):
        context = section.context(request, obj)
        if context is not None:
            shown.append((section, context))
    return shown
