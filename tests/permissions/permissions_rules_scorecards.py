"""The permission matrix's knowledge of the evaluation (scorecards) app: periods, their results, disputes and
evidence, and the contracts' indicator schemes.

Rules (MISSION.md "Visibility", the evaluation app's stated design): the client side of the organisation sees
every period; vendor staff their own vendor's once published (drafts hidden); requesters and other
organisations none. Results, disputes and evidence follow their period; schemes follow their contract. Only the
vendor manager disputes; only the client side operates periods; only client administrators edit schemes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.files.base import ContentFile

from oversight.core import clock
from oversight.scorecards import services as scorecard_services
from oversight.scorecards.models import (
    CommitmentResult,
    Dispute,
    EvaluationPeriod,
    Evidence,
    IndicatorResult,
    IndicatorScheme,
    ManualEntry,
    PeriodEvent,
)
from oversight.tenancy.choices import Role
from tests.permissions.permissions_rules_contracts import sees_contract
from tests.permissions.permissions_support import (
    CLIENT_SIDE,
    PNG,
    VENDOR_SIDE,
    Matrix,
    Payload,
    Target,
    describe_app,
    png_upload,
    secret,
    side,
)

READERS = CLIENT_SIDE | VENDOR_SIDE
# Period key -> (contract key, status, quarters back)
PERIODS = {
    "A.V1.draft": ("A.V1", "draft", 1),
    "A.V1": ("A.V1", "published", 3),
    "A.V2": ("A.V2", "published", 3),
    "X": ("X", "published", 3),
}


# [other vendor?][other organisation?] -> (client-side signer, vendor-side signer)
SIGNERS = {
    False: {False: ("client_supervisor", "vendor_manager"), True: ("foreign_admin", "foreign_vendor_agent")},
    True: {False: ("client_supervisor", "other_vendor_manager"), True: ("foreign_admin", "foreign_vendor_agent")},
}


def quarter_bounds(today: dt.date, back: int) -> tuple[dt.date, dt.date]:
    """First and last day of the quarter `back` quarters before today's."""
    index = today.year * 4 + (today.month - 1) // 3 - back
    year, quarter = divmod(index, 4)
    first = dt.date(year, quarter * 3 + 1, 1)
    after = dt.date(year + (quarter * 3 + 3) // 12, (quarter * 3 + 3) % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def ensure_scheme(matrix: Matrix, contract) -> IndicatorScheme:
    scheme = contract.indicator_schemes.order_by("-number").first()
    if scheme is None:
        admin = matrix.users["foreign_admin" if contract.organisation_id != matrix.world.org.pk else "client_admin"]
        scheme = scorecard_services.scheme_from_template(contract, admin)
    return scheme


def make_period(matrix: Matrix, contract, *, status: str, back: int) -> EvaluationPeriod:
    """A quarter of the contract as the evaluation app stores it (made in the ORM), with commitment results."""
    scheme = ensure_scheme(matrix, contract)
    first, last = quarter_bounds(clock.now().date(), back)
    now = clock.now()
    signed = status in ("signed", "locked")
    published = status != "draft"
    # The signers are people of the period's own organisation and vendor.
    client_signer, vendor_signer = SIGNERS[contract.vendor_id == matrix.world.other_vendor.pk][
        contract.organisation_id != matrix.world.org.pk
    ]
    period = EvaluationPeriod.objects.create(
        organisation=contract.organisation,
        contract=contract,
        vendor=contract.vendor,
        contract_version=contract.versions.get(number=1),
        scheme=scheme,
        kind="quarterly",
        starts_on=first,
        ends_on=last,
        start_at=dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC),
        end_at=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC),
        revision=1,
        status=status,
        total_score=Decimal("87.50"),
        total_exact="87.5",
        unit_counts={"incident": 3},
        computed_at=now,
        published_at=now if published else None,
        dispute_deadline=now + dt.timedelta(days=10) if published else None,
        client_signed_at=now if signed else None,
        client_signed_by=matrix.users[client_signer] if signed else None,
        vendor_signed_at=now if signed else None,
        vendor_signed_by=matrix.users[vendor_signer] if signed else None,
        created_at=now,
        updated_at=now,
    )
    for position, commitment in enumerate(period.contract_version.commitments.order_by("position", "id")):
        CommitmentResult.objects.create(
            period=period,
            commitment=commitment,
            position=position,
            code=commitment.code,
            name=commitment.name,
            indicator=commitment.indicator,
            unit="percent",
            target=commitment.target,
            higher_is_better=True,
            allocation_percent=commitment.allocation_percent,
            measured_value=Decimal("96"),
            measured_exact="96",
            met=True,
            forfeited_share_percent=Decimal(0),
            record_type="work_order",
        )
    return period


