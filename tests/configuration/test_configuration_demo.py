"""The demo CMDB: made once through the services, with a cluster that shields and a printer that impacts."""

from __future__ import annotations

from oversight.configuration import selectors
from oversight.configuration.demo import ITEMS, RELATIONS, load_demo_configuration
from oversight.configuration.models import CIRelation, ConfigurationItem, RedundancyGroup, SpotCheck


def test_the_demo_graph_is_loaded_once_and_its_impact_is_computed(world):
    made = load_demo_configuration(world.org)
    assert len(made) == len(ITEMS) == 24
    assert CIRelation.objects.filter(source__organisation=world.org).count() == len(RELATIONS) == 35
    assert RedundancyGroup.objects.filter(organisation=world.org).count() == 3
    assert load_demo_configuration(world.org) == []
    # One spot check per vendor that owns CIs, each with one wrong site among its checked fields.
    checks = SpotCheck.objects.filter(organisation=world.org)
    assert checks.count() == len({c.vendor_id for c in made if c.vendor_id})
    for check in checks:
        assert check.items.filter(correct=False).count() == 1
    by_name = {c.name: c for c in ConfigurationItem.objects.filter(organisation=world.org)}
    assert by_name["HIS 数据库节点 03"].status == "maintenance"
    assert by_name["一病区腕带打印机"].status == "down"
    now = selectors.current_impact(user=world.users["client_supervisor"], organisation_id=world.org.pk)
    names = {c.pk: c.name for c in by_name.values()}
    # The database node under maintenance is shielded by the cluster (2 of 3 up); the printer takes ward nursing.
    assert {names[pk] for pk in now["down"]} == {"HIS 数据库节点 03", "一病区腕带打印机"}
    assert {names[pk] for pk in now["impacted"]} == {"住院护理"}
    # One more database node down breaks the cluster: the HIS and the services on it are impacted.
    what_if = selectors.what_if_down(user=world.users["client_supervisor"], ci=by_name["HIS 数据库节点 01"])
    assert {names[pk] for pk in what_if["services"]} == {"门诊挂号"}
    assert {names[pk] for pk in what_if["impacted"]} == {"HIS 医院信息系统", "门诊挂号"}
