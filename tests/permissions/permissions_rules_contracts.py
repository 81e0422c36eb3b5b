"""The permission matrix's knowledge of the contracts app: contracts, their versions and documents.

Rules (MISSION.md "Visibility", the contracts app's stated design): the client side of the organisation sees
every contract; vendor staff see their own vendor's contracts once activated (drafts are hidden) and never
client-only documents; requesters and other organisations see none. Every page is for client and vendor roles;
the write pages are the client administrator's alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.contracts import services
from oversight.contracts.models import Contract, ContractDocument, ContractVersion
from oversight.contracts.validation import BandInput, CommitmentInput, Terms
from oversight.core.zones import local_today
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import (
    CLIENT_SIDE,
    PNG,
    VENDOR_SIDE,
    Matrix,
    Payload,
    Target,
    _upload,
    describe_app,
    png_upload,
    secret,
    side,
)

READERS = CLIENT_SIDE | VENDOR_SIDE
WRITERS = frozenset({Role.CLIENT_ADMIN})
# Instance key -> (vendor attribute of the world, active?). A.V1.draft: a draft of vendor 1, hidden from its staff.
CONTRACTS = {
    "A.V1": ("vendor", True),
    "A.V1.draft": ("vendor", False),
    "A.V2": ("other_vendor", True),
    "X": ("foreign_vendor", True),
}


def _key(instance: str) -> str:
    return "C" + instance.replace(".", "")


def contract_terms(vendor, today: dt.date) -> Terms:
    """Simple terms in force today: the vendor's services, one score band, one commitment."""
    return Terms(
        term_start=today - dt.timedelta(days=600),
        term_end=today + dt.timedelta(days=500),
        fixed_fee=Decimal("1000.00"),
        fee_period="monthly",
        at_risk_percent=Decimal("10"),
        max_deduction=Decimal("20"),
        max_deduction_basis="percent",
        renewal_notice_days=90,
        services=tuple(vendor.services.order_by("pk")),
        sites=(),
        bands=(BandInput(upper=Decimal("90"), lower=None, per_point=Decimal("1")),),
        commitments=(
            CommitmentInput(
                code="response",
                name="Response timeliness",
                sla_metric="response",
                target=Decimal("95"),
                allocation_percent=Decimal("100"),
            ),
        ),
        unit_rates=(),
        staffing=(),
    )


def build(matrix: Matrix) -> None:
    world = matrix.world
    contracts, versions, documents = {}, {}, {}
    for instance, (vendor_attr, active) in CONTRACTS.items():
        vendor = getattr(world, vendor_attr)
        admin = matrix.users["foreign_admin" if instance == "X" else "client_admin"]
        key = _key(instance)
        contract = services.contract_create(
            actor=admin,
            vendor=vendor,
            number=f"PMX-{key}",
            title=secret(key, "Title"),
            terms=contract_terms(vendor, local_today(vendor.organisation)),
        )
        if active:
            contract = services.contract_activate(actor=admin, contract=contract)
        contracts[instance] = contract
        versions[instance] = ContractVersion.objects.get(contract=contract, number=1)
        kinds = (("public", False), ("internal", True)) if instance == "A.V1" else (("public", False),)
        for kind, internal in kinds:
            documents[f"{instance}.{kind}"] = services.contract_document_create(
                actor=admin,
                contract=contract,
                upload=_upload(f"pmx{key.lower()}{kind}.png", PNG, "image/png"),
                title=secret(key, f"Doc{kind.title()}"),
                is_internal=internal,
            )
    matrix.objects["contract"] = contracts
    matrix.objects["contract_version"] = versions
    matrix.objects["contract_document"] = documents


def sees_contract(matrix: Matrix, role: str, contract) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != contract.organisation_id:
        return False
    who = side(user)
    if who == "client":
        return True
    return who == "vendor" and contract.vendor_id == user.vendor_id and contract.status != "draft"


