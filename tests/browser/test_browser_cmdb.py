"""A client supervisor on a phone walks the CMDB: the CI list, a CI's page with its graph drawn from the
relations, an import (upload → dry run → apply) that updates one CI and adds another, and a spot check of the
vendor's CIs whose accuracy is shown; no page scrolls sideways at 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oversight.configuration.models import ConfigurationItem, SpotCheck
from tests.browser.browser_support import PHONE, en, fits_the_phone, login
from tests.configuration.conftest import ci, classes, estate, relation  # noqa: F401

pytestmark = pytest.mark.browser


def test_browser_cmdb_list_graph_import_and_spot_check_on_a_phone(world, estate, new_context):  # noqa: F811
    supervisor = world.users["client_supervisor"]
    page = new_context(**PHONE).new_page()
    login(page, supervisor)

    def phone_ok():
        assert fits_the_phone(page), page.evaluate("document.scrollingElement.scrollWidth")

    # 1. The CI list, then the application's page with its neighbourhood drawn as SVG.
    page.goto("/configuration/")
    expect(page.get_by_test_id("ci-table")).to_contain_text("HIS-APP-01")
    phone_ok()
    page.goto(f"/configuration/{estate['app'].pk}/")
    expect(page.get_by_test_id("ci-graph")).to_contain_text("DB-01")
    phone_ok()

    # 2. Import: the server gets a serial and a site; a new printer is added. The dry run shows both.
    csv = "class,name,host name,serial,site,owner vendor\n"
    csv += f"server,HIS-APP-01,{estate['server'].host_name or 'his-app-01'},SRV-0001,Cardiology,Net Co\n"
    csv += "printer,Ward 3 printer,pr-ward-3,PR-0003,Cardiology,Desk Co\n"
    ConfigurationItem.objects.filter(pk=estate["server"].pk).update(host_name="his-app-01")
    page.goto("/configuration/imports/")
    page.locator("input[name=file]").set_input_files(
        {"name": "estate.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    )
    page.get_by_role("button", name=en("Check the file (dry run)")).click()
    rows = page.get_by_test_id("import-rows")
    expect(rows.locator("tr.import-create")).to_contain_text("Ward 3 printer")
    expect(rows.locator("tr.import-update")).to_contain_text("SRV-0001")
    phone_ok()
    page.get_by_test_id("import-apply").click()
    expect(page.locator(".messages")).to_contain_text(en("The configuration items were imported."))
    expect(page.get_by_test_id("import-progress").locator("progress")).to_have_attribute("value", "2")
    phone_ok()
    assert ConfigurationItem.objects.get(pk=estate["server"].pk).serial == "SRV-0001"
    assert ConfigurationItem.objects.filter(serial="PR-0003", vendor=world.vendor).exists()

    # 3. A spot check of the desk vendor's CIs: two fields checked, one wrong → 50.0 %.
    page.goto(f"/configuration/spot-checks/new/?vendor={world.vendor.pk}")
    first = page.get_by_test_id("spot-check-ci").first
    selects = first.locator("select")
    selects.nth(0).select_option("ok")
    selects.nth(1).select_option("wrong")
    phone_ok()
    page.get_by_role("button", name=en("Record the spot check")).click()
    expect(page.get_by_test_id("spot-check-accuracy")).to_contain_text("(50.0%)")
    phone_ok()
    check = SpotCheck.objects.get()
    assert sorted(item.correct for item in check.items.all()) == [False, True]
