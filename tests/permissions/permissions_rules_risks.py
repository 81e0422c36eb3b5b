"""The permission matrix's knowledge of the risk register (risks, mitigations, contingency actions, the matrix,
the heat map, the overdue page and the export).

Rules (issue 10 "Risk register", the risks app's stated design): the register is the client's. The client roles
of the organisation (administrator, supervisor, executive, auditor) see every risk, mitigation and contingency
action of their organisation; vendor staff, requesters and other organisations see none of it. Client
administrators and supervisors write; executives and auditors read; only a client administrator saves a new
version of the matrix.
"""

from __future__ import annotations

import datetime as dt

from oversight.notifications.models import Notification
from oversight.risks import services
from oversight.risks.choices import MitigationAction, RiskAction
from oversight.risks.models import (
    ContingencyAction,
    Mitigation,
    Risk,
    RiskActivity,
    RiskMatrix,
    RiskMatrixVersion,
    RiskRating,
    RiskReview,
)
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import CLIENT_SIDE, Matrix, Payload, describe_app, secret, side

OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
ADMINS = frozenset({Role.CLIENT_ADMIN})
# Instance key -> (vendor attribute of the world or None, organisation "A" or "X").
RISKS = {"A.V1": ("vendor", "A"), "A.V2": ("other_vendor", "A"), "X": ("foreign_vendor", "X")}


def _key(instance: str) -> str:
    return "R" + instance.replace(".", "")


def build(matrix: Matrix) -> None:
    world = matrix.world
    risks, mitigations, actions = {}, {}, {}
    notices_before = set(Notification.objects.values_list("pk", flat=True))
    for instance, (vendor_attr, org) in RISKS.items():
        actor = matrix.users["foreign_admin" if org == "X" else "client_supervisor"]
        key = _key(instance)
        risk = services.risk_create(
            actor=actor,
            title=secret(key, "Title"),
            cause=secret(key, "Cause"),
            event=secret(key, "Event"),
            consequence=secret(key, "Consequence"),
            category="vendor",
            owner=actor,
            vendor=getattr(world, vendor_attr),
            contingency_plan=secret(key, "Plan"),
        )
        services.risk_rating_record(
            risk=risk, kind="inherent", probability_level=4, impact_level=4, reason=secret(key, "Reason"), actor=actor
        )
        services.risk_rating_record(
            risk=risk, kind="residual", probability_level=2, impact_level=2, reason="", actor=actor
        )
        risks[instance] = risk
        mitigations[instance] = services.mitigation_create(
            actor=actor,
            title=secret("M" + key, "Title"),
            owner=actor,
            due_date=dt.date(2026, 1, 15),
            risks=[risk],
        )
        actions[instance] = services.contingency_open(
            risk=risk, reason=secret("C" + key, "Reason"), trigger_key="matrix", actor=actor
        )[0]
    matrix.objects["risk"] = risks
    matrix.objects["risk_mitigation"] = mitigations
    # Opening a contingency plan tells the risk's owner: those notices are the owner's own, listed on their
    # notifications page and nobody else's, like the matrix's own notices.
    for notice in Notification.objects.exclude(pk__in=notices_before):
        matrix.objects["notification"][f"risk notice {notice.pk}"] = notice
    matrix.objects["risk_contingency_action"] = actions
    matrix.objects["risk_matrix_version"] = {
        "A": RiskMatrixVersion.objects.get(matrix__organisation=world.org),
        "X": RiskMatrixVersion.objects.get(matrix__organisation=world.other_org),
    }


def _client_of(matrix: Matrix, role: str, organisation_id: int) -> bool:
    user = matrix.user(role)
    return user is not None and user.organisation_id == organisation_id and side(user) == "client"


def sees_risk(matrix: Matrix, role: str, risk) -> bool:
    return _client_of(matrix, role, risk.organisation_id)


def sees_mitigation(matrix: Matrix, role: str, mitigation) -> bool:
    return _client_of(matrix, role, mitigation.organisation_id)


def sees_action(matrix: Matrix, role: str, action) -> bool:
    return _client_of(matrix, role, action.risk.organisation_id)


def sees_matrix_version(matrix: Matrix, role: str, version) -> bool:
    return _client_of(matrix, role, version.matrix.organisation_id)


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for instance, risk in matrix.objects["risk"].items():
        if not sees_risk(matrix, role, risk):
            key = _key(instance)
            for what in ("Title", "Cause", "Event", "Consequence", "Plan", "Reason"):
                out[secret(key, what)] = f"risk {instance}"
            out[secret("M" + key, "Title")] = f"mitigation {instance}"
            out[secret("C" + key, "Reason")] = f"contingency action {instance}"
    return out


def _form(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data))


def _json(data):
    return lambda target, matrix: Payload(data(target, matrix), json=True)


def _version(target) -> int:
    return getattr(target.obj, "version", 1)


