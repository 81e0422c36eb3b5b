"""The permission matrix's knowledge of the configuration app (CMDB): CIs, their relations, classes and groups.

Rules (the CMDB brief, MISSION.md "Visibility"): the client side of the organisation sees every CI; vendor staff
see the CIs their vendor owns; requesters and other organisations see none. A relation is seen when the role
sees both its ends; classes and redundancy groups are reference data of the organisation for client and vendor
staff. The pages are for client and vendor staff; recording a CI is for the client's operators and vendor
managers; classes and their attributes are kept by the client administrator, groups by the client's operators.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.configuration import imports, services, spotchecks
from oversight.configuration.models import (
    CIAttributeDefinition,
    CIClass,
    CIImport,
    CIRelation,
    ConfigurationItem,
    RedundancyGroup,
    RelationType,
    SpotCheck,
    WorkOrderCI,
)
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import (
    CLIENT_SIDE,
    VENDOR_SIDE,
    Matrix,
    Payload,
    Target,
    describe_app,
    secret,
    sees,
    side,
)

READERS = CLIENT_SIDE | VENDOR_SIDE
CREATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR, Role.VENDOR_MANAGER})
# Classes and their attributes are the administrator's; redundancy groups the client's operators'.
CLASS_KEEPERS = frozenset({Role.CLIENT_ADMIN})
GROUP_KEEPERS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
# Instance key -> (vendor attribute of the world or None for the client's own, class code).
CIS = {
    "A.V1": ("vendor", "application"),
    "A.V2": ("other_vendor", "server"),
    "A.client": (None, "business_service"),
    "X": ("foreign_vendor", "server"),
}


def build(matrix: Matrix) -> None:
    world = matrix.world
    admins = {"A": matrix.users["client_admin"], "X": matrix.users["foreign_admin"]}
    services.ci_classes_seed(actor=admins["A"], organisation=world.org)
    services.ci_classes_seed(actor=admins["X"], organisation=world.other_org)
    items = {}
    for instance, (vendor_attr, kind) in CIS.items():
        organisation = world.other_org if instance == "X" else world.org
        key = "CI" + instance.replace(".", "")
        items[instance] = services.ci_create(
            actor=admins[instance[0]],
            ci_class=CIClass.objects.get(organisation=organisation, code=kind),
            name=secret(key, "Name"),
            host_name=secret(key, "Host").lower(),
            vendor=getattr(world, vendor_attr) if vendor_attr else None,
        )
    depends = RelationType.objects.get(code="depends_on")
    relations = {
        "A.client>A.V1": services.ci_relation_create(
            actor=admins["A"], source=items["A.client"], relation_type=depends, target=items["A.V1"]
        ),
        "A.V1>A.V2": services.ci_relation_create(
            actor=admins["A"], source=items["A.V1"], relation_type=depends, target=items["A.V2"]
        ),
    }
    # A1 (vendor 1's work order) is linked to vendor 1's application; X1 to the other organisation's server.
    links = {
        "A1": services.work_order_ci_link(
            actor=admins["A"], work_order=matrix.objects["work_order"]["A1"], ci=items["A.V1"]
        ),
        "X1": services.work_order_ci_link(
            actor=admins["X"], work_order=matrix.objects["work_order"]["X1"], ci=items["X"]
        ),
    }
    matrix.objects["work_order_ci"] = links
    matrix.objects["configuration_item"] = items
    matrix.objects["ci_relation"] = relations
    # One checked import per organisation (the client's side sees its organisation's; vendors see none).
    matrix.objects["ci_import"] = {
        instance: imports.import_check(actor=admins[instance], file_name=f"pmx-{instance}.csv", data=IMPORT_CSV)
        for instance in ("A", "X")
    }
    # A spot check of each vendor's CI in A (vendor 1's application, vendor 2's server) and one in X.
    day = dt.date(2026, 11, 5)
    matrix.objects["spot_check"] = {
        instance: spotchecks.spot_check_record(
            actor=admins[instance[0]],
            vendor=items[instance].vendor,
            checked_on=day,
            results=[(items[instance], "name", True), (items[instance], "serial", False)],
        )
        for instance in ("A.V1", "A.V2", "X")
    }
    matrix.objects["ci_class"] = {
        "A.server": CIClass.objects.get(organisation=world.org, code="server"),
        "X.server": CIClass.objects.get(organisation=world.other_org, code="server"),
    }
    # A redundancy group per organisation: vendor 2's server in A (vendor 1 reads the group, not the member).
    matrix.objects["redundancy_group"] = {
        instance: services.redundancy_group_create(
            actor=admins[instance[0]], name=f"Pmx group {instance}", min_up=1, members=[items[instance]]
        )
        for instance in ("A.V2", "X")
    }


IMPORT_CSV = b"class,name,serial\nserver,PmxImported,PMX-SN-1\n"


def sees_import(matrix: Matrix, role: str, ci_import) -> bool:
    user = matrix.user(role)
    return user is not None and user.organisation_id == ci_import.organisation_id and side(user) == "client"


def _upload(target, matrix) -> Payload:
    return Payload({"file": SimpleUploadedFile("pmx.csv", IMPORT_CSV, content_type="text/csv")})


def sees_spot_check(matrix: Matrix, role: str, check) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != check.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and check.vendor_id == user.vendor_id)


def _spot_check_form(matrix: Matrix) -> dict:
    ci = matrix.objects["configuration_item"]["A.V1"]
    return {"vendor": ci.vendor_id, "ci": [ci.pk], "checked_on": "2026-11-06", f"r_{ci.pk}_name": "ok"}


def _spot_check_json(matrix: Matrix) -> dict:
    ci = matrix.objects["configuration_item"]["A.V1"]
    return {
        "vendor": ci.vendor_id,
        "checked_on": "2026-11-06",
        "items": [{"ci": ci.pk, "field": "name", "correct": True}],
    }


def sees_ci(matrix: Matrix, role: str, ci) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != ci.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and ci.vendor_id is not None and ci.vendor_id == user.vendor_id)


def sees_relation(matrix: Matrix, role: str, relation) -> bool:
    return sees_ci(matrix, role, relation.source) and sees_ci(matrix, role, relation.target)


def sees_link(matrix: Matrix, role: str, link) -> bool:
    return sees_ci(matrix, role, link.ci) and sees(matrix, role, "work_order", link.work_order)


def sees_class(matrix: Matrix, role: str, ci_class) -> bool:
    user = matrix.user(role)
    return user is not None and user.organisation_id == ci_class.organisation_id and side(user) != "requester"


def sees_group(matrix: Matrix, role: str, group) -> bool:
    return sees_class(matrix, role, group)


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for instance, ci in matrix.objects["configuration_item"].items():
        if not sees_ci(matrix, role, ci):
            out[ci.name] = f"configuration item {instance}"
            out[ci.host_name] = f"configuration item {instance}"
    return out


def may_edit(matrix: Matrix, role: str, ci) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != ci.organisation_id:
        return False
    if user.role in (Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR):
        return True
    return user.role == Role.VENDOR_MANAGER and ci.vendor_id == user.vendor_id


def get_status(matrix: Matrix, role: str, target: Target) -> int | None:
    """Permitted GETs that are not a plain 200: the edit page of a CI the role sees but may not edit."""
    if target.endpoint.name == "configuration:edit" and not may_edit(matrix, role, target.obj):
        return 403
    return None


def _form(data):
    return lambda target, matrix: Payload(data(matrix) if callable(data) else dict(data))


def _json(data):
    return lambda target, matrix: Payload(data(matrix) if callable(data) else dict(data), json=True)


def _class_pk(matrix: Matrix) -> int:
    return matrix.objects["ci_class"]["A.server"].pk


def _relation_body(matrix: Matrix) -> dict:
    return {
        "relation_type": RelationType.objects.get(code="connected_to").pk,
        "target": matrix.objects["configuration_item"]["A.client"].pk,
    }


describe_app(
    "configuration",
    models={
        "configuration_item": ConfigurationItem,
        "ci_relation": CIRelation,
        "ci_class": CIClass,
        "work_order_ci": WorkOrderCI,
        "ci_import": CIImport,
        "spot_check": SpotCheck,
        "redundancy_group": RedundancyGroup,
    },
    build=build,
    rules={
        "configuration_item": sees_ci,
        "ci_relation": sees_relation,
        "ci_class": sees_class,
        "work_order_ci": sees_link,
        "ci_import": sees_import,
        "spot_check": sees_spot_check,
        "redundancy_group": sees_group,
    },
    words=words,
    get_status=get_status,
    tables=(
        ConfigurationItem,
        CIRelation,
        CIClass,
        CIAttributeDefinition,
        WorkOrderCI,
        CIImport,
        SpotCheck,
        RedundancyGroup,
    ),
    pk_models={
        "configuration:detail": "configuration_item",
        "configuration:edit": "configuration_item",
        "configuration:transition": "configuration_item",
        "configuration:relation_add": "configuration_item",
        "configuration:relation_remove": "ci_relation",
        "configuration:work_order_link": "work_order",
        "configuration:work_order_unlink": "work_order_ci",
        "configuration:import_detail": "ci_import",
        "configuration:import_apply": "ci_import",
        "configuration:import_progress": "ci_import",
        "configuration:spot_check_detail": "spot_check",
        "configuration:class_detail": "ci_class",
        "configuration:class_edit": "ci_class",
        "configuration:attribute_define": "ci_class",
        "configuration:group_detail": "redundancy_group",
        "configuration:group_edit": "redundancy_group",
    },
    gates={
        "configuration:list": READERS,
        "configuration:detail": READERS,
        "configuration:create": CREATORS,
        "configuration:edit": READERS,
        "configuration:transition": READERS,
        "configuration:relation_add": READERS,
        "configuration:relation_remove": READERS,
        "configuration:work_order_link": READERS,
        "configuration:work_order_unlink": READERS,
        "configuration:import_list": CLIENT_SIDE,
        "configuration:import_detail": CLIENT_SIDE,
        "configuration:import_apply": CLIENT_SIDE,
        "configuration:import_progress": CLIENT_SIDE,
        "configuration:spot_check_list": READERS,
        "configuration:spot_check_detail": READERS,
        "configuration:spot_check_create": frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR}),
        "configuration:class_list": READERS,
        "configuration:class_detail": READERS,
        "configuration:class_create": CLASS_KEEPERS,
        "configuration:class_edit": CLASS_KEEPERS,
        "configuration:attribute_define": CLASS_KEEPERS,
        "configuration:group_list": READERS,
        "configuration:group_detail": READERS,
        "configuration:group_create": GROUP_KEEPERS,
        "configuration:group_edit": GROUP_KEEPERS,
    },
    payloads={
        ("configuration:create", "post"): _form(
            lambda m: {"ci_class": _class_pk(m), "name": "PmxNewCi", "status": "in_use"}
        ),
        ("configuration:edit", "post"): _form({"name": "PmxEditedCi"}),
        ("configuration:transition", "post"): _form({"action": "fail"}),
        ("configuration:relation_add", "post"): _form(_relation_body),
        ("configuration:relation_remove", "post"): _form({}),
        ("configuration:work_order_link", "post"): _form(lambda m: {"ci": m.objects["configuration_item"]["A.V1"].pk}),
        ("configuration:work_order_unlink", "post"): _form({}),
        ("configuration:import_list", "post"): _upload,
        ("configuration:import_apply", "post"): _form({}),
        ("api:configuration-import-list", "post"): _upload,
        ("api:configuration-import-apply", "post"): _json({}),
        ("configuration:spot_check_create", "post"): _form(_spot_check_form),
        ("configuration:class_create", "post"): _form({"code": "pmx-class", "name": "PmxClass"}),
        ("configuration:class_edit", "post"): _form({"name": "PmxEditedClass"}),
        ("configuration:attribute_define", "post"): _form(
            {"code": "pmx-attr", "name": "PmxAttr", "type": "text", "position": 0}
        ),
        ("configuration:group_create", "post"): _form({"name": "PmxGroup", "rule": "count", "value": 1}),
        ("configuration:group_edit", "post"): _form({"name": "PmxEditedGroup", "rule": "count", "value": 1}),
        ("api:spot-check-list", "post"): _json(_spot_check_json),
        ("api:redundancy-group-list", "post"): _json({"name": "PmxApiGroup", "min_up": 1}),
        ("api:redundancy-group-detail", "patch"): _json({"name": "PmxPatchedGroup"}),
        ("api:configuration-item-list", "post"): _json(lambda m: {"ci_class": _class_pk(m), "name": "PmxApiCi"}),
        ("api:configuration-item-detail", "patch"): _json({"name": "PmxPatchedCi"}),
        ("api:configuration-item-transition", "post"): _json({"action": "fail"}),
        ("api:ci-relation-detail", "delete"): _json({}),
        ("api:ci-relation-list", "post"): _json(
            lambda m: {
                "source": m.objects["configuration_item"]["A.V1"].pk,
                "relation_type": "connected_to",
                "target": m.objects["configuration_item"]["A.client"].pk,
            }
        ),
    },
)
