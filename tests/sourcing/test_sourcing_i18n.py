"""Sourcing pages speak the reader's language: a Chinese reader sees no English word on the scenario list, a
scenario's page (figures, tables, tornado), the comparison, the forms and the commercial model's page."""

from __future__ import annotations

from decimal import Decimal

from oversight.sourcing import services
from tests.i18n.test_i18n_pages import english_left_over
from tests.sourcing.conftest import scenario_fields

D = Decimal


def test_a_chinese_reader_sees_no_english_words(client, world, cc, scenario):
    mixed = services.scenario_create(
        actor=world.users["client_admin"],
        organisation=world.org,
        **scenario_fields(name="一半自营", kind="mixed", in_house_share=D(50), required_fte=None),
    )
    model = services.commercial_model_create(
        actor=world.users["client_admin"],
        contract_version=cc["version"],
        basis="handled_contact",
        rate="3.5",
        outcome_kpi="abandonment_rate",
        outcome_target="12",
        bonus_percent="5",
    )
    supervisor = world.users["client_supervisor"]
    supervisor.language = "zh-hans"
    supervisor.save(update_fields=["language"])
    client.force_login(supervisor)
    pages = [
        "/sourcing/",
        f"/sourcing/scenarios/{scenario.pk}/",
        f"/sourcing/scenarios/{mixed.pk}/",
        f"/sourcing/compare/?ids={scenario.pk}&ids={mixed.pk}",
        "/sourcing/scenarios/new/",
        f"/sourcing/scenarios/{scenario.pk}/edit/",
        "/sourcing/commercial/",
        f"/sourcing/commercial/{model.pk}/",
        f"/sourcing/commercial/{model.pk}/edit/",
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert 'lang="zh-hans"' in page, url
        # the contract number is data; "Excel" a product name; "Q3" the evaluation period's label (scorecards')
        assert english_left_over(page) - {"HT-9", "Excel", "Q3"} == set(), url
    detail = client.get(f"/sourcing/scenarios/{mixed.pk}/").content.decode()
    assert "净现值" in detail and "按爱尔朗排队模型（不含放弃）计算" in detail
