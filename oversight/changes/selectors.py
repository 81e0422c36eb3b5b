"""Reads of changes and standard change templates, limited to what the acting user may see.

Vendor staff see the changes their vendor implements and the whole catalogue of standard changes (through the
one gate: ``Change.visibility``, ``ChangeTemplate.visibility``); requesters see none; the client's roles see
their organisation's.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from oversight.changes.choices import AWAITING_AUTHORISATION, ChangeType
from oversight.changes.models import Change, ChangeTemplate
from oversight.tenancy.visibility import restrict

LIST_RELATED = ("implementer", "requested_by", "template")


def change_list(*, user) -> QuerySet[Change]:
    """Changes the user may see, with what list pages need joined in."""
    return restrict(Change.objects.select_related(*LIST_RELATED), user)


def change_get(*, user, number: str) -> Change:
    """One visible change by its number, or 404 (never 403)."""
    try:
        return change_list(user=user).select_related("contract", "created_by", "reviewed_by").get(number=number)
    except (Change.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def change_get_by_pk(*, user, pk) -> Change:
    """One visible change by primary key (the API), or 404."""
    try:
        return change_list(user=user).select_related("contract", "created_by", "reviewed_by").get(pk=pk)
    except (Change.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def change_events(*, change: Change):
    """The timeline of a visible change, oldest first."""
    return change.events.select_related("actor").order_by("seq")


def changes_awaiting_authorisation(*, user) -> QuerySet[Change]:
    """Visible normal and emergency changes not yet authorised or rejected (the CAB's agenda), oldest first."""
    return (
        change_list(user=user)
        .exclude(type=ChangeType.STANDARD)
        .filter(status__in=AWAITING_AUTHORISATION)
        .order_by("created_at", "id")
    )


def template_list(*, user, active_only: bool = False) -> QuerySet[ChangeTemplate]:
    """Standard change templates the user may see (the catalogue)."""
    qs = restrict(ChangeTemplate.objects.select_related("service", "vendor"), user)
    return qs.filter(active=True) if active_only else qs


def template_get(*, user, pk) -> ChangeTemplate:
    """One visible template, or 404."""
    try:
        return template_list(user=user).get(pk=pk)
    except (ChangeTemplate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
