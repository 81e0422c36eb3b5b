"""The permission matrix's knowledge of the list tools: saved views, the bulk change and the global search.

Rules: a saved view is its owner's alone (everyone else, whatever the role, neither sees nor changes it; a
read-only role keeps views of its own, a personal write; its name is in the audit trail for the auditors).
The bulk change of the board and the queues is open to the roles of those lists; each work order in it is
then checked by its single action's guard, and a read-only role may export a selection but change nothing.
The bulk API (`api:work-order-bulk`) is open to every signed-in user like the single actions it repeats: each
id is read through the gate (an invisible one is reported as not found) and each change is the single action's.
The global search page is open to every signed-in user and finds only what the visibility gate shows (its
hits are checked by the matrix's hidden words).
"""

from __future__ import annotations

from oversight.tenancy import services
from oversight.tenancy.choices import Role
from oversight.tenancy.models import SavedView
from tests.permissions.permissions_support import Matrix, Payload, describe_app

OWNERS = {"A.super": "client_supervisor", "A.agent": "vendor_agent", "X.admin": "foreign_admin"}


def build(matrix: Matrix) -> None:
    matrix.objects["saved_view"] = {
        key: services.saved_view_create(
            actor=matrix.users[role], list_key="tickets:board", name=f"PmxView{role}", query="status=new"
        )
        for key, role in OWNERS.items()
    }


def sees_saved_view(matrix: Matrix, role: str, saved_view) -> bool:
    user = matrix.user(role)
    return user is not None and saved_view.owner_id == user.pk


def reads_in_audit_trail(matrix: Matrix, role: str, saved_view) -> bool:
    """Saving a view is audited: the organisation's audit readers read its name in the audit trail."""
    user = matrix.user(role)
    return (
        user is not None
        and user.role in (Role.AUDITOR, Role.CLIENT_ADMIN)
        and user.organisation_id == saved_view.owner.organisation_id
    )


def words(matrix: Matrix, role: str) -> dict[str, str]:
    return {
        view.name: f"saved view {key}"
        for key, view in matrix.objects["saved_view"].items()
        if not sees_saved_view(matrix, role, view) and not reads_in_audit_trail(matrix, role, view)
    }


def _bulk(target, matrix: Matrix) -> Payload:
    ids = [matrix.work_orders[key].pk for key in ("A1", "B1", "X1")]
    return Payload({"ids": ids, "action": "priority", "impact": 1, "urgency": 1, "reason": "PmxBulk"})


describe_app(
    "lists",
    models={"saved_view": SavedView},
    build=build,
    rules={"saved_view": sees_saved_view},
    words=words,
    tables=(SavedView,),
    pk_models={"saved_view_rename": "saved_view", "saved_view_delete": "saved_view"},
    personal_writes=frozenset({"saved_view_create", "saved_view_rename", "saved_view_delete"}),
    gates={
        "tickets:bulk": frozenset(
            {
                Role.CLIENT_ADMIN,
                Role.CLIENT_SUPERVISOR,
                Role.EXECUTIVE,
                Role.AUDITOR,
                Role.VENDOR_MANAGER,
                Role.VENDOR_AGENT,
            }
        )
    },
    payloads={
        ("saved_view_create", "post"): lambda target, matrix: Payload(
            {"list_key": "tickets:board", "name": "PmxNewView", "query": "status=new"}
        ),
        ("saved_view_rename", "post"): lambda target, matrix: Payload({"name": "PmxRenamed"}),
        ("saved_view_delete", "post"): lambda target, matrix: Payload({}),
        ("tickets:bulk", "post"): _bulk,
        ("api:work-order-bulk", "post"): lambda target, matrix: Payload(_bulk(target, matrix).data, json=True),
    },
)
