"""Writes of the settlement app: prepare (and recompute) a statement of a signed period, approve it, verify it.

Every figure comes from `fees.calc.settle()`, fed by `scorecards.selectors.settlement_inputs_for(period)`
(the contract version in force on the period's first day, the signed score, the measured commitment values
and the work orders received per type) and by the spare parts the vendor's work orders used in the period
(`parts.selectors.vendor_consumption`: one unit-rate charge per part and unit price, net of returns, units ×
the unit price on the ledger, rounded to the cent like every unit charge; :func:`parts_charges`). The inputs
given to `settle()` and the statement it returned are stored as canonical JSON (:func:`canonical_inputs`,
`Statement.as_dict()`), together with a SHA-256 over both (:func:`content_hash`). :func:`statement_verify`
rebuilds the inputs from that JSON alone, runs `settle()` again and checks that the lines, the total and the
hash come out identical - byte for byte.

Who may do what: the client's administrators and supervisors of the organisation prepare and approve;
nobody else writes. A locked (approved) statement never changes; a corrected evaluation (a new period
revision) is settled by a new statement that `supersedes` the old one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from oversight.fees import calc
from oversight.parts.selectors import vendor_consumption
from oversight.scorecards.choices import FROZEN_STATUSES
from oversight.scorecards.models import CommitmentResult, EvaluationPeriod
from oversight.scorecards.selectors import settlement_inputs_for
from oversight.settlement.choices import STATEMENT_MACHINE, StatementAction, StatementStatus, line_source
from oversight.settlement.events import STATEMENT_APPROVED
from oversight.settlement.models import SettlementStatement, StatementLine
from oversight.settlement.permissions import may_operate

COMMITMENT_REF = "commitment_result:"


# ---------------------------------------------------------------------------------------------- permissions


def _require_operator(actor, organisation_id) -> None:
    if not may_operate(actor, organisation_id):
        raise NotAllowed(_("Only the client's administrators and supervisors can do this."))


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# ---------------------------------------------------------------------------------------------- canonical form


def canonical_inputs(kwargs: dict) -> dict[str, Any]:
    """The keyword arguments of `settle()` as JSON-safe data (Decimals as their exact strings)."""
    bands: calc.BandTable = kwargs["bands"]
    return {
        "base_fee": str(kwargs["base_fee"]),
        "score": str(kwargs["score"]),
        "at_risk_percent": str(kwargs["at_risk_percent"]),
        "bands": {
            "bands": [
                {
                    "upper": str(b.upper),
                    "lower": None if b.lower is None else str(b.lower),
                    "per_point": str(b.per_point),
                    "per_point_basis": str(b.per_point_basis),
                    "step": str(b.step),
                    "step_basis": str(b.step_basis),
                }
                for b in bands.bands
            ],
            "max_deduction": None if bands.max_deduction is None else str(bands.max_deduction),
            "max_deduction_basis": str(bands.max_deduction_basis),
        },
        "commitments": [
            {
                "code": c.code,
                "allocation_percent": str(c.allocation_percent),
                "share_percent": str(c.share_percent),
                "ref": c.ref,
            }
            for c in kwargs["commitments"]
        ],
        "unit_charges": [
            {"code": u.code, "count": u.count, "rate": str(u.rate), "ref": u.ref} for u in kwargs["unit_charges"]
        ],
    }


def settle_kwargs(inputs: dict[str, Any]) -> dict[str, Any]:
    """Rebuild the keyword arguments of `settle()` from their stored canonical form (the inverse of the above)."""
    table = inputs["bands"]
    return {
        "base_fee": Decimal(inputs["base_fee"]),
        "score": Decimal(inputs["score"]),
        "at_risk_percent": Decimal(inputs["at_risk_percent"]),
        "bands": calc.BandTable(
            bands=tuple(
                calc.ScoreBand(
                    upper=Decimal(b["upper"]),
                    lower=None if b["lower"] is None else Decimal(b["lower"]),
                    per_point=Decimal(b["per_point"]),
                    per_point_basis=b["per_point_basis"],
                    step=Decimal(b["step"]),
                    step_basis=b["step_basis"],
                )
                for b in table["bands"]
            ),
            max_deduction=None if table["max_deduction"] is None else Decimal(table["max_deduction"]),
            max_deduction_basis=table["max_deduction_basis"],
        ),
        "commitments": tuple(
            calc.Commitment(
                code=c["code"],
                allocation_percent=Decimal(c["allocation_percent"]),
                share_percent=Decimal(c["share_percent"]),
                ref=c["ref"],
            )
            for c in inputs["commitments"]
        ),
        "unit_charges": tuple(
            calc.UnitCharge(code=u["code"], count=u["count"], rate=Decimal(u["rate"]), ref=u["ref"])
            for u in inputs["unit_charges"]
        ),
    }


def canonical_json(inputs: dict, result: dict) -> bytes:
    """The bytes the content hash is taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        {"inputs": inputs, "statement": result}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def content_hash(inputs: dict, result: dict) -> str:
    """SHA-256 (hex) over the canonical JSON of the inputs and the statement."""
    return hashlib.sha256(canonical_json(inputs, result)).hexdigest()


