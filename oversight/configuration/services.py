"""Writes to configuration items, their classes, relations and redundancy groups. Every change goes through here."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.audit.transitions import transition
from oversight.configuration import permissions
from oversight.configuration.attributes import AttributeErrors, AttributeSpec, clean_attributes
from oversight.configuration.choices import (
    BUILTIN_CLASSES,
    BUILTIN_RELATION_TYPES,
    CI_MACHINE,
    AttributeType,
    CIKind,
    CIStatus,
)
from oversight.configuration.events import CI_CREATED, CI_RELATION_CHANGED, CI_STATUS_CHANGED, WORK_ORDER_CI_LINKED
from oversight.configuration.models import (
    CIAttributeDefinition,
    CIClass,
    CIRelation,
    ConfigurationItem,
    RedundancyGroup,
    RelationType,
    WorkOrderCI,
)
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError
from oversight.core.events import publish

#: The fields `ci_update` may change (the status has its transitions).
EDITABLE_FIELDS = (
    "name",
    "name_en",
    "vendor",
    "site",
    "asset_tag",
    "serial",
    "host_name",
    "warranty_ends_on",
    "support_contract",
    "redundancy_group",
    "attributes",
    "description",
)
TEXT_FIELDS = ("name", "name_en", "asset_tag", "serial", "host_name", "description")
#: The reconciliation keys: each, when given, names one CI of the organisation.
KEY_FIELDS = ("serial", "asset_tag", "host_name")


def attribute_specs(ci_class: CIClass) -> list[AttributeSpec]:
    """The attribute specs of a class, for `clean_attributes`."""
    return [
        AttributeSpec(code=d.code, type=d.type, required=d.required, choices=tuple(d.choices or ()))
        for d in CIAttributeDefinition.objects.filter(ci_class=ci_class)
    ]


def _clean_attributes(ci_class: CIClass, values) -> dict:
    try:
        return clean_attributes(attribute_specs(ci_class), values)
    except AttributeErrors as exc:
        raise ApplicationError(
            _("Check the attributes: %(errors)s")
            % {"errors": "; ".join(f"{code}: {message}" for code, message in exc.errors.items())},
            extra={"attributes": {code: str(message) for code, message in exc.errors.items()}},
        ) from exc


def _check_references(ci: ConfigurationItem) -> None:
    """Everything a CI refers to belongs to its organisation; the support contract is the owner vendor's."""
    for obj in (ci.ci_class, ci.vendor, ci.site, ci.support_contract, ci.redundancy_group):
        if obj is not None and obj.organisation_id != ci.organisation_id:
            raise ApplicationError(_("Choose a class, vendor, site, contract and group of your own organisation."))
    if ci.support_contract is not None and ci.support_contract.vendor_id != ci.vendor_id:
        raise ApplicationError(_("The support contract must be one of the owner vendor's contracts."))
    if not ci.name:
        raise ApplicationError(_("Give the configuration item a name."))


def _check_keys(ci: ConfigurationItem) -> None:
    """A serial, asset tag or host name already used by another CI of the organisation is refused."""
    others = ConfigurationItem.objects.filter(organisation_id=ci.organisation_id).exclude(pk=ci.pk)
    labels = {"serial": _("serial number"), "asset_tag": _("asset tag"), "host_name": _("host name")}
    for field in KEY_FIELDS:
        value = getattr(ci, field)
        if value and others.filter(**{field: value}).exists():
            raise ApplicationError(
                _("Another configuration item already has this %(key)s: %(value)s")
                % {"key": labels[field], "value": value}
            )


