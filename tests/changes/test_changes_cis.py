"""Changes that affect configuration items: the items count in the rule-based risk, and the calendar finds a
change on the same item and one on a parent or child item (from the CI relations) at the same time."""

from __future__ import annotations

import pytest

from oversight.changes import services
from oversight.changes.choices import ChangeType
from oversight.configuration import services as cmdb
from oversight.core.errors import ApplicationError


def test_items_count_in_the_risk_and_must_be_the_organisations(world, change, ci):
    items = [ci(f"Ward PC {n}", kind="workstation") for n in range(5)]
    c = change(cis=items, test_plan="Log in on each PC")
    # normal 1 + one service 0 + five items 1 = 2: low (four items would give 1).
    assert {f["code"]: f["points"] for f in c.risk_rule_factors}["cis"] == 1 and c.risk_rule_score == 2
    c = services.change_update(actor=world.users["client_supervisor"], change=c, cis=items[:4])
    assert c.risk_rule_score == 1 and c.cis.count() == 4


def test_an_editor_keeps_the_items_hidden_from_them(world, change, ci):
    # The vendor's form lists only the items the vendor may see: the other vendor's server is not in it, so the
    # vendor's edit (removing one of its own items) must not drop the server.
    own = [ci("Ward PC 1", kind="workstation"), ci("Ward PC 2", kind="workstation")]
    hidden = ci("Core switch", kind="network_device", vendor=world.other_vendor)
    c = change(actor=world.users["client_supervisor"], cis=[*own, hidden], test_plan="Ping the wards")
    c = services.change_update(actor=world.users["vendor_agent"], change=c, cis=own[:1])
    assert set(c.cis.all()) == {own[0], hidden}
    # The client's supervisor sees every item, so their edit removes the hidden one.
    c = services.change_update(actor=world.users["client_supervisor"], change=c, cis=own[:1])
    assert set(c.cis.all()) == {own[0]}


def test_foreign_items_are_refused(world, change, ci):
    item = ci("HIS app", kind="application")
    item.organisation_id = world.other_org.pk  # as if it were the other organisation's item
    with pytest.raises(ApplicationError):
        change(cis=[item])


def test_same_and_related_items_on_the_calendar(world, change, template, window, ci, relation):
    server = ci("HIS server 1")
    app = ci("HIS application", kind="application")
    cmdb.ci_relation_create(
        actor=world.users["client_supervisor"], source=app, relation_type=relation["runs_on"], target=server
    )
    start, end = window(24, 2)
    manager = world.users["vendor_manager"]

    def scheduled(items, implementer=None, actor=None):
        c = change(
            type=ChangeType.STANDARD,
            template=template,
            planned_start=start,
            planned_end=end,
            cis=items,
            implementer=implementer or world.vendor,
            actor=actor or world.users["vendor_agent"],
        )
        return services.change_transition(actor=actor or manager, change=c, action="schedule")

    first = scheduled([server])
    second = scheduled([server], implementer=world.other_vendor, actor=world.users["other_vendor_manager"])
    third = scheduled([app], implementer=world.other_vendor, actor=world.users["other_vendor_manager"])
    assert second.conflict_codes == [
        {"code": "same_ci", "window": None, "change": first.pk, "cis": [server.pk], "hard": False}
    ]
    codes = {(c["code"], c["change"]) for c in third.conflict_codes}
    assert codes == {("related_ci", first.pk), ("related_ci", second.pk), ("double_booked", second.pk)}