def _settle(kwargs: dict) -> calc.Statement:
    try:
        return calc.settle(**kwargs)
    except calc.SettlementError as exc:
        raise ApplicationError(
            _("The contract's settlement terms cannot be applied: %(problem)s") % {"problem": exc.message},
            code=f"settlement_{exc.code}",
        ) from exc


#: The code prefix of a spare part's unit-rate charge: ``part:<part code>@<unit price>``.
PART_CHARGE = "part:"


def parts_charges(period: EvaluationPeriod) -> tuple[calc.UnitCharge, ...]:
    """The spare parts the vendor's work orders used in the period as unit-rate charges (count = net units used,
    rate = the unit price recorded on the ledger), one per part and price."""
    used = vendor_consumption(
        organisation_id=period.organisation_id, vendor_id=period.vendor_id, start=period.start_at, end=period.end_at
    )
    return tuple(
        calc.UnitCharge(
            code=f"{PART_CHARGE}{row.code}@{row.unit_price}",
            count=row.units,
            rate=row.unit_price,
            ref=f"{PART_CHARGE}{row.item_id}",
        )
        for row in used
    )


def _figures(statement: calc.Statement) -> dict[str, Decimal]:
    return {name: getattr(statement, name) for name in calc.FIGURES}


# ---------------------------------------------------------------------------------------------- prepare


def _lock_period(period: EvaluationPeriod) -> EvaluationPeriod:
    return (
        EvaluationPeriod.objects.select_for_update(of=("self",))
        .select_related("organisation", "contract", "vendor", "contract_version", "revision_of")
        .get(pk=period.pk)
    )


def _check_period(period: EvaluationPeriod) -> None:
    if period.status not in FROZEN_STATUSES:
        raise InvalidTransition(
            _("Only an evaluation signed by both sides (or locked) is settled; this one is “%(status)s”.")
            % {"status": period.get_status_display()},
            code="period_not_signed",
        )
    if EvaluationPeriod.objects.filter(revision_of=period).exists():
        raise InvalidTransition(
            _("This evaluation was corrected by a revision: settle the revision instead."), code="period_revised"
        )
    if period.total_score is None:
        raise ApplicationError(_("The evaluation has no score."), code="period_without_score")


def _write_lines(statement: SettlementStatement, result: calc.Statement, results_by_pk: dict) -> None:
    rows = []
    for position, line in enumerate(result.lines, start=1):
        commitment_result = None
        if line.ref and line.ref.startswith(COMMITMENT_REF):
            commitment_result = results_by_pk.get(int(line.ref.removeprefix(COMMITMENT_REF)))
        rows.append(
            StatementLine(
                statement=statement,
                position=position,
                code=line.code,
                label_key=line.label_key,
                amount=line.amount,
                explanation=line.explanation,
                ref=line.ref or "",
                source=line_source(line.code),
                commitment_result=commitment_result,
            )
        )
    StatementLine.objects.bulk_create(rows)


