"""The CMDB pages: list with filters, a CI with relations both ways, impact and its graph, and the forms."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry
from oversight.configuration import services as cmdb
from oversight.configuration.models import CIRelation, ConfigurationItem
from tests.factories import signed_in


def test_the_list_shows_what_the_user_may_see_and_filters_it(world, estate, classes):
    page = signed_in(world.users["client_supervisor"]).get("/configuration/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Configuration items" in text
    for name in ("门诊挂号", "HIS-APP-01", "DB-01"):
        assert name in text
    vendor_page = signed_in(world.users["vendor_agent"]).get("/configuration/").content.decode()
    assert "DB-01" in vendor_page and "HIS-APP-01" not in vendor_page and "门诊挂号" not in vendor_page
    client = signed_in(world.users["client_supervisor"])
    only_databases = client.get("/configuration/", {"ci_class": classes["database"].pk}).content.decode()
    assert "DB-02" in only_databases and "HIS-APP-01" not in only_databases
    searched = client.get("/configuration/", {"q": "app-01"}).content.decode()
    assert "HIS-APP-01" in searched and "DB-01" not in searched
    cmdb.ci_transition(actor=world.users["client_supervisor"], ci=estate["db1"], action="fail")
    down = client.get("/configuration/", {"status": "down"}).content.decode()
    assert "DB-01" in down and "DB-02" not in down
    assert signed_in(world.users["requester"]).get("/configuration/").status_code == 403


def test_the_detail_shows_relations_both_ways_impact_and_the_graph(world, estate):
    supervisor = world.users["client_supervisor"]
    supervisor.language = "zh-hans"
    supervisor.save(update_fields=["language"])
    client = signed_in(supervisor)
    page = client.get(f"/configuration/{estate['app'].pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    # Needed by the business service, runs on the server, depends on both databases.
    assert "门诊挂号" in text and "HIS-APP-01" in text and "DB-02" in text
    assert "运行于" in text and "依赖于" in text and "关系图" in text
    impact = page.context["impacted_services"]
    assert [s.name for s in impact] == ["门诊挂号"]
    assert {c.name for c in page.context["needs"]} == {"HIS-APP-01", "DB-01", "DB-02"}
    graph = page.context["graph"]
    assert {n["ci"].name for n in graph["nodes"]} == {"门诊挂号", "HIS", "HIS-APP-01", "DB-01", "DB-02"}
    assert len(graph["edges"]) == 4
    assert (
        'data-testid="ci-graph"' in text and "<script" not in text.split('data-testid="ci-graph"')[1].split("</svg>")[0]
    )
    # A database of the pair shields: nothing is impacted if one goes down.
    db_page = client.get(f"/configuration/{estate['db1'].pk}/")
    assert list(db_page.context["impacts"]) == []
    # Its vendor's agent sees the application without the server of the other vendor.
    agent_page = signed_in(world.users["vendor_agent"]).get(f"/configuration/{estate['app'].pk}/")
    assert "HIS-APP-01" not in agent_page.content.decode()
    assert signed_in(world.users["vendor_agent"]).get(f"/configuration/{estate['server'].pk}/").status_code == 404
    assert signed_in(world.users["foreign_admin"]).get(f"/configuration/{estate['app'].pk}/").status_code == 404


def test_recording_a_ci_chooses_the_class_then_fills_its_attributes(world, classes):
    admin = world.users["client_admin"]
    cmdb.ci_attribute_define(actor=admin, ci_class=classes["server"], code="cpus", name="CPU 数", type="integer")
    client = signed_in(world.users["client_supervisor"])
    chooser = client.get("/configuration/new/")
    assert chooser.status_code == 200 and "chooser" in chooser.context
    form_page = client.get("/configuration/new/", {"ci_class": classes["server"].pk})
    assert "CPU 数" in form_page.content.decode()
    world.users["client_supervisor"].language = "zh-hans"
    world.users["client_supervisor"].save(update_fields=["language"])
    bad = client.post(
        "/configuration/new/",
        {"ci_class": classes["server"].pk, "name": "HIS-APP-09", "status": "in_use", "attr_cpus": "many"},
    )
    assert bad.status_code == 400
    assert "请输入整数" in bad.content.decode()
    done = client.post(
        "/configuration/new/",
        {
            "ci_class": classes["server"].pk,
            "name": "HIS-APP-09",
            "status": "planned",
            "vendor": world.vendor.pk,
            "attr_cpus": "32",
        },
    )
    ci = ConfigurationItem.objects.get(name="HIS-APP-09")
    assert done.status_code == 302 and done["Location"] == f"/configuration/{ci.pk}/"
    assert (ci.status, ci.attributes, ci.vendor_id) == ("planned", {"cpus": 32}, world.vendor.pk)
    assert signed_in(world.users["vendor_agent"]).get("/configuration/new/").status_code == 403
    assert signed_in(world.users["auditor"]).get("/configuration/new/").status_code == 403


def test_editing_changing_status_and_relating_from_the_page(world, estate, relation):
    manager = signed_in(world.users["vendor_manager"])
    app = estate["app"]
    edit = manager.get(f"/configuration/{app.pk}/edit/")
    assert edit.status_code == 200
    saved = manager.post(
        f"/configuration/{app.pk}/edit/", {"name": "HIS 主应用", "host_name": "his", "vendor": world.vendor.pk}
    )
    assert saved.status_code == 302
    app.refresh_from_db()
    assert (app.name, app.host_name) == ("HIS 主应用", "his")
    assert signed_in(world.users["other_vendor_manager"]).get(f"/configuration/{app.pk}/edit/").status_code == 404
    assert signed_in(world.users["auditor"]).get(f"/configuration/{app.pk}/edit/").status_code == 403
    agent = signed_in(world.users["vendor_agent"])
    assert agent.post(f"/configuration/{app.pk}/status/", {"action": "fail"}).status_code == 302
    app.refresh_from_db()
    assert app.status == "down"
    refused = agent.post(f"/configuration/{app.pk}/status/", {"action": "commission"})
    assert refused.status_code == 409
    added = manager.post(
        f"/configuration/{estate['db1'].pk}/relations/",
        {"relation_type": relation["connected_to"].pk, "target": estate["db2"].pk},
    )
    assert added.status_code == 302
    rel = CIRelation.objects.get(source=estate["db1"], target=estate["db2"])
    loop = manager.post(
        f"/configuration/{estate['db1'].pk}/relations/",
        {"relation_type": relation["connected_to"].pk, "target": estate["db1"].pk},
    )
    assert loop.status_code == 400
    assert manager.post(f"/configuration/relations/{rel.pk}/remove/").status_code == 302
    assert not CIRelation.objects.filter(pk=rel.pk).exists()
    assert AuditEntry.objects.filter(action="configuration.cirelation.deleted").count() == 1


@pytest.mark.parametrize("role", ["client_supervisor", "vendor_agent", "executive"])
def test_the_navigation_links_the_cmdb_for_staff(world, role):
    assert 'href="/configuration/"' in signed_in(world.users[role]).get("/configuration/").content.decode()
