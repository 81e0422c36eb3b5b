"""The expected charge of a contract's periods beside the settlement's actual amount, and the usage they rest on.

Usage is summed from the **current** interval facts (`is_current`) of the contract's queues over the period's
instants ``[start_at, end_at)`` (the evaluation period's local midnights); the charge itself is the pure
`sourcing.pricing.expected_charge`. The actual amount is the statement's total: final once the statement is
approved (a draft is shown as a draft); a statement superseded by a correction is not shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from oversight.contactcentre.models import IntervalFact
from oversight.settlement.selectors import statement_list
from oversight.sourcing import pricing
from oversight.sourcing.models import CommercialModel

ZERO = Decimal(0)
SIXTY = Decimal(60)


def usage(*, contract_id: int, start: dt.datetime, end: dt.datetime, vendor_id: int | None = None) -> pricing.Usage:
    """The summed current interval facts of a contract's queues (or, without a contract, a vendor's) in a window."""
    facts = IntervalFact.objects.filter(is_current=True, interval_start__gte=start, interval_start__lt=end)
    facts = facts.filter(queue__contract_id=contract_id) if contract_id is not None else facts
    if vendor_id is not None:
        facts = facts.filter(queue__vendor_id=vendor_id)
    rows = facts.values("queue__interval_minutes").annotate(
        offered=Sum("offered"),
        answered=Sum("answered"),
        abandoned=Sum("abandoned"),
        wait=Sum("wait_seconds"),
        talk=Sum("talk_seconds"),
        hold=Sum("hold_seconds"),
        acw=Sum("acw_seconds"),
        staffed=Sum("staffed_agents"),
        paid=Sum("paid_hours"),
    )
    totals = {"offered": 0, "answered": 0, "abandoned": 0}
    wait = handle = productive = paid = ZERO
    for row in rows:
        for key in totals:
            totals[key] += row[key] or 0
        wait += row["wait"] or ZERO
        handle += (row["talk"] or ZERO) + (row["hold"] or ZERO) + (row["acw"] or ZERO)
        productive += (row["staffed"] or ZERO) * Decimal(row["queue__interval_minutes"]) / SIXTY
        paid += row["paid"] or ZERO
    return pricing.Usage(
        wait_seconds=wait, handle_seconds=handle, productive_hours=productive, paid_hours=paid, **totals
    )


def terms_of(model: CommercialModel) -> pricing.Terms:
    """A stored commercial model as the plain terms of `sourcing.pricing`."""
    return pricing.Terms(
        basis=model.basis,
        rate=model.rate,
        hours_per_fte_month=model.hours_per_fte_month,
        outcome_kpi=model.outcome_kpi,
        outcome_target=model.outcome_target,
        bonus_percent=model.bonus_percent,
        malus_percent=model.malus_percent,
    )


@dataclass(frozen=True)
class PeriodCharge:
    """One settled period of the contract version: usage, expected charge and the statement's amount."""

    statement: object
    usage: pricing.Usage
    charge: pricing.Charge
    actual: Decimal
    difference: Decimal


def period_charges(*, user, model: CommercialModel) -> list[PeriodCharge]:
    """Every visible, not superseded statement of the model's contract version, oldest first, with its charge."""
    version = model.contract_version
    statements = (
        statement_list(user=user)
        .filter(contract_version=version, superseded_by__isnull=True)
        .order_by("period__starts_on", "pk")
    )
    terms = terms_of(model)
    rows = []
    for statement in statements:
        period = statement.period
        used = usage(contract_id=version.contract_id, start=period.start_at, end=period.end_at)
        charge = pricing.expected_charge(terms, used)
        rows.append(PeriodCharge(statement, used, charge, statement.total, statement.total - charge.total))
    return rows