describe_app(
    "risks",
    models={
        "risk": Risk,
        "risk_mitigation": Mitigation,
        "risk_contingency_action": ContingencyAction,
        "risk_matrix_version": RiskMatrixVersion,
    },
    build=build,
    rules={
        "risk": sees_risk,
        "risk_mitigation": sees_mitigation,
        "risk_contingency_action": sees_action,
        "risk_matrix_version": sees_matrix_version,
    },
    words=words,
    tables=(
        Risk,
        RiskRating,
        RiskReview,
        RiskActivity,
        Mitigation,
        ContingencyAction,
        RiskMatrix,
        RiskMatrixVersion,
    ),
    pk_models={
        "risks:detail": "risk",
        "risks:edit": "risk",
        "risks:rate": "risk",
        "risks:review": "risk",
        "risks:transition": "risk",
        "risks:contingency_transition": "risk_contingency_action",
        "risks:mitigation_detail": "risk_mitigation",
        "risks:mitigation_edit": "risk_mitigation",
        "risks:mitigation_transition": "risk_mitigation",
    },
    gates={
        "risks:list": CLIENT_SIDE,
        "risks:export": CLIENT_SIDE,
        "risks:overdue": CLIENT_SIDE,
        "risks:heatmap": CLIENT_SIDE,
        "risks:matrix": CLIENT_SIDE,
        "risks:detail": CLIENT_SIDE,
        "risks:create": OPERATORS,
        "risks:edit": OPERATORS,
        "risks:rate": OPERATORS,
        "risks:review": OPERATORS,
        "risks:transition": OPERATORS,
        "risks:contingency_transition": OPERATORS,
        "risks:mitigations": CLIENT_SIDE,
        "risks:mitigation_detail": CLIENT_SIDE,
        "risks:mitigation_create": OPERATORS,
        "risks:mitigation_edit": OPERATORS,
        "risks:mitigation_transition": OPERATORS,
        "api:risk-list": CLIENT_SIDE,
        "api:risk-detail": CLIENT_SIDE,
        "api:risk-transition": CLIENT_SIDE,
        "api:risk-ratings": CLIENT_SIDE,
        "api:risk-reviews": CLIENT_SIDE,
        "api:risk-mitigation-list": CLIENT_SIDE,
        "api:risk-mitigation-detail": CLIENT_SIDE,
        "api:risk-mitigation-transition": CLIENT_SIDE,
        "api:risk-matrix-version-list": CLIENT_SIDE,
        "api:risk-matrix-version-detail": CLIENT_SIDE,
        "api:risk-matrix-version-heat-map": CLIENT_SIDE,
    },
    action_kwargs={
        ("api:risk-transition", "transition"): tuple(RiskAction.values),
        ("api:risk-mitigation-transition", "transition"): tuple(MitigationAction.values),
    },
    payloads={
        ("risks:create", "post"): _form(
            lambda t, m: {
                "title": "PmxNewRisk",
                "category": "technical",
                "owner": m.users["client_supervisor"].pk,
                "cause": "c",
                "event": "e",
                "consequence": "q",
            }
        ),
        ("risks:edit", "post"): _form(
            lambda t, m: {
                "title": "PmxEditedRisk",
                "category": "technical",
                "owner": t.obj.owner_id if t.obj is not None else "",
                "cause": "c",
                "event": "e",
                "consequence": "q",
                "version": _version(t),
            }
        ),
        ("risks:rate", "post"): _form({"kind": "current", "probability_level": 3, "impact_level": 3}),
        ("risks:review", "post"): _form({"still_valid": "yes"}),
        ("risks:transition", "post"): _form(
            lambda t, m: {"action": RiskAction.CLOSE, "note": "PmxClose", "version": _version(t)}
        ),
        ("risks:contingency_transition", "post"): _form({"step": "complete"}),
        ("risks:matrix", "post"): _form(
            {
                "formula": "product",
                "probability_labels": "低 | Low\n中 | Medium\n高 | High",
                "impact_labels": "小 | Small\n中 | Medium\n大 | Large",
                "bands": "1 | low | #00aa00 | 365\n4 | high | #dd0000 | 30",
            }
        ),
        ("risks:mitigation_create", "post"): _form(
            lambda t, m: {
                "title": "PmxNewMitigation",
                "owner": m.users["client_supervisor"].pk,
                "due_date": "2027-01-01",
            }
        ),
        ("risks:mitigation_edit", "post"): _form(
            lambda t, m: {
                "title": "PmxEditedMitigation",
                "owner": t.obj.owner_id if t.obj is not None else "",
                "due_date": "2027-01-01",
                "version": _version(t),
            }
        ),
        ("risks:mitigation_transition", "post"): _form(lambda t, m: {"action": "complete", "version": _version(t)}),
        ("api:risk-list", "post"): _json(
            lambda t, m: {
                "title": "PmxApiRisk",
                "category": "market",
                "owner": m.users["client_supervisor"].pk,
                "cause": "c",
                "event": "e",
                "consequence": "q",
            }
        ),
        ("api:risk-detail", "patch"): _json(lambda t, m: {"title": "PmxApiPatched"}),
        ("api:risk-transition", "post"): _json(lambda t, m: {"note": "PmxApiNote"}),
        ("api:risk-ratings", "post"): _json(
            lambda t, m: {"kind": "current", "probability_level": 2, "impact_level": 2, "reason": "PmxApiRate"}
        ),
        ("api:risk-reviews", "post"): _json(lambda t, m: {"still_valid": True}),
        ("api:risk-mitigation-list", "post"): _json(
            lambda t, m: {
                "title": "PmxApiMitigation",
                "owner": m.users["client_supervisor"].pk,
                "due_date": "2027-01-01",
            }
        ),
        ("api:risk-mitigation-detail", "patch"): _json(lambda t, m: {"title": "PmxApiMitigationPatched"}),
        ("api:risk-mitigation-transition", "post"): _json(lambda t, m: {}),
    },
)