def sees_document(matrix: Matrix, role: str, document) -> bool:
    user = matrix.user(role)
    return sees_contract(matrix, role, document.contract) and (side(user) == "client" or not document.is_internal)


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for instance, contract in matrix.objects["contract"].items():
        if not sees_contract(matrix, role, contract):
            out[contract.number] = f"contract {instance}"
            out[contract.title] = f"contract {instance}"
    for instance, document in matrix.objects["contract_document"].items():
        if not sees_document(matrix, role, document):
            out[document.title] = f"contract document {instance}"
            out[document.original_name] = f"contract document {instance}"
    return out


def get_status(matrix: Matrix, role: str, target: Target) -> int | None:
    """Permitted GETs that are not a plain 200."""
    contract = target.obj
    name = target.endpoint.name
    if name == "contracts:edit" and contract.status != "draft":
        return 302  # only a draft is edited: back to the contract
    if name == "contracts:amend" and contract.status != "active":
        return 302
    if name == "api:contract-terms" and contract.status == "draft":
        return 404  # no terms in force before activation
    return None


def _today(matrix: Matrix) -> str:
    return local_today(matrix.world.org).isoformat()


def _form(data):
    return lambda target, matrix: Payload(data(matrix) if callable(data) else dict(data))


def _json(data):
    return lambda target, matrix: Payload(data(matrix) if callable(data) else dict(data), json=True)


describe_app(
    "contracts",
    models={"contract": Contract, "contract_version": ContractVersion, "contract_document": ContractDocument},
    build=build,
    rules={
        "contract": sees_contract,
        "contract_version": lambda matrix, role, version: sees_contract(matrix, role, version.contract),
        "contract_document": sees_document,
    },
    words=words,
    get_status=get_status,
    tables=(Contract, ContractVersion, ContractDocument),
    pk_models={
        "contracts:detail": "contract",
        "contracts:edit": "contract",
        "contracts:amend": "contract",
        "contracts:activate": "contract",
        "contracts:terminate": "contract",
        "contracts:withdraw": "contract",
        "contracts:upload": "contract",
        "contracts:document": "contract_document",
    },
    gates={
        "contracts:list": READERS,
        "contracts:detail": READERS,
        "contracts:document": READERS,
        "contracts:create": WRITERS,
        "contracts:edit": WRITERS,
        "contracts:amend": WRITERS,
        "contracts:activate": WRITERS,
        "contracts:terminate": WRITERS,
        "contracts:withdraw": WRITERS,
        "contracts:upload": WRITERS,
    },
    payloads={
        ("contracts:create", "post"): _form({"number": "PMX-NEW", "title": "PmxNewContract", "currency": "CNY"}),
        ("contracts:edit", "post"): _form({"number": "PMX-EDIT", "title": "PmxEdited", "currency": "CNY"}),
        ("contracts:amend", "post"): _form(lambda m: {"effective_from": _today(m), "reason": "PmxAmend"}),
        ("contracts:activate", "post"): _form({}),
        ("contracts:terminate", "post"): _form(lambda m: {"terminated_on": _today(m), "reason": "PmxEnd"}),
        ("contracts:withdraw", "post"): _form({"version": 2, "reason": "PmxWithdraw"}),
        ("contracts:upload", "post"): lambda target, matrix: Payload({"file": png_upload(), "kind": "other"}),
        ("api:contract-list", "post"): _json(
            lambda m: {"vendor": m.world.vendor.pk, "number": "PMX-API", "title": "PmxApiContract", "terms": {}}
        ),
        ("api:contract-detail", "patch"): _json({"title": "PmxPatched"}),
        ("api:contract-activate", "post"): _json({}),
        ("api:contract-terminate", "post"): _json(lambda m: {"terminated_on": _today(m), "reason": "PmxEnd"}),
        ("api:contract-amend", "post"): _json(
            lambda m: {"effective_from": _today(m), "reason": "PmxAmend", "fixed_fee": "1.00"}
        ),
        ("api:contract-documents", "post"): lambda target, matrix: Payload({"file": png_upload(), "kind": "other"}),
        ("api:contract-version-withdraw", "post"): _json({"reason": "PmxWithdraw"}),
    },
)