@transaction.atomic
def ci_classes_seed(*, actor, organisation) -> list[CIClass]:
    """Give an organisation the eight built-in classes it lacks (server ... business service); a repeat adds none.

    The built-in relation types are made too if they are missing (a database emptied with ``flush`` loses the
    rows the migration wrote), so classes are never seeded without the relations that join their CIs.
    """
    if actor is not None:
        permissions.require(permissions.may_manage_classes(actor) and _same_organisation(actor, organisation))
    relation_types_seed()
    have = set(CIClass.objects.filter(organisation=organisation).values_list("code", flat=True))
    created = [
        CIClass.objects.create(
            organisation=organisation,
            code=str(kind),
            kind=kind,
            name=names[0],
            name_en=names[1],
            is_business_service=kind == CIKind.BUSINESS_SERVICE,
        )
        for kind, names in BUILTIN_CLASSES.items()
        if str(kind) not in have
    ]
    if created:
        audit_record(
            actor=actor,
            action="configuration.ciclass.seeded",
            object_type="configuration.ciclass",
            organisation=organisation,
            after={"codes": [c.code for c in created]},
        )
    return created


def relation_types_seed() -> list[RelationType]:
    """Create the built-in relation types that are missing; existing ones (and their edited names) are kept."""
    have = set(RelationType.objects.values_list("code", flat=True))
    return [
        RelationType.objects.create(
            code=code, name=name, name_en=name_en, reverse_name=reverse, reverse_name_en=reverse_en, propagates=flag
        )
        for code, (name, name_en, reverse, reverse_en, flag) in BUILTIN_RELATION_TYPES.items()
        if code not in have
    ]


def _same_organisation(actor, organisation) -> bool:
    return bool(actor.is_superuser or actor.organisation_id == organisation.pk)


@transaction.atomic
def ci_class_create(
    *, actor, code: str, name: str, name_en: str = "", is_business_service: bool = False, description: str = ""
) -> CIClass:
    """Add a class of the administrator's organisation."""
    permissions.require(permissions.may_manage_classes(actor) and actor.organisation_id is not None)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise ApplicationError(_("Give the class a code and a name."))
    if CIClass.objects.filter(organisation_id=actor.organisation_id, code=code).exists():
        raise ApplicationError(_("A class with this code already exists."))
    ci_class = CIClass.objects.create(
        organisation_id=actor.organisation_id,
        code=code,
        name=name,
        name_en=(name_en or "").strip(),
        is_business_service=is_business_service,
        description=description or "",
    )
    audit_record(actor=actor, action="configuration.ciclass.created", obj=ci_class, after=model_snapshot(ci_class))
    return ci_class


@transaction.atomic
def ci_class_update(
    *, actor, ci_class: CIClass, name: str, name_en: str = "", is_business_service: bool, description: str = ""
) -> CIClass:
    """Change a class's names, description and whether its CIs are business services (its code stays)."""
    locked = lock_row(ci_class)
    permissions.require(permissions.may_manage_classes(actor) and _same_organisation(actor, locked.organisation))
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the class a code and a name."))
    before = model_snapshot(locked)
    locked.name, locked.name_en = name, (name_en or "").strip()
    locked.is_business_service, locked.description = bool(is_business_service), description or ""
    old, new = diff_snapshots(before, model_snapshot(locked))
    if new:
        locked.save(update_fields=["name", "name_en", "is_business_service", "description"])
        audit_record(actor=actor, action="configuration.ciclass.changed", obj=locked, before=old, after=new)
    return locked


