"""The cost indicators of a BPO vendor, registered in `oversight.core.kpis` (from `SourcingConfig.ready()`).

One loader (``sourcing_cost``) reads the vendor's **approved** settlement statements (not superseded by a
correction) whose evaluation period lies inside the window — under the scope's contract version when it has one —
and the volume of each statement's period from the current interval facts of the contract's queues. The formulas
are the pure functions of :mod:`oversight.sourcing.pricing` (docs/formulas.md §"Sourcing"); the records behind a
figure are the statements, listed through the settlement gate.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.kpis import REPORT, SCHEME, Dimension, Loader, RecordKind, Scope, Source, Unit, registry
from oversight.kpi.facts import Period
from oversight.settlement.choices import StatementStatus
from oversight.settlement.models import SettlementStatement
from oversight.settlement.selectors import statement_list
from oversight.sourcing import charges, pricing

OWNER = "sourcing"
LOADER = "sourcing_cost"
RECORD_STATEMENT = "sourcing_statement"


def load_cost_facts(scope: Scope, period: Period) -> list[pricing.StatementCost]:
    """The vendor's approved, current statements of periods inside the window, with each period's volume."""
    statements = SettlementStatement.objects.filter(
        organisation_id=scope.organisation_id,
        vendor_id=scope.vendor_id,
        status=StatementStatus.APPROVED,
        superseded_by__isnull=True,
        period__start_at__gte=period.start,
        period__end_at__lte=period.end,
    ).select_related("period")
    # A contract version narrows to its statements; a scope of services and sites only names no version.
    version_id = getattr(scope.version, "pk", None)
    if version_id is not None:
        statements = statements.filter(contract_version_id=version_id)
    rows = []
    for statement in statements.order_by("period__start_at", "pk"):
        used = charges.usage(
            contract_id=statement.contract_id, start=statement.period.start_at, end=statement.period.end_at
        )
        # The FCR share stays None until per-contact quality is supplied for the period (cost per resolution
        # then has no value: it is never guessed from the answered contacts).
        rows.append(pricing.StatementCost(statement.pk, statement.total, used.answered, used.productive_hours))
    return rows


def _statements(*, user, period, ids):
    return statement_list(user=user).filter(pk__in=ids)


def register() -> None:
    """Register the loader, the record kind and the three cost sources (once)."""
    if registry.find(pricing.COST_PER_CONTACT) is not None:
        return
    registry.register_loader(Loader(LOADER, load_cost_facts, list))
    registry.register_record_kind(
        RecordKind(
            RECORD_STATEMENT,
            _("Settlement statements"),
            _statements,
            ("period__starts_on", "pk"),
            lambda r: {"id": r.pk, "period": str(r.period.label), "total": str(r.total), "status": r.status},
            "sourcing/partials/records/statement.html",
        )
    )
    for source in SOURCES:
        registry.register(source)


def _source(code, label, short_label, definition, compute) -> Source:
    return Source(
        code=code,
        dimension=Dimension.RESOURCES,
        unit=Unit.POINTS,
        higher_is_better=False,
        label=label,
        short_label=short_label,
        definition=definition,
        record_kind=RECORD_STATEMENT,
        loader=LOADER,
        compute=lambda facts, window: compute(facts),
        uses=frozenset({SCHEME, REPORT}),
        owner=OWNER,
    )


SOURCES = (
    _source(
        pricing.COST_PER_CONTACT,
        _("Cost per contact (settled amount ÷ answered contacts)"),
        _("Cost per contact"),
        _(
            "The totals of the vendor's approved settlement statements whose period lies in the window, divided by "
            "the contacts answered in those periods on the contract's queues (current interval facts), in the "
            "contract currency, rounded half-up to cents."
        ),
        pricing.cost_per_contact,
    ),
    _source(
        pricing.COST_PER_RESOLUTION,
        _("Cost per resolution (settled amount ÷ resolved contacts)"),
        _("Cost per resolution"),
        _(
            "The approved settlement totals divided by the resolved contacts of their periods, resolved being the "
            "answered contacts times the first-contact resolution share; only periods whose FCR share is supplied "
            "count, and without one there is no value."
        ),
        pricing.cost_per_resolution,
    ),
    _source(
        pricing.COST_PER_PRODUCTIVE_HOUR,
        _("Cost per productive hour (settled amount ÷ productive hours)"),
        _("Cost per productive hour"),
        _(
            "The approved settlement totals divided by the productive hours of their periods: staffed (productive) "
            "agents of each interval times the interval's length, summed over the contract's queues."
        ),
        pricing.cost_per_productive_hour,
    ),
)
