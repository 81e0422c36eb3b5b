"""Demo settlements: a statement for every signed or locked demo evaluation; the older quarter's approved.

`load_demo_settlements(organisation, actor)` is idempotent: a period that has a statement keeps it, an
approved statement is never touched. Load it after `scorecards.demo.load_demo_evaluations`.
"""

from __future__ import annotations

from oversight.scorecards.choices import FROZEN_STATUSES
from oversight.scorecards.models import EvaluationPeriod
from oversight.settlement import services
from oversight.settlement.models import SettlementStatement
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User


def _first(organisation, role: str):
    return User.objects.filter(organisation=organisation, role=role, is_active=True).order_by("pk").first()


def load_demo_settlements(organisation, actor=None) -> list[SettlementStatement]:
    """Prepare (once) the statement of each signed/locked current period revision; approve each contract's oldest."""
    actor = actor or _first(organisation, Role.CLIENT_SUPERVISOR) or _first(organisation, Role.CLIENT_ADMIN)
    periods = (
        EvaluationPeriod.objects.filter(organisation=organisation, status__in=FROZEN_STATUSES, revised_by__isnull=True)
        .select_related("contract")
        .order_by("contract_id", "starts_on", "revision")
    )
    statements = []
    oldest: dict[int, SettlementStatement] = {}
    for period in periods:
        statement = SettlementStatement.objects.filter(period=period).first()
        if statement is None:
            statement = services.statement_prepare(actor=actor, period=period)
        statements.append(statement)
        oldest.setdefault(period.contract_id, statement)
    for statement in oldest.values():
        if not statement.is_approved:
            services.statement_approve(actor=actor, statement=statement)
    return [SettlementStatement.objects.get(pk=s.pk) for s in statements]
