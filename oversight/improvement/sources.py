"""Where an improvement came from: a typed link (kind + id) resolved through the owning app's selectors, so a
reader is only ever shown, and an author may only link, what the gate lets them see.

Kinds and what they link: a breach pattern links a breached work order, a complaint a complaint, a low-score
period an evaluation period, an audit a CMDB spot check, a problem a problem; survey and manual link nothing
(a survey is named by a reference typed by hand). A meeting is named by its reference for now and linked by id once
the meetings app is in place (a resolver added here, nothing else changes).

``?source=<kind>:<id>`` on the create form (and the API's ``source`` field) is parsed by :func:`parse`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from oversight.configuration.selectors import spot_check_get
from oversight.core.errors import ApplicationError
from oversight.feedback.selectors import complaint_get
from oversight.improvement.choices import UNLINKED_SOURCES, SourceKind
from oversight.problems.selectors import problem_get_by_pk
from oversight.scorecards.selectors import period_get
from oversight.tickets.selectors import work_order_get


@dataclass(frozen=True)
class Linked:
    """A source object as its reader may see it: its page, a short text, and the vendor it belongs to."""

    kind: str
    pk: int
    text: str
    url: str
    vendor_id: int | None
    organisation_id: int


def _work_order(obj) -> str:
    return f"{obj.number} {obj.title}"


def _complaint(obj) -> str:
    return f"#{obj.pk} {obj.title}"


def _period(obj) -> str:
    return str(obj)


def _spot_check(obj) -> str:
    return str(_("Spot check of %(vendor)s on %(day)s") % {"vendor": obj.vendor, "day": obj.checked_on.isoformat()})


def _problem(obj) -> str:
    return f"{obj.number} {obj.title}"


#: kind -> (get(user=, pk=) raising Http404, short text of the object).
RESOLVERS: dict[str, tuple[Callable, Callable]] = {
    SourceKind.BREACH: (work_order_get, _work_order),
    SourceKind.COMPLAINT: (complaint_get, _complaint),
    SourceKind.LOW_SCORE: (period_get, _period),
    SourceKind.AUDIT: (spot_check_get, _spot_check),
    SourceKind.PROBLEM: (problem_get_by_pk, _problem),
}


def linkable_kinds() -> frozenset[str]:
    """The kinds whose objects can be linked now."""
    return frozenset(RESOLVERS) | UNLINKED_SOURCES


def parse(raw: str) -> tuple[str, int | None]:
    """``"complaint:12"`` → ("complaint", 12); ``"manual"`` / ``"survey"`` → (kind, None); else ApplicationError."""
    kind, _sep, ident = (raw or "").strip().partition(":")
    if kind not in linkable_kinds():
        raise ApplicationError(_("Choose where the improvement comes from."))
    if kind in UNLINKED_SOURCES:
        return kind, None
    if not ident.isdigit():
        raise ApplicationError(_("Name the object the improvement comes from."))
    return kind, int(ident)


def resolve(*, user, kind: str, pk: int | None) -> Linked | None:
    """The source object as ``user`` may see it; None for kinds without one or an object the user cannot see."""
    if kind not in RESOLVERS or pk is None:
        return None
    get, text = RESOLVERS[kind]
    try:
        obj = get(user=user, pk=pk)
    except Http404:
        return None
    return Linked(
        kind=kind,
        pk=obj.pk,
        text=text(obj),
        url=obj.get_absolute_url(),
        vendor_id=getattr(obj, "vendor_id", None),
        organisation_id=obj.organisation_id,
    )


def require(*, user, kind: str, pk: int | None, organisation_id: int) -> Linked | None:
    """The source an author links, refused unless they may see it and it is of the item's organisation."""
    if kind not in linkable_kinds():
        raise ApplicationError(_("Choose where the improvement comes from."))
    if kind in UNLINKED_SOURCES:
        return None
    if pk is None:
        raise ApplicationError(_("Name the object the improvement comes from."))
    linked = resolve(user=user, kind=kind, pk=pk)
    if linked is None or linked.organisation_id != organisation_id:
        raise ApplicationError(_("There is no such source that you may see."))
    return linked
