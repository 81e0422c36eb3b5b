"""Work orders ↔ CIs: the link service, its section on the work-order page, and the services it impacts."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry
from oversight.configuration import selectors
from oversight.configuration import services as cmdb
from oversight.configuration.models import CIClass, WorkOrderCI
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.tickets import services as tickets
from tests.factories import signed_in


@pytest.fixture
def work_order(world):
    return tickets.work_order_create(actor=world.users["requester"], service=world.service, title="HIS is slow")


def test_linking_is_audited_announced_once_and_refused_to_others(world, estate, work_order, monkeypatch):
    published = []
    monkeypatch.setattr(cmdb, "publish", lambda event, **payload: published.append((event.name, payload)))
    agent = world.users["vendor_agent"]
    link = cmdb.work_order_ci_link(actor=agent, work_order=work_order, ci=estate["db1"])
    again = cmdb.work_order_ci_link(actor=agent, work_order=work_order, ci=estate["db1"])
    assert again.pk == link.pk
    assert AuditEntry.objects.filter(action="configuration.workorderci.linked").count() == 1
    assert published == [
        (
            "configuration.work_order.ci_linked",
            {"work_order_id": work_order.pk, "ci_id": estate["db1"].pk, "linked": True, "actor_id": agent.pk},
        )
    ]
    with pytest.raises(NotAllowed):
        cmdb.work_order_ci_link(actor=world.users["other_vendor_agent"], work_order=work_order, ci=estate["server"])
    with pytest.raises(NotAllowed):
        cmdb.work_order_ci_link(actor=world.users["auditor"], work_order=work_order, ci=estate["app"])
    cmdb.ci_classes_seed(actor=world.users["foreign_admin"], organisation=world.other_org)
    far = cmdb.ci_create(
        actor=world.users["foreign_admin"],
        ci_class=CIClass.objects.get(organisation=world.other_org, code="server"),
        name="far",
    )
    with pytest.raises(ApplicationError):
        cmdb.work_order_ci_link(actor=world.users["client_supervisor"], work_order=work_order, ci=far)
    cmdb.work_order_ci_unlink(actor=agent, link=link)
    assert not WorkOrderCI.objects.exists()
    assert published[-1][1]["linked"] is False


def test_the_impacted_services_follow_redundancy_and_the_gate(world, estate, work_order):
    supervisor = world.users["client_supervisor"]
    link = cmdb.work_order_ci_link(actor=supervisor, work_order=work_order, ci=estate["db1"])
    # One database of the pair: shielded, no service impacted.
    assert selectors.work_order_impact(user=supervisor, work_order=work_order) == []
    # The application itself: the outpatient registration it serves.
    cmdb.work_order_ci_link(actor=supervisor, work_order=work_order, ci=estate["app"])
    assert selectors.work_order_impact(user=supervisor, work_order=work_order) == [estate["service"].pk]
    # The vendor's agent sees the links of its CIs but not the client's business service.
    assert selectors.work_order_impact(user=world.users["vendor_agent"], work_order=work_order) == []
    assert [x.ci_id for x in selectors.work_order_cis(user=world.users["vendor_agent"], work_order=work_order)] == [
        estate["db1"].pk,
        estate["app"].pk,
    ]
    cmdb.work_order_ci_unlink(actor=supervisor, link=link)
    # With the other database down, the pair is broken when the app's work order says db2 is down.
    cmdb.ci_transition(actor=supervisor, ci=estate["db1"], action="fail")
    link2 = cmdb.work_order_ci_link(actor=supervisor, work_order=work_order, ci=estate["db2"])
    assert link2.ci_id == estate["db2"].pk
    assert selectors.work_order_impact(user=supervisor, work_order=work_order) == [estate["service"].pk]


def test_the_section_on_the_work_order_page(world, estate, work_order):
    supervisor = world.users["client_supervisor"]
    supervisor.language = "zh-hans"
    supervisor.save(update_fields=["language"])
    client = signed_in(supervisor)
    page = client.get(f"/wo/{work_order.number}/")
    assert page.status_code == 200, page.status_code
    text = page.content.decode()
    assert 'data-testid="work-order-cis"' in text and "关联配置项" in text
    linked = client.post(f"/configuration/work-orders/{work_order.pk}/cis/", {"ci": estate["app"].pk})
    assert linked.status_code == 302
    text = client.get(f"/wo/{work_order.number}/").content.decode()
    section = text.split('data-testid="work-order-cis"')[1].split("</section>")[0]
    assert "HIS" in section and "门诊挂号" in section
    # The requester sees the work order but no CI section.
    requester_page = signed_in(world.users["requester"]).get(f"/wo/{work_order.number}/").content.decode()
    assert 'data-testid="work-order-cis"' not in requester_page
    # The other vendor neither sees the work order nor may link to it.
    other = signed_in(world.users["other_vendor_agent"])
    assert (
        other.post(f"/configuration/work-orders/{work_order.pk}/cis/", {"ci": estate["server"].pk}).status_code == 404
    )
    # An auditor sees the section, may not link.
    assert (
        signed_in(world.users["auditor"])
        .post(f"/configuration/work-orders/{work_order.pk}/cis/", {"ci": estate["app"].pk})
        .status_code
        == 403
    )
    link = WorkOrderCI.objects.get()
    assert client.post(f"/configuration/work-order-links/{link.pk}/remove/").status_code == 302
    assert not WorkOrderCI.objects.exists()