@transaction.atomic
def ci_attribute_define(
    *,
    actor,
    ci_class: CIClass,
    code: str,
    name: str,
    type: str,  # noqa: A002 - the attribute's type, as the model names it
    name_en: str = "",
    required: bool = False,
    choices: list[str] | tuple[str, ...] = (),
    position: int = 0,
) -> CIAttributeDefinition:
    """Define a typed attribute on a class (a choice attribute lists its allowed values)."""
    permissions.require(permissions.may_manage_classes(actor) and _same_organisation(actor, ci_class.organisation))
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise ApplicationError(_("Give the attribute a code and a name."))
    if type not in AttributeType.values:
        raise ApplicationError(_("Choose an attribute type."))
    cleaned_choices = [str(c).strip() for c in choices if str(c).strip()]
    if type == AttributeType.CHOICE and not cleaned_choices:
        raise ApplicationError(_("A choice attribute needs its list of choices."))
    if CIAttributeDefinition.objects.filter(ci_class=ci_class, code=code).exists():
        raise ApplicationError(_("This class already has an attribute with this code."))
    definition = CIAttributeDefinition.objects.create(
        ci_class=ci_class,
        code=code,
        name=name,
        name_en=(name_en or "").strip(),
        type=type,
        required=required,
        choices=cleaned_choices if type == AttributeType.CHOICE else [],
        position=position,
    )
    audit_record(
        actor=actor,
        action="configuration.ciattributedefinition.created",
        obj=definition,
        organisation=ci_class.organisation,
        after=model_snapshot(definition),
    )
    return definition


@transaction.atomic
def ci_create(
    *,
    actor,
    ci_class: CIClass,
    name: str,
    name_en: str = "",
    vendor=None,
    site=None,
    asset_tag: str = "",
    serial: str = "",
    host_name: str = "",
    status: str = CIStatus.IN_USE,
    warranty_ends_on: dt.date | None = None,
    support_contract=None,
    redundancy_group=None,
    attributes: dict | None = None,
    description: str = "",
) -> ConfigurationItem:
    """Record a configuration item of the class's organisation (planned or already in use)."""
    permissions.require(permissions.may_create(actor, vendor))
    if not actor.is_superuser and ci_class.organisation_id != actor.organisation_id:
        raise ApplicationError(_("Choose a class of your own organisation."))
    if status not in (CIStatus.PLANNED, CIStatus.IN_USE):
        raise ApplicationError(_("A new configuration item is planned or in use."))
    now = clock.now()
    ci = ConfigurationItem(
        organisation_id=ci_class.organisation_id,
        ci_class=ci_class,
        name=(name or "").strip(),
        name_en=(name_en or "").strip(),
        vendor=vendor,
        site=site,
        asset_tag=(asset_tag or "").strip(),
        serial=(serial or "").strip(),
        host_name=(host_name or "").strip(),
        status=status,
        warranty_ends_on=warranty_ends_on,
        support_contract=support_contract,
        redundancy_group=redundancy_group,
        attributes=_clean_attributes(ci_class, attributes),
        description=description or "",
        created_at=now,
        updated_at=now,
    )
    _check_references(ci)
    _check_keys(ci)
    ci.save()
    audit_record(actor=actor, action="configuration.configurationitem.created", obj=ci, after=model_snapshot(ci))
    publish(CI_CREATED, ci_id=ci.pk, actor_id=getattr(actor, "pk", None))
    return ci


