"""The pages of the CI classes and their typed attributes: list, detail, new, edit and defining an attribute."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry
from oversight.configuration import services as cmdb
from oversight.configuration.models import CIAttributeDefinition, CIClass
from tests.factories import signed_in
from tests.query_counts import assert_flat, count_queries


def speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return signed_in(user)


def test_the_list_counts_each_class_attributes_and_the_cis_the_reader_sees(world, classes, ci):
    admin = world.users["client_admin"]
    cmdb.ci_attribute_define(actor=admin, ci_class=classes["server"], code="cpus", name="CPUs", type="integer")
    cmdb.ci_attribute_define(actor=admin, ci_class=classes["server"], code="ram", name="RAM", type="decimal")
    ci("HIS-APP-01")
    ci("HIS-APP-02")
    ci("NET-01", vendor=world.other_vendor)
    page = signed_in(world.users["client_supervisor"]).get("/configuration/classes/")
    assert page.status_code == 200
    rows = {c.code: c for c in page.context["page"].items}
    assert len(rows) == 8
    assert (rows["server"].attribute_count, rows["server"].ci_count) == (2, 3)
    assert (rows["printer"].attribute_count, rows["printer"].ci_count) == (0, 0)
    text = page.content.decode()
    assert f'data-attributes="{classes["server"].pk}">2<' in text and f'data-cis="{classes["server"].pk}">3<' in text
    assert "New class" not in text  # only an administrator adds classes
    # The desk vendor's agent reads the classes, counting only the servers of their vendor.
    agent_rows = {
        c.code: c for c in signed_in(world.users["vendor_agent"]).get("/configuration/classes/").context["page"].items
    }
    assert agent_rows["server"].ci_count == 2
    assert "New class" in signed_in(admin).get("/configuration/classes/").content.decode()
    assert signed_in(world.users["requester"]).get("/configuration/classes/").status_code == 403


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Configuration item classes", "Business service", "Define an attribute", "Whole number")),
        ("zh-hans", ("配置项类别", "业务服务", "定义属性", "整数")),
    ],
)
def test_the_class_page_lists_its_attributes_in_both_languages(world, classes, language, words):
    admin = world.users["client_admin"]
    cmdb.ci_attribute_define(actor=admin, ci_class=classes["server"], code="cpus", name="CPU 数", type="integer")
    page = speaking(admin, language).get(f"/configuration/classes/{classes['server'].pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    for word in words:
        assert word in text
    assert [d.code for d in page.context["definitions"]] == ["cpus"]


def test_an_administrator_adds_and_edits_a_class_others_may_not(world, classes):
    admin = signed_in(world.users["client_admin"])
    assert admin.get("/configuration/classes/new/").status_code == 200
    done = admin.post("/configuration/classes/new/", {"code": "ct", "name": "CT 机", "name_en": "CT scanner"})
    scanner = CIClass.objects.get(organisation=world.org, code="ct")
    assert done.status_code == 302 and done["Location"] == f"/configuration/classes/{scanner.pk}/"
    assert (scanner.name_en, scanner.kind, scanner.is_business_service) == ("CT scanner", "", False)
    again = admin.post("/configuration/classes/new/", {"code": "ct", "name": "Another"})
    assert again.status_code == 400 and "A class with this code already exists." in again.content.decode()
    assert admin.post("/configuration/classes/new/", {"code": "bad code!", "name": "x"}).status_code == 400
    edited = admin.post(
        f"/configuration/classes/{scanner.pk}/edit/",
        {"name": "CT 扫描仪", "name_en": "CT scanner", "is_business_service": "", "description": "Radiology"},
    )
    assert edited.status_code == 302
    scanner.refresh_from_db()
    assert (scanner.code, scanner.name, scanner.description) == ("ct", "CT 扫描仪", "Radiology")
    entry = AuditEntry.objects.get(action="configuration.ciclass.changed", object_id=str(scanner.pk))
    assert entry.before == {"name": "CT 机", "description": ""} and entry.after["name"] == "CT 扫描仪"
    assert admin.post(f"/configuration/classes/{scanner.pk}/edit/", {"name": ""}).status_code == 400
    supervisor = signed_in(world.users["client_supervisor"])
    assert supervisor.get("/configuration/classes/new/").status_code == 403
    assert supervisor.post("/configuration/classes/new/", {"code": "mri", "name": "MRI"}).status_code == 403
    assert supervisor.post(f"/configuration/classes/{scanner.pk}/edit/", {"name": "x"}).status_code == 403
    assert not CIClass.objects.filter(code="mri").exists()
    foreign = signed_in(world.users["foreign_admin"])
    assert foreign.get(f"/configuration/classes/{scanner.pk}/").status_code == 404
    assert foreign.post(f"/configuration/classes/{scanner.pk}/edit/", {"name": "x"}).status_code == 404


def test_an_administrator_defines_typed_attributes_that_the_ci_form_then_asks_for(world, classes):
    admin = signed_in(world.users["client_admin"])
    url = f"/configuration/classes/{classes['printer'].pk}/attributes/"
    missing = admin.post(url, {"code": "colour", "name": "Colour", "type": "choice", "position": 0})
    assert missing.status_code == 400 and "A choice attribute needs its list of choices." in missing.content.decode()
    assert not CIAttributeDefinition.objects.exists()
    done = admin.post(
        url,
        {"code": "colour", "name": "Colour", "type": "choice", "choices": "mono\n colour \n\n", "position": 1},
    )
    assert done.status_code == 302
    definition = CIAttributeDefinition.objects.get(ci_class=classes["printer"], code="colour")
    assert (definition.type, definition.choices, definition.position) == ("choice", ["mono", "colour"], 1)
    assert admin.post(url, {"code": "colour", "name": "Again", "type": "text", "position": 0}).status_code == 400
    assert admin.post(url, {"code": "x", "name": "X", "type": "nonsense", "position": 0}).status_code == 400
    form = signed_in(world.users["client_supervisor"]).get("/configuration/new/", {"ci_class": classes["printer"].pk})
    assert 'name="attr_colour"' in form.content.decode() and '<option value="mono">' in form.content.decode()
    refused = signed_in(world.users["client_supervisor"]).post(url, {"code": "dpi", "name": "DPI", "type": "integer"})
    assert refused.status_code == 403 and not CIAttributeDefinition.objects.filter(code="dpi").exists()


def test_the_class_list_query_count_does_not_grow(world, classes, ci):
    client = signed_in(world.users["client_supervisor"])

    def measure():
        with count_queries() as queries:
            assert client.get("/configuration/classes/").status_code == 200
        return len(queries)

    few = measure()
    admin = world.users["client_admin"]
    for i in range(3):
        extra = cmdb.ci_class_create(actor=admin, code=f"extra-{i}", name=f"Extra {i}")
        cmdb.ci_attribute_define(actor=admin, ci_class=extra, code="a", name="A", type="text")
        ci(f"CI-{i}", kind="printer")
    assert_flat("configuration.classes", few, measure())
