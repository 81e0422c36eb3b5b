"""The permission matrix's knowledge of the settlement app: statements of signed evaluation periods.

Rules (MISSION.md "Visibility", the settlement app's stated design): the client side of the organisation sees
every statement; vendor staff only their own vendor's approved statements; requesters and other organisations
none. Client administrators and supervisors prepare and approve. Evaluation periods follow the evaluation app's
rule (permissions_rules_scorecards.py).
"""

from __future__ import annotations

from oversight.settlement import services
from oversight.settlement.models import SettlementStatement, StatementLine
from oversight.tenancy.choices import Role
from tests.permissions.permissions_rules_scorecards import make_period
from tests.permissions.permissions_support import Matrix, Payload, describe_app, side

OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})


# Statement key -> (contract key, quarters back, approved?)
STATEMENTS = {
    "A.V1": ("A.V1", 2, True),
    "A.V1.draft": ("A.V1", 4, False),
    "A.V2": ("A.V2", 2, True),
    "X": ("X", 2, True),
}


def build(matrix: Matrix) -> None:
    periods = matrix.objects.setdefault("evaluation_period", {})
    statements = {}
    for key, (contract_key, back, approved) in STATEMENTS.items():
        contract = matrix.objects["contract"][contract_key]
        operator = matrix.users["foreign_admin" if contract_key == "X" else "client_supervisor"]
        period = make_period(matrix, contract, status="signed", back=back)
        periods[f"settle.{key}"] = period
        statement = services.statement_prepare(actor=operator, period=period)
        if approved:
            statement = services.statement_approve(actor=operator, statement=statement)
        statements[key] = statement
    matrix.objects["statement"] = statements


def sees_statement(matrix: Matrix, role: str, statement) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != statement.organisation_id:
        return False
    who = side(user)
    return who == "client" or (
        who == "vendor" and statement.vendor_id == user.vendor_id and statement.status == "approved"
    )


def words(matrix: Matrix, role: str) -> dict[str, str]:
    return {
        statement.content_hash: f"statement {key}"
        for key, statement in matrix.objects["statement"].items()
        if not sees_statement(matrix, role, statement)
    }


def _prepare(target, matrix: Matrix) -> Payload:
    return Payload({"period": matrix.objects["evaluation_period"]["settle.A.V1.draft"].pk}, json=True)


describe_app(
    "settlement",
    models={"statement": SettlementStatement},
    build=build,
    rules={"statement": sees_statement},
    words=words,
    tables=(SettlementStatement, StatementLine),
    pk_models={
        "settlement:detail": "statement",
        "settlement:approve": "statement",
        "settlement:pdf": "statement",
        "settlement:xlsx": "statement",
        "settlement:prepare": "evaluation_period",
    },
    gates={"settlement:list": frozenset(Role.values) - {Role.REQUESTER}},
    payloads={
        ("settlement:approve", "post"): lambda target, matrix: Payload({}),
        ("settlement:prepare", "post"): lambda target, matrix: Payload({}),
        ("api:settlement-statement-prepare", "post"): _prepare,
        ("api:settlement-statement-approve", "post"): lambda target, matrix: Payload({}, json=True),
        ("api:settlement-statement-verify", "post"): lambda target, matrix: Payload({}, json=True),
    },
)