def build(matrix: Matrix) -> None:
    schemes = {key: ensure_scheme(matrix, contract) for key, contract in matrix.objects["contract"].items()}
    periods, results, commitment_results, disputes, evidence = {}, {}, {}, {}, {}
    for key, (contract_key, status, back) in PERIODS.items():
        contract = matrix.objects["contract"][contract_key]
        period = make_period(matrix, contract, status=status, back=back)
        periods[key] = period
        indicator = period.scheme.indicators.order_by("position", "id").first()
        results[key] = IndicatorResult.objects.create(
            period=period,
            indicator=indicator,
            position=0,
            code=indicator.code,
            dimension=indicator.dimension,
            weight=indicator.weight,
            source=indicator.source,
            unit=indicator.unit,
            value=Decimal("90"),
            max_points=indicator.weight,
            points=indicator.weight,
            contribution=indicator.weight,
            record_type="work_order",
        )
        commitment_results[key] = CommitmentResult.objects.filter(period=period).first()
        manager = matrix.users[
            {"A.V2": "other_vendor_manager", "X": "foreign_vendor_agent"}.get(contract_key, "vendor_manager")
        ]
        dispute = Dispute.objects.create(
            period=period,
            indicator=indicator,
            reason=secret(key.replace(".", ""), "DisputeReason"),
            raised_by=manager,
            raised_at=clock.now(),
        )
        disputes[key] = dispute
        name = f"pmx{key.replace('.', '').lower()}evidence.png"
        evidence[key] = Evidence.objects.create(
            period=period,
            dispute=dispute,
            file=ContentFile(PNG, name=name),
            original_name=name,
            content_type="image/png",
            size=len(PNG),
            sha256=hashlib.sha256(PNG).hexdigest(),
            uploaded_by=manager,
            created_at=clock.now(),
        )
    matrix.objects["indicator_scheme"] = schemes
    matrix.objects.setdefault("evaluation_period", {}).update(periods)
    matrix.objects["indicator_result"] = results
    matrix.objects["commitment_result"] = {k: v for k, v in commitment_results.items() if v is not None}
    matrix.objects["evaluation_dispute"] = disputes
    matrix.objects["evaluation_evidence"] = evidence


def sees_period(matrix: Matrix, role: str, period) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != period.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and period.vendor_id == user.vendor_id and period.status != "draft")


def _via_period(matrix: Matrix, role: str, obj) -> bool:
    return sees_period(matrix, role, obj.period)


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for key, dispute in matrix.objects["evaluation_dispute"].items():
        if not sees_period(matrix, role, dispute.period):
            out[dispute.reason] = f"dispute of period {key}"
    for key, item in matrix.objects["evaluation_evidence"].items():
        if not sees_period(matrix, role, item.period):
            out[item.original_name] = f"evidence of period {key}"
    return out


def get_status(matrix: Matrix, role: str, target: Target) -> int | None:
    if target.endpoint.name == "api:evaluation-period-drilldown":
        return 400  # the period is found first; without ?indicator= the request is then incomplete
    return None


def _form(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data))


def _json(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data), json=True)


def _pk(target) -> str:
    return str(target.obj.pk) if target.obj is not None else "0"


def _code(target) -> str:
    period = getattr(target.obj, "period", target.obj)
    if isinstance(period, EvaluationPeriod):
        return period.scheme.indicators.order_by("position", "id").first().code
    return "x"


