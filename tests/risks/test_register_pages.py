"""The register's pages: list with filters and groups, export, a risk's page, the forms (record, rate, review,
transition), mitigations, the overdue page, the heat map (its counts against an independent count of the
ratings) and the matrix page, for the roles that use them, in Chinese and English."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oversight.risks import services
from oversight.risks.models import Risk, RiskMatrixVersion, RiskRating
from tests.query_counts import assert_flat, count_queries


def _client(user):
    own = Client()
    own.force_login(user)
    return own


def _rate(risk, actor, kind, p, i):
    return services.risk_rating_record(
        risk=risk, kind=kind, probability_level=p, impact_level=i, reason="", actor=actor
    )


def test_list_filters_groups_and_pins_its_queries(world, make_risk):
    admin = world.users["client_admin"]
    a = make_risk(title="Vendor night staffing", vendor=world.vendor, category="vendor")
    b = make_risk(title="Data leak by a vendor laptop", category="data_security", owner=admin)
    _rate(a, admin, "current", 5, 5)
    executive = world.users["executive"]
    executive.language = "zh-hans"
    executive.save(update_fields=["language"])
    c = _client(executive)
    page = c.get(reverse("risks:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert a.number in html and b.number in html
    assert "风险登记册" in html and "极高" in html  # the reader's language: the level's label, never its code
    assert "very_high</" not in html
    filtered = c.get(reverse("risks:list"), {"category": "data_security"}).content.decode()
    assert b.number in filtered and a.number not in filtered
    by_level = c.get(reverse("risks:list"), {"level": "very_high"}).content.decode()
    assert a.number in by_level and b.number not in by_level
    grouped = c.get(reverse("risks:list"), {"group": "owner"}).content.decode()
    assert grouped.count('data-testid="risk-group"') == 2
    assert c.get(reverse("risks:list"), {"owner": "not-a-number"}).status_code == 200

    def measure():
        with count_queries() as captured:
            assert c.get(reverse("risks:list")).status_code == 200
        return len(captured)

    few = measure()
    for n in range(5):
        _rate(make_risk(title=f"R{n}", vendor=world.other_vendor), admin, "current", 2, 3)
    assert_flat("risks.list", few, measure())


def test_export_lists_the_filtered_register(world, make_risk):
    make_risk(title="=HYPERLINK(1)", category="market")
    make_risk(title="Other", category="financial")
    c = _client(world.users["auditor"])
    with translation.override("en"):
        response = c.get(reverse("risks:export"), {"category": "market", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Number", "Title"]
    assert len(rows) == 2 and rows[1][1] == "'=HYPERLINK(1)"  # a formula is neutralised
    xlsx = c.get(reverse("risks:export"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_record_rate_review_and_close_through_the_pages(world, make_risk):
    supervisor = world.users["client_supervisor"]
    c = _client(supervisor)
    assert c.get(reverse("risks:create")).status_code == 200
    response = c.post(
        reverse("risks:create"),
        {
            "title": "机房空调故障",
            "category": "operational",
            "owner": supervisor.pk,
            "cause": "空调老化",
            "event": "机房温度过高",
            "consequence": "服务器宕机",
            "contingency_plan": "启用备用空调\n通知信息科",
        },
    )
    risk = Risk.objects.get(title="机房空调故障")
    assert response.status_code == 302 and response["Location"] == reverse("risks:detail", args=[risk.pk])
    assert c.get(reverse("risks:rate", args=[risk.pk])).status_code == 200
    bad = c.post(reverse("risks:rate", args=[risk.pk]), {"kind": "current", "probability_level": 9, "impact_level": 1})
    assert bad.status_code == 400
    rated = c.post(
        reverse("risks:rate", args=[risk.pk]),
        {"kind": "inherent", "probability_level": 4, "impact_level": 4, "probability": "0.35", "impact": "3"},
    )
    assert rated.status_code == 302
    assert RiskRating.objects.get(risk=risk).exposure == Decimal("1.05")
    c.post(
        reverse("risks:transition", args=[risk.pk]),
        {"action": "assess", "version": Risk.objects.get(pk=risk.pk).version},
    )
    assert Risk.objects.get(pk=risk.pk).status == "assessed"
    assert c.post(reverse("risks:review", args=[risk.pk]), {"still_valid": "yes"}).status_code == 302
    page = c.get(reverse("risks:detail", args=[risk.pk])).content.decode()
    assert "空调老化" in page and "机房温度过高" in page and "服务器宕机" in page
    refused = c.post(reverse("risks:transition", args=[risk.pk]), {"action": "close"})
    assert refused.status_code == 302 and Risk.objects.get(pk=risk.pk).status == "assessed"
    c.post(reverse("risks:transition", args=[risk.pk]), {"action": "close", "note": "搬迁"})
    assert Risk.objects.get(pk=risk.pk).status == "closed"


def test_read_only_and_outside_roles(world, make_risk):
    risk = make_risk()
    executive = _client(world.users["executive"])
    assert executive.get(reverse("risks:detail", args=[risk.pk])).status_code == 200
    assert executive.get(reverse("risks:create")).status_code == 403
    assert _client(world.users["vendor_manager"]).get(reverse("risks:list")).status_code == 403
    assert _client(world.users["foreign_admin"]).get(reverse("risks:detail", args=[risk.pk])).status_code == 404


def test_mitigations_pages(world, make_risk):
    supervisor = world.users["client_supervisor"]
    a, b = make_risk(title="A"), make_risk(title="B")
    c = _client(supervisor)
    assert c.get(reverse("risks:mitigation_create"), {"risk": a.pk}).status_code == 200
    response = c.post(
        reverse("risks:mitigation_create"),
        {"title": "双人值守", "owner": supervisor.pk, "due_date": "2026-01-10", "risks": [a.pk, b.pk]},
    )
    assert response.status_code == 302
    mitigation = a.mitigations.get()
    page = c.get(reverse("risks:mitigation_detail", args=[mitigation.pk])).content.decode()
    assert a.number in page and b.number in page
    overdue = c.get(reverse("risks:overdue")).content.decode()
    assert "双人值守" in overdue
    c.post(reverse("risks:mitigation_transition", args=[mitigation.pk]), {"action": "complete"})
    assert "双人值守" not in c.get(reverse("risks:overdue")).content.decode()

    def measure():
        with count_queries() as captured:
            assert c.get(reverse("risks:mitigations")).status_code == 200
        return len(captured)

    few = measure()
    for n in range(4):
        services.mitigation_create(
            actor=supervisor, title=f"M{n}", owner=supervisor, due_date=dt.date(2027, 1, 1), risks=[a, b]
        )
    assert_flat("risks.mitigations", few, measure())


def test_heat_map_counts_match_an_independent_count_of_the_latest_ratings(world, make_risk):
    admin = world.users["client_admin"]
    cells = [(5, 5), (5, 5), (3, 2), (1, 4), (3, 2), (2, 2)]
    for n, (p, i) in enumerate(cells):
        risk = make_risk(title=f"R{n}")
        _rate(risk, admin, "current", 1, 1)  # superseded by the next current rating
        _rate(risk, admin, "current", p, i)
        _rate(risk, admin, "inherent", 5, 5)
        _rate(risk, admin, "residual", 1, 1)
    closed = make_risk(title="Closed")
    _rate(closed, admin, "current", 4, 4)
    services.risk_transition(actor=admin, risk=closed, action="close", note="gone")
    c = _client(world.users["auditor"])

    def measure():
        with count_queries() as captured:
            response = c.get(reverse("risks:heatmap"), {"kind": "current"})
        assert response.status_code == 200
        return len(captured), response.content.decode()

    queries, html = measure()
    shown = {
        (int(p), int(i)): int(n)
        for p, i, n in re.findall(r'data-probability="(\d)" data-impact="(\d)" data-count="(\d+)"', html)
    }
    expected = Counter(cells)
    assert {k: v for k, v in shown.items() if v} == dict(expected)
    assert len(shown) == 25
    assert html.count('data-testid="heatmap-arrow"') == len(cells)  # each risk: inherent 5×5 → residual 1×1
    # A new matrix version: the old ratings stay on version 1's map, version 2's map starts empty.
    services.risk_matrix_version_save(actor=admin, organisation=world.org, content=services.default_content())
    assert RiskMatrixVersion.objects.count() == 2
    v1 = c.get(reverse("risks:heatmap"), {"kind": "current", "version": 1}).content.decode()
    assert v1.count('data-count="2"') == 2
    v2 = c.get(reverse("risks:heatmap"), {"kind": "current"}).content.decode()
    assert 'data-count="0"' in v2 and 'data-count="2"' not in v2
    assert c.get(reverse("risks:heatmap"), {"version": 99}).status_code == 404
    for n in range(4):
        _rate(make_risk(title=f"More{n}"), admin, "current", 2, 3)
    again, _html = measure()
    assert_flat("risks.heatmap", queries, again)


def test_matrix_page_and_a_new_version_by_the_administrator(world, make_risk):
    admin = world.users["client_admin"]
    _rate(make_risk(), admin, "current", 2, 2)
    c = _client(admin)
    page = c.get(reverse("risks:matrix"))
    assert page.status_code == 200 and 'data-testid="matrix-form"' in page.content.decode()
    form = {
        "formula": "sum",
        "probability_labels": "低 | Low\n中 | Medium\n高 | High",
        "impact_labels": "小 | Small\n中 | Medium\n大 | Large",
        "bands": "2 | low | #00aa00 | 365\n4 | high | #dd0000 | 30",
        "note": "3×3",
    }
    assert c.post(reverse("risks:matrix"), form).status_code == 302
    assert RiskMatrixVersion.objects.filter(number=2, formula="sum").exists()
    bad = c.post(reverse("risks:matrix"), form | {"bands": "9 | low | #00aa00 | 365"})
    assert bad.status_code == 400
    supervisor = _client(world.users["client_supervisor"])
    assert 'data-testid="matrix-form"' not in supervisor.get(reverse("risks:matrix")).content.decode()
    assert supervisor.post(reverse("risks:matrix"), form).status_code == 403


@pytest.mark.parametrize("name", ["risks:list", "risks:overdue", "risks:heatmap", "risks:matrix", "risks:mitigations"])
def test_pages_render_in_english_without_chinese_level_labels(world, make_risk, name):
    _rate(make_risk(), world.users["client_admin"], "current", 3, 3)
    c = _client(world.users["client_admin"])  # the factory's users read English
    response = c.get(reverse(name))
    assert response.status_code == 200
    if name in ("risks:heatmap", "risks:matrix"):
        assert "Almost certain" in response.content.decode()  # the matrix's English labels


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("zh-hans", "夜间人手不足", "Night under-staffing"), ("en", "Night under-staffing", "夜间人手不足")],
)
def test_a_risk_is_named_in_the_readers_language_never_in_both(world, make_risk, language, shown, hidden):
    """A risk typed in both languages reads in the reader's one on the list, its page and its quantification
    (its edit form holds both, one field each)."""
    supervisor = world.users["client_supervisor"]
    supervisor.language = language
    supervisor.save(update_fields=["language"])
    risk = make_risk(title="夜间人手不足", title_en="Night under-staffing")
    client = _client(supervisor)
    for url in ("/risks/", f"/risks/{risk.pk}/", f"/risks/{risk.pk}/quantification/"):
        text = client.get(url).content.decode()
        assert shown in text and hidden not in text, url
