"""Writes to configuration items: classes and attributes, CIs, status transitions, relations and groups."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.audit.models import AuditEntry
from oversight.configuration import services as cmdb
from oversight.configuration.models import CIClass, CIRelation, ConfigurationItem, RelationType
from oversight.contracts.models import Contract
from oversight.core import clock
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed


def contract_of(world, vendor, number="C-1"):
    today = dt.date(2026, 1, 1)
    return Contract.objects.create(
        organisation=world.org,
        vendor=vendor,
        number=number,
        title="Support",
        starts_on=today,
        ends_on=today.replace(year=2027),
        created_at=clock.now(),
        updated_at=clock.now(),
    )


def test_the_built_in_classes_are_seeded_once_and_audited(world):
    admin = world.users["client_admin"]
    created = cmdb.ci_classes_seed(actor=admin, organisation=world.org)
    assert sorted(c.code for c in created) == sorted(
        [
            "application",
            "business_service",
            "database",
            "medical_interface",
            "network_device",
            "printer",
            "server",
            "workstation",
        ]
    )
    assert cmdb.ci_classes_seed(actor=admin, organisation=world.org) == []
    assert CIClass.objects.filter(organisation=world.org, is_business_service=True).count() == 1
    assert AuditEntry.objects.filter(action="configuration.ciclass.seeded").count() == 1
    with pytest.raises(NotAllowed):
        cmdb.ci_classes_seed(actor=world.users["client_supervisor"], organisation=world.org)
    with pytest.raises(NotAllowed):
        cmdb.ci_classes_seed(actor=world.users["foreign_admin"], organisation=world.org)


def test_seeding_classes_restores_missing_relation_types_and_keeps_edited_ones(world):
    # The migration wrote the four types; a flushed database (the browser tests' live server) has none.
    assert set(RelationType.objects.values_list("code", flat=True)) == {
        "runs_on",
        "depends_on",
        "connected_to",
        "provided_by",
    }
    RelationType.objects.filter(code="runs_on").update(name="部署于")
    RelationType.objects.exclude(code="runs_on").delete()
    cmdb.ci_classes_seed(actor=world.users["client_admin"], organisation=world.org)
    assert RelationType.objects.count() == 4
    assert RelationType.objects.get(code="runs_on").name == "部署于"
    depends = RelationType.objects.get(code="depends_on")
    assert (depends.name, depends.name_en, depends.reverse_name_en, depends.propagates) == (
        "依赖于",
        "depends on",
        "is needed by",
        True,
    )


def test_an_administrator_adds_a_class_with_typed_attributes_that_ci_values_must_fit(world, classes):
    admin = world.users["client_admin"]
    scanner = cmdb.ci_class_create(actor=admin, code="ct", name="CT 机", name_en="CT scanner")
    cmdb.ci_attribute_define(actor=admin, ci_class=scanner, code="slices", name="层数", type="integer", required=True)
    cmdb.ci_attribute_define(
        actor=admin, ci_class=scanner, code="tier", name="等级", type="choice", choices=["gold", " silver ", ""]
    )
    with pytest.raises(ApplicationError):
        cmdb.ci_attribute_define(actor=admin, ci_class=scanner, code="mode", name="模式", type="choice")
    with pytest.raises(ApplicationError):
        cmdb.ci_attribute_define(actor=admin, ci_class=scanner, code="slices", name="again", type="text")
    with pytest.raises(NotAllowed):
        cmdb.ci_class_create(actor=world.users["client_supervisor"], code="mri", name="MRI")
    with pytest.raises(ApplicationError) as caught:
        cmdb.ci_create(
            actor=world.users["client_supervisor"], ci_class=scanner, name="CT-1", attributes={"tier": "bronze"}
        )
    assert set(caught.value.extra["attributes"]) == {"slices", "tier"}
    item = cmdb.ci_create(
        actor=world.users["client_supervisor"],
        ci_class=scanner,
        name="CT-1",
        attributes={"slices": "64", "tier": "silver"},
    )
    assert item.attributes == {"slices": 64, "tier": "silver"}
    assert AuditEntry.objects.filter(action="configuration.ciattributedefinition.created").count() == 2


def test_a_ci_is_recorded_with_its_references_checked_audited_and_announced(world, ci, monkeypatch):
    published = []
    monkeypatch.setattr(cmdb, "publish", lambda event, **payload: published.append((event.name, payload)))
    contract = contract_of(world, world.vendor)
    item = ci("HIS-APP-01", host_name="his-app-01", serial="SN1", asset_tag="A-1", support_contract=contract)
    assert item.status == "in_use"
    assert item.organisation_id == world.org.pk
    entry = AuditEntry.objects.get(action="configuration.configurationitem.created")
    assert entry.object_id == str(item.pk)
    assert published == [
        ("configuration.ci.created", {"ci_id": item.pk, "actor_id": world.users["client_supervisor"].pk})
    ]
    # The support contract is the owner vendor's; keys are unique within the organisation.
    with pytest.raises(ApplicationError):
        ci("X", vendor=world.other_vendor, support_contract=contract)
    for key in ({"serial": "SN1"}, {"asset_tag": "A-1"}, {"host_name": "his-app-01"}):
        with pytest.raises(ApplicationError):
            ci("Y", **key)
    with pytest.raises(ApplicationError):
        ci("Z", site=None, vendor=world.foreign_vendor)


def test_who_may_record_and_edit_a_ci(world, ci, classes):
    with pytest.raises(NotAllowed):
        ci("R", actor=world.users["requester"])
    with pytest.raises(NotAllowed):
        ci("E", actor=world.users["executive"])
    with pytest.raises(NotAllowed):
        ci("V", actor=world.users["vendor_manager"], vendor=world.other_vendor)
    own = ci("V", actor=world.users["vendor_manager"])
    with pytest.raises(NotAllowed):
        ci("A", actor=world.users["vendor_agent"])
    with pytest.raises(ApplicationError):
        cmdb.ci_create(actor=world.users["foreign_admin"], ci_class=classes["server"], name="far")
    edited = cmdb.ci_update(actor=world.users["vendor_manager"], ci=own, name=" V2 ", attributes={})
    assert edited.name == "V2"
    assert edited.version == 2
    with pytest.raises(NotAllowed):
        cmdb.ci_update(actor=world.users["other_vendor_manager"], ci=own, name="mine")
    with pytest.raises(NotAllowed):
        cmdb.ci_update(actor=world.users["vendor_manager"], ci=own, vendor=world.other_vendor)
    with pytest.raises(ApplicationError):
        cmdb.ci_update(actor=world.users["client_supervisor"], ci=own, status="down")
    entry = AuditEntry.objects.get(action="configuration.configurationitem.changed")
    assert entry.before == {"name": "V"} and entry.after == {"name": "V2"}


def test_status_changes_follow_the_table_and_announce_themselves(world, ci, monkeypatch):
    import oversight.core.events as events

    published = []
    monkeypatch.setattr(events, "publish", lambda event, **payload: published.append((event.name, payload)))
    item = ci("SW-CORE-1", kind="network_device", status="planned")
    agent = world.users["vendor_agent"]
    with pytest.raises(InvalidTransition):
        cmdb.ci_transition(actor=agent, ci=item, action="fail")
    item = cmdb.ci_transition(actor=agent, ci=item, action="commission")
    item = cmdb.ci_transition(actor=agent, ci=item, action="fail")
    assert item.status == "down"
    # A second "report as down" (another agent noticing the same outage) changes nothing.
    again = cmdb.ci_transition(actor=world.users["vendor_agent_2"], ci=item, action="fail")
    assert again.version == item.version
    with pytest.raises(NotAllowed):
        cmdb.ci_transition(actor=world.users["other_vendor_agent"], ci=item, action="restore")
    item = cmdb.ci_transition(actor=world.users["client_supervisor"], ci=item, action="restore")
    assert item.status == "in_use"
    assert [p["to_status"] for name, p in published if name == "configuration.ci.status_changed"] == [
        "in_use",
        "down",
        "in_use",
    ]
    assert published[1][1] == {
        "ci_id": item.pk,
        "actor_id": agent.pk,
        "action": "fail",
        "from_status": "in_use",
        "to_status": "down",
    }
    actions = list(
        AuditEntry.objects.filter(object_id=str(item.pk), action__startswith="configuration.configurationitem.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[1:] == [
        "configuration.configurationitem.commission",
        "configuration.configurationitem.fail",
        "configuration.configurationitem.restore",
    ]


def test_relations_refuse_loops_duplicates_and_other_organisations(world, ci, relation):
    app = ci("HIS", kind="application")
    server = ci("HIS-APP-01")
    supervisor = world.users["client_supervisor"]
    rel = cmdb.ci_relation_create(actor=supervisor, source=app, relation_type=relation["runs_on"], target=server)
    assert rel.relation_type.name == "运行于"
    with pytest.raises(ApplicationError):
        cmdb.ci_relation_create(actor=supervisor, source=app, relation_type=relation["runs_on"], target=server)
    with pytest.raises(ApplicationError):
        cmdb.ci_relation_create(actor=supervisor, source=app, relation_type=relation["depends_on"], target=app)
    cmdb.ci_classes_seed(actor=world.users["foreign_admin"], organisation=world.other_org)
    far = cmdb.ci_create(
        actor=world.users["foreign_admin"],
        ci_class=CIClass.objects.get(organisation=world.other_org, code="server"),
        name="far",
    )
    with pytest.raises(ApplicationError):
        cmdb.ci_relation_create(actor=supervisor, source=app, relation_type=relation["depends_on"], target=far)
    with pytest.raises(NotAllowed):
        cmdb.ci_relation_create(
            actor=world.users["other_vendor_manager"], source=app, relation_type=relation["depends_on"], target=server
        )
    cmdb.ci_relation_delete(actor=supervisor, relation=rel)
    assert not CIRelation.objects.exists()
    assert AuditEntry.objects.filter(action="configuration.cirelation.deleted").get().before == {
        "source": app.pk,
        "relation_type": "runs_on",
        "target": server.pk,
    }


def test_a_redundancy_group_takes_one_rule(world, ci):
    supervisor = world.users["client_supervisor"]
    nodes = [ci(f"DB-0{i}", kind="database") for i in (1, 2, 3)]
    group = cmdb.redundancy_group_create(actor=supervisor, name="数据库集群", min_up=2, members=nodes)
    assert set(ConfigurationItem.objects.filter(redundancy_group=group).values_list("name", flat=True)) == {
        "DB-01",
        "DB-02",
        "DB-03",
    }
    for rule in ({}, {"min_up": 1, "min_up_percent": 50}, {"min_up": 0}, {"min_up_percent": 101}):
        with pytest.raises(ApplicationError):
            cmdb.redundancy_group_create(actor=supervisor, name="bad", **rule)
    group = cmdb.redundancy_group_update(actor=supervisor, group=group, min_up_percent=60)
    assert (group.min_up, group.min_up_percent) == (None, 60)
    with pytest.raises(NotAllowed):
        cmdb.redundancy_group_create(actor=world.users["vendor_manager"], name="x", min_up=1)