describe_app(
    "scorecards",
    models={
        "evaluation_period": EvaluationPeriod,
        "indicator_result": IndicatorResult,
        "commitment_result": CommitmentResult,
        "evaluation_dispute": Dispute,
        "evaluation_evidence": Evidence,
        "indicator_scheme": IndicatorScheme,
    },
    build=build,
    rules={
        "evaluation_period": sees_period,
        "indicator_result": _via_period,
        "commitment_result": _via_period,
        "evaluation_dispute": _via_period,
        "evaluation_evidence": _via_period,
        "indicator_scheme": lambda matrix, role, scheme: sees_contract(matrix, role, scheme.contract),
    },
    words=words,
    get_status=get_status,
    tables=(IndicatorScheme, IndicatorResult, CommitmentResult, Dispute, Evidence, ManualEntry, PeriodEvent),
    pk_models={
        "scorecards:period": "evaluation_period",
        "scorecards:recompute": "evaluation_period",
        "scorecards:publish": "evaluation_period",
        "scorecards:sign": "evaluation_period",
        "scorecards:lock": "evaluation_period",
        "scorecards:revise": "evaluation_period",
        "scorecards:manual": "evaluation_period",
        "scorecards:dispute": "evaluation_period",
        "scorecards:decide": "evaluation_dispute",
        "scorecards:result": "indicator_result",
        "scorecards:commitment_result": "commitment_result",
        "scorecards:evidence": "evaluation_evidence",
        "scorecards:scheme": "contract",
        "scorecards:scheme_edit": "contract",
        "scorecards:scheme_template": "contract",
    },
    gates={
        "scorecards:list": READERS,
        "scorecards:trends": READERS,
        "scorecards:scheme_edit": frozenset({Role.CLIENT_ADMIN}),
    },
    payloads={
        ("scorecards:open", "post"): _form(
            lambda t, m: {
                "contract": m.objects["contract"]["A.V1"].pk,
                "kind": "quarterly",
                "day": quarter_bounds(clock.now().date(), 2)[0].isoformat(),
            }
        ),
        ("scorecards:recompute", "post"): _form({}),
        ("scorecards:publish", "post"): _form({}),
        ("scorecards:sign", "post"): _form({}),
        ("scorecards:lock", "post"): _form({}),
        ("scorecards:revise", "post"): _form({"reason": "PmxRevise"}),
        ("scorecards:manual", "post"): lambda t, m: Payload(
            {
                "code": _code(t),
                f"manual-{_code(t)}-indicator": _code(t),
                f"manual-{_code(t)}-value": "1",
                f"manual-{_code(t)}-note": "PmxManual",
                f"manual-{_code(t)}-files": png_upload(),
            }
        ),
        ("scorecards:dispute", "post"): _form(
            lambda t, m: {"indicator": _code(t), "reason": "PmxDispute", "files": png_upload()}
        ),
        ("scorecards:decide", "post"): _form(
            lambda t, m: {f"decide-{_pk(t)}-decision": "reject", f"decide-{_pk(t)}-reason": "PmxDecide"}
        ),
        ("scorecards:scheme_edit", "post"): _form({"name": "PmxScheme"}),
        ("scorecards:scheme_template", "post"): _form({"period_kind": "quarterly"}),
        ("api:evaluation-period-list", "post"): _json(
            lambda t, m: {
                "contract": m.objects["contract"]["A.V1"].pk,
                "kind": "quarterly",
                "day": quarter_bounds(clock.now().date(), 2)[0].isoformat(),
            }
        ),
        ("api:evaluation-period-recompute", "post"): _json({}),
        ("api:evaluation-period-publish", "post"): _json({}),
        ("api:evaluation-period-sign", "post"): _json({}),
        ("api:evaluation-period-lock", "post"): _json({}),
        ("api:evaluation-period-revise", "post"): _json({"reason": "PmxRevise"}),
        ("api:evaluation-period-manual-entries", "post"): _json(lambda t, m: {"indicator": _code(t), "value": "1"}),
        ("api:evaluation-period-disputes", "post"): _json(lambda t, m: {"indicator": _code(t), "reason": "PmxWhy"}),
        ("api:evaluation-dispute-accept", "post"): _json({"reason": "PmxAccept"}),
        ("api:evaluation-dispute-reject", "post"): _json({"reason": "PmxReject"}),
        ("api:indicator-scheme-list", "post"): _json(
            lambda t, m: {"contract": m.objects["contract"]["A.V1"].pk, "name": "PmxScheme", "indicators": []}
        ),
        ("api:indicator-scheme-from-template", "post"): _json(
            lambda t, m: {"contract": m.objects["contract"]["A.V1"].pk}
        ),
    },
)