@transaction.atomic
def ci_update(*, actor, ci: ConfigurationItem, expected_version: int | None = None, **changes) -> ConfigurationItem:
    """Change a CI's details and attributes (its status changes through `ci_transition`)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    locked = lock_row(ci, "ci_class")
    permissions.require(permissions.may_edit(actor, locked))
    check_version(locked, expected_version, CI_MACHINE.stale)
    if (
        "vendor" in changes
        and changes["vendor"] != locked.vendor
        and not permissions.may_create(actor, changes["vendor"])
    ):
        raise permissions.NotAllowed(_("Only the client's operators give a configuration item to another vendor."))
    before = model_snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value.strip() if name in TEXT_FIELDS and isinstance(value, str) else value)
    if "attributes" in changes:
        locked.attributes = _clean_attributes(locked.ci_class, changes["attributes"])
    _check_references(locked)
    _check_keys(locked)
    old, new = diff_snapshots(before, model_snapshot(locked))
    if not new:
        return locked
    touch(locked, clock.now(), list(new))
    audit_record(actor=actor, action="configuration.configurationitem.changed", obj=locked, before=old, after=new)
    return locked


@transaction.atomic
def ci_transition(
    *, actor, ci: ConfigurationItem, action: str, expected_version: int | None = None
) -> ConfigurationItem:
    """Move a CI along its status table (put into use, maintenance, down, restored, retired) and announce it."""
    outcome = transition(
        ci,
        machine=CI_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        authorize=lambda locked: permissions.require(permissions.may_change_status(actor, locked)),
        announce=lambda outcome: [
            (
                CI_STATUS_CHANGED,
                {
                    "ci_id": outcome.obj.pk,
                    "actor_id": getattr(actor, "pk", None),
                    "action": action,
                    "from_status": outcome.from_status,
                    "to_status": outcome.to_status,
                },
            )
        ],
    )
    return outcome.obj


@transaction.atomic
def ci_relation_create(
    *, actor, source: ConfigurationItem, relation_type: RelationType, target: ConfigurationItem
) -> CIRelation:
    """Relate two CIs of one organisation (source —type→ target); no loop to itself, no duplicate."""
    permissions.require(permissions.may_edit(actor, source))
    if source.pk == target.pk:
        raise ApplicationError(_("A configuration item cannot be related to itself."))
    if source.organisation_id != target.organisation_id:
        raise ApplicationError(_("Only configuration items of one organisation can be related."))
    if CIRelation.objects.filter(source=source, relation_type=relation_type, target=target).exists():
        raise ApplicationError(_("These configuration items are already related this way."))
    relation = CIRelation.objects.create(
        source=source, relation_type=relation_type, target=target, created_at=clock.now(), created_by=_user(actor)
    )
    audit_record(
        actor=actor,
        action="configuration.cirelation.created",
        obj=relation,
        organisation=source.organisation,
        after={"source": source.pk, "relation_type": relation_type.code, "target": target.pk},
    )
    publish(
        CI_RELATION_CHANGED,
        source_id=source.pk,
        target_id=target.pk,
        relation_type=relation_type.code,
        added=True,
        actor_id=getattr(actor, "pk", None),
    )
    return relation


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def ci_relation_delete(*, actor, relation: CIRelation) -> None:
    """Remove a relation (whoever may edit its source)."""
    source = relation.source
    permissions.require(permissions.may_edit(actor, source))
    before = {"source": relation.source_id, "relation_type": relation.relation_type.code, "target": relation.target_id}
    audit_record(
        actor=actor,
        action="configuration.cirelation.deleted",
        obj=relation,
        organisation=source.organisation,
        before=before,
    )
    relation.delete()
    publish(
        CI_RELATION_CHANGED,
        source_id=before["source"],
        target_id=before["target"],
        relation_type=before["relation_type"],
        added=False,
        actor_id=getattr(actor, "pk", None),
    )


def _check_rule(min_up, min_up_percent) -> None:
    if (min_up is None) == (min_up_percent is None):
        raise ApplicationError(_("Give either how many members must be up or what percentage, not both."))
    if min_up is not None and min_up < 1:
        raise ApplicationError(_("At least one member must be up."))
    if min_up_percent is not None and not 1 <= min_up_percent <= 100:
        raise ApplicationError(_("The percentage is between 1 and 100."))


@transaction.atomic
def redundancy_group_create(
    *, actor, name: str, name_en: str = "", min_up: int | None = None, min_up_percent: int | None = None, members=()
) -> RedundancyGroup:
    """A redundancy group of the operator's organisation with its rule (n up, or p % up) and its members."""
    permissions.require(permissions.may_manage_groups(actor) and actor.organisation_id is not None)
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the group a name."))
    _check_rule(min_up, min_up_percent)
    group = RedundancyGroup.objects.create(
        organisation_id=actor.organisation_id,
        name=name,
        name_en=(name_en or "").strip(),
        min_up=min_up,
        min_up_percent=min_up_percent,
    )
    member_ids = _check_members(group, members)
    ConfigurationItem.objects.filter(pk__in=member_ids).update(redundancy_group=group)
    audit_record(
        actor=actor,
        action="configuration.redundancygroup.created",
        obj=group,
        after={**model_snapshot(group), "members": sorted(member_ids)},
    )
    return group


