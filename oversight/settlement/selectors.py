"""Reads of settlement statements scoped to the acting user.

Visibility (the gate, ``SettlementStatement.visibility``, plus one domain rule here)
-------------------------------------------------------------------------------------
* Client roles (administrator, supervisor, executive, auditor) see every statement of their organisation.
* Vendor staff (manager and agents) see their own vendor's **approved** statements (a draft is the client's
  work in progress, like a draft evaluation); anything else is a 404.
* Requesters see none.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from oversight.scorecards.selectors import signed_periods
from oversight.settlement.choices import StatementStatus
from oversight.settlement.models import SettlementStatement, StatementLine
from oversight.tenancy.roles import is_vendor
from oversight.tenancy.visibility import restrict

STATEMENT_RELATED = (
    "organisation",
    "period",
    "contract",
    "contract_version",
    "vendor",
    "supersedes",
    "supersedes__period",
    "prepared_by",
    "approved_by",
)


def statement_list(*, user) -> QuerySet[SettlementStatement]:
    """Statements the user may see (module docstring), with period, contract, vendor and signatories joined."""
    qs = restrict(SettlementStatement.objects.select_related(*STATEMENT_RELATED), user)
    if is_vendor(user):
        # A draft is the client's work in progress: the vendor sees a statement once it is approved.
        qs = qs.filter(status=StatementStatus.APPROVED)
    return qs


def statement_get(*, user, pk) -> SettlementStatement:
    """One visible statement with its lines, or 404 (never 403: nobody learns that an invisible one exists)."""
    try:
        return (
            statement_list(user=user)
            .prefetch_related(Prefetch("lines", queryset=statement_lines_queryset()))
            .get(pk=pk)
        )
    except (SettlementStatement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def statement_lines_queryset() -> QuerySet[StatementLine]:
    """Lines in order with their commitment results joined."""
    return StatementLine.objects.select_related("commitment_result").order_by("position")


def statement_lines(statement: SettlementStatement) -> list[StatementLine]:
    """The lines of a (visible) statement in order."""
    return list(statement_lines_queryset().filter(statement=statement))


def periods_awaiting_statement(*, user) -> QuerySet:
    """Signed or locked current period revisions the user may see that have no statement yet."""
    return (
        signed_periods(user=user).filter(settlement_statement__isnull=True).order_by("-starts_on", "contract__number")
    )
