"""Writes to an organisation's risk matrix: the default 5 × 5 seeded on demand, and new versions.

A version no rating uses yet may be corrected in place; once a rating uses it, saving makes the next version,
so every stored rating keeps the matrix it was made with and a heat map never changes retroactively."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, model_snapshot
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.quant import matrix as qm
from oversight.risks import matrices, permissions
from oversight.risks.choices import (
    DEFAULT_BANDS,
    DEFAULT_IMPACT_LABELS,
    DEFAULT_PROBABILITY_LABELS,
    RiskLevel,
    ScoreFormula,
)
from oversight.risks.models import RiskMatrix, RiskMatrixVersion, RiskRating

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_REVIEW_DAYS = 3650

_MATRIX_MESSAGES = {
    "size": _("A matrix has 3 to 7 probability levels and 3 to 7 impact levels."),
    "formula": _("Choose one of the score formulas."),
    "table_shape": _("Write one score in every cell of the table."),
    "table_negative": _("A cell's score cannot be negative."),
    "table_zero": _("At least one cell needs a score above zero."),
    "not_a_number": _("Scores and band starts must be numbers."),
    "bands_missing": _("Give at least one level band."),
    "bands_order": _("Each band must start above the one before it."),
    "bands_duplicate": _("Each band needs its own level."),
    "bands_gap": _("The first band must start at or below the lowest score of the matrix."),
}


def default_content() -> dict:
    """The default 5 × 5 matrix: product formula, four bands from low (review yearly) to very high (monthly)."""
    return {
        "probability_labels": [{"zh": zh, "en": en} for zh, en in DEFAULT_PROBABILITY_LABELS],
        "impact_labels": [{"zh": zh, "en": en} for zh, en in DEFAULT_IMPACT_LABELS],
        "formula": ScoreFormula.PRODUCT,
        "cell_scores": [],
        "normalise": False,
        "bands": [
            {"start": start, "level": str(level), "colour": colour, "review_days": days}
            for start, level, colour, days in DEFAULT_BANDS
        ],
    }


def _clean_labels(labels) -> list[dict]:
    cleaned = []
    for entry in labels or ():
        zh = str((entry or {}).get("zh", "")).strip()
        en = str((entry or {}).get("en", "")).strip()
        if not zh or not en:
            raise ApplicationError(_("Every level needs a label in Chinese and in English."))
        cleaned.append({"zh": zh[:40], "en": en[:40]})
    if not qm.MIN_LEVELS <= len(cleaned) <= qm.MAX_LEVELS:
        raise ApplicationError(_MATRIX_MESSAGES["size"])
    return cleaned


def _clean_bands(bands) -> list[dict]:
    cleaned = []
    for band in bands or ():
        band = band or {}
        level = str(band.get("level", ""))
        if level not in RiskLevel.values:
            raise ApplicationError(_("Each band's level must be one of the risk levels."))
        colour = str(band.get("colour", "")).strip()
        if not COLOUR.match(colour):
            raise ApplicationError(_("Give each band a colour like #e53935."))
        try:
            days = int(band.get("review_days"))
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= MAX_REVIEW_DAYS:
            raise ApplicationError(_("Days to the next review must be between 1 and 3650."))
        try:
            start = qm.to_decimal(band.get("start"))
        except qm.MatrixError as exc:
            raise ApplicationError(_MATRIX_MESSAGES["not_a_number"]) from exc
        cleaned.append({"start": str(start), "level": level, "colour": colour.lower(), "review_days": days})
    return cleaned


def clean_content(content: dict) -> dict:
    """Validate a matrix's content (labels, formula, table, normalisation, bands) in plain language; returns it
    cleaned, with the table's scores as text."""
    probability_labels = _clean_labels(content.get("probability_labels"))
    impact_labels = _clean_labels(content.get("impact_labels"))
    formula = content.get("formula")
    if formula not in ScoreFormula.values:
        raise ApplicationError(_MATRIX_MESSAGES["formula"])
    table = content.get("cell_scores") or [] if formula == ScoreFormula.TABLE else []
    bands = _clean_bands(content.get("bands"))
    try:
        mat = qm.Matrix(
            probability_levels=len(probability_labels),
            impact_levels=len(impact_labels),
            formula=formula,
            table=tuple(tuple(row) for row in table),
            normalise=bool(content.get("normalise")),
            bands=tuple(qm.Band(Decimal(b["start"]), b["level"]) for b in bands),
        )
    except (qm.MatrixError, TypeError) as exc:
        raise ApplicationError(_MATRIX_MESSAGES.get(getattr(exc, "code", ""), _MATRIX_MESSAGES["table_shape"])) from exc
    ranks = [matrices.level_rank(b["level"]) for b in bands]
    if ranks != sorted(ranks):
        raise ApplicationError(_("Higher bands must have higher levels."))
    return {
        "probability_labels": probability_labels,
        "impact_labels": impact_labels,
        "formula": formula,
        "cell_scores": [[str(v) for v in row] for row in mat.table],
        "normalise": mat.normalise,
        "bands": bands,
    }


def risk_matrix_ensure(*, organisation, actor=None) -> RiskMatrix:
    """The organisation's risk matrix, seeded with the default 5 × 5 on first use (idempotent)."""
    existing = RiskMatrix.objects.filter(organisation=organisation).first()
    if existing is not None:
        return existing
    now = clock.now()
    try:
        with transaction.atomic():
            matrix = RiskMatrix.objects.create(organisation=organisation, name=str(_("Risk matrix")), created_at=now)
            version = RiskMatrixVersion.objects.create(
                matrix=matrix,
                number=1,
                created_by=actor if getattr(actor, "pk", None) else None,
                created_at=now,
                **default_content(),
            )
            audit_record(actor=actor, action="risks.riskmatrix.created", obj=matrix, after=model_snapshot(version))
    except IntegrityError:
        return RiskMatrix.objects.get(organisation=organisation)
    return matrix


def risk_matrix_current(*, organisation) -> RiskMatrixVersion:
    """The version now in use (the latest) of the organisation's matrix, seeding the default if needed."""
    matrix = risk_matrix_ensure(organisation=organisation)
    return matrix.versions.order_by("-number").first()


@transaction.atomic
def risk_matrix_version_save(*, actor, organisation, content: dict, note: str = "") -> RiskMatrixVersion:
    """Save the matrix's content: corrects the latest version while no rating uses it, otherwise makes the next
    version (client administrators)."""
    permissions.require(permissions.may_change_matrix(actor, organisation.pk))
    cleaned = clean_content(content)
    matrix = RiskMatrix.objects.select_for_update(of=("self",)).get(pk=risk_matrix_ensure(organisation=organisation).pk)
    latest = matrix.versions.order_by("-number").first()
    now = clock.now()
    note = (note or "").strip()[:300]
    if latest is not None and not RiskRating.objects.filter(matrix_version=latest).exists():
        before = model_snapshot(latest)
        for name, value in cleaned.items():
            setattr(latest, name, value)
        latest.note = note or latest.note
        latest.created_by = actor
        latest.save()
        audit_record(
            actor=actor,
            action="risks.riskmatrixversion.updated",
            obj=latest,
            organisation=organisation,
            before=before,
            after=model_snapshot(latest),
        )
        return latest
    version = RiskMatrixVersion.objects.create(
        matrix=matrix,
        number=(latest.number if latest else 0) + 1,
        note=note,
        created_by=actor,
        created_at=now,
        **cleaned,
    )
    audit_record(
        actor=actor,
        action="risks.riskmatrixversion.created",
        obj=version,
        organisation=organisation,
        after=model_snapshot(version),
    )
    return version