def _check_members(group: RedundancyGroup, members) -> list[int]:
    if any(m.organisation_id != group.organisation_id for m in members):
        raise ApplicationError(_("Only configuration items of your own organisation can be members."))
    return sorted(m.pk for m in members)


@transaction.atomic
def redundancy_group_update(
    *,
    actor,
    group: RedundancyGroup,
    min_up: int | None = None,
    min_up_percent: int | None = None,
    name: str | None = None,
    name_en: str | None = None,
    members=None,
) -> RedundancyGroup:
    """Change a group's rule (n up, or p % up) and, when given, its names and its members (the CIs left out
    leave the group)."""
    locked = lock_row(group)
    permissions.require(permissions.may_manage_groups(actor) and _same_organisation(actor, locked.organisation))
    _check_rule(min_up, min_up_percent)
    before = model_snapshot(locked)
    locked.min_up, locked.min_up_percent = min_up, min_up_percent
    if name is not None:
        locked.name = name.strip()
        if not locked.name:
            raise ApplicationError(_("Give the group a name."))
    if name_en is not None:
        locked.name_en = name_en.strip()
    old, new = diff_snapshots(before, model_snapshot(locked))
    if members is not None:
        member_ids = _check_members(locked, members)
        current = sorted(ConfigurationItem.objects.filter(redundancy_group=locked).values_list("pk", flat=True))
        if member_ids != current:
            ConfigurationItem.objects.filter(redundancy_group=locked).exclude(pk__in=member_ids).update(
                redundancy_group=None
            )
            ConfigurationItem.objects.filter(pk__in=member_ids).update(redundancy_group=locked)
            old, new = {**old, "members": current}, {**new, "members": member_ids}
    if new:
        locked.save(update_fields=["name", "name_en", "min_up", "min_up_percent"])
        audit_record(actor=actor, action="configuration.redundancygroup.changed", obj=locked, before=old, after=new)
    return locked


@transaction.atomic
def work_order_ci_link(*, actor, work_order, ci: ConfigurationItem) -> WorkOrderCI:
    """Link a CI of the work order's organisation to the work order; linking it again changes nothing."""
    permissions.require(permissions.may_link_work_order(actor, work_order))
    if ci.organisation_id != work_order.organisation_id:
        raise ApplicationError(_("Only configuration items of the work order's organisation can be linked."))
    link, created = WorkOrderCI.objects.get_or_create(
        work_order=work_order, ci=ci, defaults={"linked_at": clock.now(), "linked_by": _user(actor)}
    )
    if created:
        audit_record(
            actor=actor,
            action="configuration.workorderci.linked",
            obj=link,
            organisation=work_order.organisation,
            after={"work_order": work_order.pk, "ci": ci.pk},
        )
        publish(
            WORK_ORDER_CI_LINKED,
            work_order_id=work_order.pk,
            ci_id=ci.pk,
            linked=True,
            actor_id=getattr(actor, "pk", None),
        )
    return link


@transaction.atomic
def work_order_ci_unlink(*, actor, link: WorkOrderCI) -> None:
    """Remove a CI from a work order."""
    work_order = link.work_order
    permissions.require(permissions.may_link_work_order(actor, work_order))
    before = {"work_order": work_order.pk, "ci": link.ci_id}
    audit_record(
        actor=actor,
        action="configuration.workorderci.unlinked",
        obj=link,
        organisation=work_order.organisation,
        before=before,
    )
    link.delete()
    publish(
        WORK_ORDER_CI_LINKED,
        work_order_id=before["work_order"],
        ci_id=before["ci"],
        linked=False,
        actor_id=getattr(actor, "pk", None),
    )
