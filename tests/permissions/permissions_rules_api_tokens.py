"""The permission matrix's knowledge of personal API tokens (issue 8, ADR 0016).

Rules: a token is its owner's alone: every role (read-only ones too: it is personal, not business data) lists,
creates and revokes its own tokens, on the page under Preferences and through the API; another person's token
is a 404, whoever asks (a client administrator revokes a leaked one through the service, not these pages).
A token's name and prefix are not secrets: the audit trail shows them to its readers (created, revoked).
"""

from __future__ import annotations

from oversight.tenancy.models import ApiToken
from oversight.tenancy.services import api_token_create
from tests.permissions.permissions_support import Matrix, Payload, describe_app

OWNERS = ("vendor_agent", "requester", "client_admin", "foreign_admin")


def build(matrix: Matrix) -> None:
    matrix.objects["api_token"] = {
        role: api_token_create(actor=None, owner=matrix.users[role], name=f"PmxToken{role}")[0] for role in OWNERS
    }


def sees_token(matrix: Matrix, role: str, token) -> bool:
    user = matrix.user(role)
    return user is not None and token.owner_id == user.pk


def _create_json(target, matrix: Matrix) -> Payload:
    return Payload({"name": "PmxNewToken", "days": 30}, json=True)


def _create_form(target, matrix: Matrix) -> Payload:
    return Payload({"name": "PmxNewToken", "days": 30})


def _empty_json(target, matrix: Matrix) -> Payload:
    return Payload({}, json=True)


def _empty_form(target, matrix: Matrix) -> Payload:
    return Payload({})


describe_app(
    "tenancy",
    models={"api_token": ApiToken},
    build=build,
    rules={"api_token": sees_token},
    tables=(ApiToken,),
    pk_models={"preferences_token_revoke": "api_token"},
    personal_writes=frozenset(
        {"preferences_tokens", "preferences_token_revoke", "api:api-token-list", "api:api-token-revoke"}
    ),
    payloads={
        ("api:api-token-list", "post"): _create_json,
        ("api:api-token-revoke", "post"): _empty_json,
        ("preferences_tokens", "post"): _create_form,
        ("preferences_token_revoke", "post"): _empty_form,
    },
)
