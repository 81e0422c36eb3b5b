"""The register's pages speak the reader's language: a Chinese reader sees no English word on the list, the
create and edit forms and an item's page with its measurement and timeline; an English reader sees no Chinese."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.core import clock
from oversight.improvement import services
from tests.i18n.test_i18n_pages import CJK_RE, english_left_over, visible_text
from tests.improvement.conftest import noon, raise_item, rate

DAY = dt.date


@pytest.fixture
def measured(world):
    for day, stars in ((7, 2), (9, 3), (11, 4), (13, 5), (15, 4)):
        rate(world, world.service, DAY(2026, 7, day), stars)
    supervisor, admin = world.users["client_supervisor"], world.users["client_admin"]
    with clock.frozen_at(noon(DAY(2026, 7, 1))):
        item = raise_item(
            world,
            title="回访低分用户",
            title_en="Call back low raters",
            description="服务台回访每位低分用户。",
            justification="满意度低于目标。",
            indicator="csat_mean",
            baseline="2.5",
            target="4",
            source_kind="survey",
            source_note="季度调查",
        )
        for action, actor in (
            ("accept", supervisor),
            ("assess", supervisor),
            ("approve", admin),
            ("start", supervisor),
        ):
            item = services.item_transition(actor=actor, item=item, action=action)
        item = services.item_transition(actor=supervisor, item=item, action="hold", note="等待备件")
        item = services.item_transition(actor=supervisor, item=item, action="resume")
    with clock.frozen_at(noon(DAY(2026, 7, 11))):
        item = services.item_transition(actor=supervisor, item=item, action="complete")
    with clock.frozen_at(noon(DAY(2026, 7, 20))):
        services.effect_measure(actor=supervisor, item=item, days=5)
        item = services.benefit_record(actor=supervisor, item=item, benefits="投诉减少。", benefit_amount="1200")
    return item


def _pages(item):
    return ["/improvement/", f"/improvement/{item.pk}/", "/improvement/new/", f"/improvement/{item.pk}/edit/"]


def test_a_chinese_reader_sees_no_english_words(client, world, measured):
    supervisor = world.users["client_supervisor"]
    supervisor.language = "zh-hans"
    supervisor.save(update_fields=["language"])
    client.force_login(supervisor)
    with clock.frozen_at(noon(DAY(2026, 7, 21))):
        for url in _pages(measured):
            page = client.get(url).content.decode()
            assert 'lang="zh-hans"' in page, url
            # Data stays as typed (the item's number, its English title in an input); "Excel" is a product name and
            # SPI / CPI the projects' indicator abbreviations in the indicator choices.
            allowed = {measured.number, "Call", "back", "low", "raters", "Excel", "SPI", "CPI"}
            assert english_left_over(page) - allowed == set(), url
        detail = client.get(f"/improvement/{measured.pk}/").content.decode()
    assert "回访低分用户" in detail and "已达成目标" in detail and "实施前" in detail


def test_an_english_reader_sees_no_chinese(client, world, measured):
    supervisor = world.users["client_supervisor"]
    supervisor.language = "en"
    supervisor.save(update_fields=["language"])
    client.force_login(supervisor)
    with clock.frozen_at(noon(DAY(2026, 7, 21))):
        page = client.get("/improvement/").content.decode()
    # The English title is shown to English readers; the language menu names Chinese in Chinese.
    assert "Call back low raters" in page
    assert CJK_RE.findall(visible_text(page).replace("简体中文", "")) == []