@transaction.atomic
def statement_prepare(*, actor, period: EvaluationPeriod) -> SettlementStatement:
    """Compute the statement of a period signed by both sides (or locked); recompute a draft, refuse an approved one."""
    locked = _lock_period(period)
    _require_operator(actor, locked.organisation_id)
    _check_period(locked)
    existing = SettlementStatement.objects.select_for_update(of=("self",)).filter(period=locked).first()
    if existing is not None and existing.is_approved:
        raise InvalidTransition(
            _("This statement was approved and is locked: its numbers never change."), code="statement_locked"
        )
    results = list(CommitmentResult.objects.filter(period=locked))
    refs = {r.code: f"{COMMITMENT_REF}{r.pk}" for r in results}
    kwargs = settlement_inputs_for(locked, refs=refs).as_kwargs(locked.total_score)
    kwargs["unit_charges"] = (*kwargs["unit_charges"], *parts_charges(locked))
    result = _settle(kwargs)
    inputs = canonical_inputs(kwargs)
    stored = result.as_dict()
    digest = content_hash(inputs, stored)
    now = clock.now()
    values = {
        "organisation": locked.organisation,
        "contract": locked.contract,
        "contract_version": locked.contract_version,
        "vendor": locked.vendor,
        "currency": locked.contract.currency,
        "score": locked.total_score,
        **_figures(result),
        "inputs": inputs,
        "result": stored,
        "content_hash": digest,
        "prepared_at": now,
        "prepared_by": _user(actor),
        "updated_at": now,
    }
    if existing is None:
        previous = None
        if locked.revision_of_id is not None:
            previous = SettlementStatement.objects.filter(period_id=locked.revision_of_id).first()
        statement = SettlementStatement.objects.create(
            period=locked, supersedes=previous, created_at=now, status=StatementStatus.DRAFT, **values
        )
        before = None
    else:
        before = {"total": existing.total, "content_hash": existing.content_hash}
        statement = existing
        for name, value in values.items():
            setattr(statement, name, value)
        statement.save(update_fields=list(values))
        statement.lines.all().delete()
    _write_lines(statement, result, {r.pk: r for r in results})
    audit_record(
        actor=actor,
        action="settlement.statement.prepared" if before is None else "settlement.statement.recomputed",
        obj=statement,
        before=before,
        after={
            "period": locked.pk,
            "score": locked.total_score,
            "total": statement.total,
            "content_hash": digest,
            "supersedes": statement.supersedes_id,
        },
    )
    return statement


# ---------------------------------------------------------------------------------------------- verify


@dataclass
class Verification:
    """The outcome of re-running `settle()` from a statement's stored inputs."""

    ok: bool
    stored_hash: str
    recomputed_hash: str
    differences: list[str] = field(default_factory=list)


def verify_statement(statement: SettlementStatement) -> Verification:
    """Re-run `settle()` from the stored inputs alone and compare lines, figures and hash (no write)."""
    recomputed = _settle(settle_kwargs(statement.inputs))
    fresh = recomputed.as_dict()
    digest = content_hash(statement.inputs, fresh)
    differences = []
    if canonical_json(statement.inputs, fresh) != canonical_json(statement.inputs, statement.result):
        differences.append("result")
    if digest != statement.content_hash:
        differences.append("content_hash")
    lines = list(statement.lines.order_by("position"))
    stored_lines = [(ln.code, ln.label_key, ln.amount, ln.explanation, ln.ref) for ln in lines]
    fresh_lines = [(ln.code, ln.label_key, ln.amount, ln.explanation, ln.ref or "") for ln in recomputed.lines]
    if stored_lines != fresh_lines or [str(ln.amount) for ln in lines] != [str(ln.amount) for ln in recomputed.lines]:
        differences.append("lines")
    for name in calc.FIGURES:
        if getattr(statement, name) != getattr(recomputed, name):
            differences.append(name)
    return Verification(
        ok=not differences, stored_hash=statement.content_hash, recomputed_hash=digest, differences=differences
    )


@transaction.atomic
def statement_verify(*, actor, statement: SettlementStatement) -> Verification:
    """Check a statement's reproducibility (:func:`verify_statement`) and record the check in the audit trail."""
    outcome = verify_statement(statement)
    audit_record(
        actor=actor,
        action="settlement.statement.verified",
        obj=statement,
        after={"ok": outcome.ok, "recomputed_hash": outcome.recomputed_hash, "differences": outcome.differences},
    )
    return outcome


# ---------------------------------------------------------------------------------------------- approve


@transaction.atomic
def statement_approve(*, actor, statement: SettlementStatement) -> SettlementStatement:
    """Approve (and lock) a draft statement after checking it is reproducible; a repeated call changes nothing."""

    def period_settleable(locked: SettlementStatement, actor) -> None:
        _check_period(locked.period)

    def reproducible(locked: SettlementStatement, actor) -> None:
        if not verify_statement(locked).ok:
            raise ApplicationError(
                _("The statement does not reproduce from its stored inputs; prepare it again before approving."),
                code="statement_not_reproducible",
            )

    def apply(locked: SettlementStatement, now) -> list[str]:
        locked.approved_at = now
        locked.approved_by = _user(actor)
        return ["approved_at", "approved_by"]

    return transition(
        statement,
        machine=STATEMENT_MACHINE,
        action=StatementAction.APPROVE,
        actor=actor,
        related=("organisation", "period", "contract", "vendor"),
        authorize=lambda locked: _require_operator(actor, locked.organisation_id),
        guards=(period_settleable, reproducible),
        apply=apply,
        audit_after=lambda locked: {"total": locked.total, "content_hash": locked.content_hash},
        event=STATEMENT_APPROVED,
        payload=lambda locked: {"statement_id": locked.pk, "actor_id": getattr(actor, "pk", None)},
    ).obj
