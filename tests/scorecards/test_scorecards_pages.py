"""The evaluation pages: list, period page by role, drill-down, actions, scheme page and editor, trends with
server-side SVG charts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.core import clock
from oversight.scorecards import services
from oversight.scorecards.models import EvaluationPeriod, IndicatorScheme, ManualEntry
from tests.scorecards.conftest import EVAL_AT, open_period

D = Decimal
HOUR = dt.timedelta(hours=1)


def login(client, world, role):
    client.force_login(world.users[role])
    return client


def test_the_list_shows_the_period_with_its_score(client, world, q3):
    page = login(client, world, "executive").get(reverse("scorecards:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026-Q3" in html and "60.33" in html
    assert 'action="/scorecards/open/"' not in html  # executives do not open periods
    supervisor = login(client, world, "client_supervisor").get(reverse("scorecards:list") + "?kind=quarterly")
    assert 'action="/scorecards/open/"' in supervisor.content.decode()


def test_opening_a_period_from_the_page(client, world, contract, simple_scheme, fixture_data):
    login(client, world, "client_supervisor")
    with clock.frozen_at(EVAL_AT):
        response = client.post(
            reverse("scorecards:open"), {"contract": contract.pk, "kind": "quarterly", "day": "2026-08-01"}
        )
    period = EvaluationPeriod.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scorecards:period", args=[period.pk])
    bad = client.post(reverse("scorecards:open"), {"contract": contract.pk, "kind": "quarterly", "day": "2030-01-01"})
    assert bad.status_code == 400
    assert "not in force" in bad.content.decode()
    login(client, world, "vendor_manager")
    assert client.post(reverse("scorecards:open"), {"contract": contract.pk}).status_code == 403


def test_the_period_page_shows_results_by_dimension_with_drilldown_links(client, world, q3):
    html = login(client, world, "client_supervisor").get(reverse("scorecards:period", args=[q3.pk])).content.decode()
    result = q3.results.get(code="response")
    assert f'href="{reverse("scorecards:result", args=[result.pk])}?set=numerator"' in html
    assert "Processes" in html or "过程" in html
    assert "24.00" in html  # the response indicator's contribution
    assert reverse("scorecards:publish", args=[q3.pk]) in html
    assert reverse("scorecards:recompute", args=[q3.pk]) in html


def test_the_drilldown_page_lists_exactly_the_records_behind_the_figure(client, world, q3, fixture_data):
    result = q3.results.get(code="response")
    login(client, world, "client_supervisor")
    page = client.get(reverse("scorecards:result", args=[result.pk]) + "?set=denominator").content.decode()
    ids = [int(x) for x in re.findall(r'<tr data-id="(\d+)"', page)]
    assert ids == result.denominator_ids
    ratings = client.get(reverse("scorecards:result", args=[q3.results.get(code="csat").pk])).content.decode()
    assert fixture_data.wo["A"].number in ratings and fixture_data.wo["G"].number not in ratings
    commitment = q3.commitment_results.get(code="response")
    page = client.get(reverse("scorecards:commitment_result", args=[commitment.pk]) + "?set=numerator")
    assert [int(x) for x in re.findall(r'<tr data-id="(\d+)"', page.content.decode())] == commitment.numerator_ids
    assert client.get(reverse("scorecards:result", args=[result.pk]) + "?set=bogus").status_code == 404


def test_the_vendor_disputes_and_the_supervisor_decides_on_the_page(client, world, q3, fixture_data):
    with clock.frozen_at(EVAL_AT + HOUR):
        services.period_publish(period=q3, actor=world.users["client_supervisor"])
    login(client, world, "vendor_manager")
    page = client.get(reverse("scorecards:period", args=[q3.pk])).content.decode()
    assert reverse("scorecards:dispute", args=[q3.pk]) in page
    assert reverse("scorecards:publish", args=[q3.pk]) not in page
    with clock.frozen_at(EVAL_AT + 2 * HOUR):
        missing = client.post(reverse("scorecards:dispute", args=[q3.pk]), {"indicator": "response", "reason": ""})
        assert missing.status_code == 400
        unknown = client.post(
            reverse("scorecards:dispute", args=[q3.pk]),
            {"indicator": "response", "work_order": "NOPE-1", "reason": "x"},
        )
        assert unknown.status_code == 400
        assert "Unknown work order" in unknown.content.decode() or "未知" in unknown.content.decode()
        sent = client.post(
            reverse("scorecards:dispute", args=[q3.pk]),
            {
                "indicator": "response",
                "work_order": fixture_data.wo["B"].number,
                "reason": "Wrong number.",
                "files": [SimpleUploadedFile("log.txt", b"no answer\n", "text/plain")],
            },
        )
    assert sent.status_code == 302
    dispute = q3.disputes.get()
    login(client, world, "client_supervisor")
    page = client.get(reverse("scorecards:period", args=[q3.pk])).content.decode()
    assert reverse("scorecards:decide", args=[dispute.pk]) in page
    prefix = f"decide-{dispute.pk}"
    with clock.frozen_at(EVAL_AT + 3 * HOUR):
        decided = client.post(
            reverse("scorecards:decide", args=[dispute.pk]),
            {f"{prefix}-decision": "accept", f"{prefix}-reason": "Call log checked."},
        )
    assert decided.status_code == 302
    assert EvaluationPeriod.objects.get(pk=q3.pk).total_score == D("66.33")


def test_manual_values_and_the_sign_lock_buttons_on_the_page(client, world, contract, template_scheme, fixture_data):
    period = open_period(world, contract)
    login(client, world, "client_supervisor")
    page = client.get(reverse("scorecards:period", args=[period.pk])).content.decode()
    assert reverse("scorecards:publish", args=[period.pk]) not in page  # incomplete: manual values missing
    with clock.frozen_at(EVAL_AT + HOUR):
        for code, value in (
            ("dress_badge", "0"),
            ("spares_tools", "100"),
            ("documentation", "100"),
            ("missed_inspections", "0"),
        ):
            response = client.post(
                reverse("scorecards:manual", args=[period.pk]),
                {
                    "code": code,
                    f"manual-{code}-indicator": code,
                    f"manual-{code}-value": value,
                    f"manual-{code}-note": "checked",
                    f"manual-{code}-files": [SimpleUploadedFile(f"{code}.txt", b"ok\n", "text/plain")],
                },
            )
            assert response.status_code == 302, response.content.decode()[:500]
        bad = client.post(
            reverse("scorecards:manual", args=[period.pk]),
            {"code": "dress_badge", "manual-dress_badge-indicator": "dress_badge", "manual-dress_badge-value": "1.5"},
        )
    assert bad.status_code == 400
    assert ManualEntry.objects.filter(period=period).count() == 4
    with clock.frozen_at(EVAL_AT + 2 * HOUR):
        assert client.post(reverse("scorecards:publish", args=[period.pk])).status_code == 302
        assert client.post(reverse("scorecards:sign", args=[period.pk])).status_code == 302
        login(client, world, "vendor_manager")
        page = client.get(reverse("scorecards:period", args=[period.pk])).content.decode()
        assert "Countersign" in page or "乙方" in page or reverse("scorecards:sign", args=[period.pk]) in page
        assert client.post(reverse("scorecards:sign", args=[period.pk])).status_code == 302
        login(client, world, "client_admin")
        assert client.post(reverse("scorecards:lock", args=[period.pk])).status_code == 302
        revise = client.post(reverse("scorecards:revise", args=[period.pk]), {"reason": ""})
        assert revise.status_code == 400
        revise = client.post(reverse("scorecards:revise", args=[period.pk]), {"reason": "Correction."})
    revision = EvaluationPeriod.objects.get(revision_of=period)
    assert revise["Location"] == reverse("scorecards:period", args=[revision.pk])
    assert EvaluationPeriod.objects.get(pk=period.pk).status == "locked"


def test_the_scheme_page_and_the_template_button(client, world, contract):
    login(client, world, "client_admin")
    page = client.get(reverse("scorecards:scheme", args=[contract.pk]))
    assert page.status_code == 200
    response = client.post(reverse("scorecards:scheme_template", args=[contract.pk]))
    assert response.status_code == 302
    scheme = IndicatorScheme.objects.get(contract=contract)
    html = client.get(reverse("scorecards:scheme", args=[contract.pk])).content.decode()
    # Each indicator once, in the reader's language (this administrator reads English): no second name under it.
    assert "Dress code and badge" in html and "着装与工牌规范" not in html and "100" in html
    world.users["client_admin"].language = "zh-hans"
    world.users["client_admin"].save(update_fields=["language"])
    html = client.get(reverse("scorecards:scheme", args=[contract.pk])).content.decode()
    assert "着装与工牌规范" in html and "Dress code and badge" not in html
    login(client, world, "vendor_manager")
    assert client.get(reverse("scorecards:scheme", args=[contract.pk])).status_code == 200
    assert client.get(reverse("scorecards:scheme_edit", args=[contract.pk])).status_code == 403
    login(client, world, "other_vendor_manager")
    assert client.get(reverse("scorecards:scheme", args=[contract.pk])).status_code == 404
    assert scheme.indicators.count() == 17


def _editor_data(rows, **header):
    data = {
        "name": "Edited",
        "period_kind": "quarterly",
        "reopen_window_days": "7",
        "dispute_window_days": "5",
        "dispute_calendar": "",
        "note": "weights changed",
        "ind-TOTAL_FORMS": str(len(rows)),
        "ind-INITIAL_FORMS": "0",
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "1000",
        **header,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"ind-{i}-{key}"] = value
    return data


ROWS = [
    {
        "code": "response",
        "name": "Response",
        "dimension": "processes",
        "weight": "60",
        "source": "response_timeliness",
        "rule_kind": "linear",
        "full_at": "98",
        "zero_at": "90",
        "missing_policy": "full",
    },
    {
        "code": "badge",
        "name": "Badge",
        "dimension": "people",
        "weight": "39",
        "source": "manual",
        "unit": "count",
        "rule_kind": "deduction",
        "per_event": "1",
        "max_points": "39",
        "missing_policy": "raise",
    },
]


def test_the_scheme_editor_refuses_weights_that_do_not_add_up_to_100(client, world, contract, simple_scheme):
    login(client, world, "client_admin")
    form = client.get(reverse("scorecards:scheme_edit", args=[contract.pk]))
    assert form.status_code == 200
    assert 'value="response_timeliness"' in form.content.decode() or "response_timeliness" in form.content.decode()
    refused = client.post(reverse("scorecards:scheme_edit", args=[contract.pk]), _editor_data(ROWS))
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "99.00" in text  # the sum is shown
    assert IndicatorScheme.objects.filter(contract=contract).count() == 1
    rows = [dict(ROWS[0]), {**ROWS[1], "weight": "40", "max_points": "40"}]
    saved = client.post(reverse("scorecards:scheme_edit", args=[contract.pk]), _editor_data(rows))
    assert saved.status_code == 302
    latest = IndicatorScheme.objects.filter(contract=contract).order_by("-number").first()
    assert (latest.number, latest.name) == (2, "Edited")
    assert [(i.code, i.weight, i.rule["kind"]) for i in latest.indicators.all()] == [
        ("response", D("60"), "linear"),
        ("badge", D("40"), "deduction"),
    ]


def test_trend_charts_are_inline_svg(client, world, q3):
    with clock.frozen_at(EVAL_AT + HOUR):
        services.period_publish(period=q3, actor=world.users["client_supervisor"])
    login(client, world, "client_supervisor")
    page = client.get(reverse("scorecards:trends") + "?indicator=response")
    html = page.content.decode()
    assert page.status_code == 200
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert main.count("<svg") == 3
    assert "<script" not in main
    assert "2026-Q3" in html and "Desk Co" in html
    login(client, world, "other_vendor_manager")
    other = client.get(reverse("scorecards:trends")).content.decode()
    assert "Desk Co" not in other


@pytest.mark.parametrize("role", ["client_admin", "vendor_manager"])
def test_the_navigation_has_an_evaluations_entry(client, world, role):
    html = login(client, world, role).get(reverse("scorecards:list")).content.decode()
    assert f'href="{reverse("scorecards:list")}"' in html


def _name_indicators(period):
    """Give the period's indicators a Chinese primary name and an English one."""
    for result in period.results.select_related("indicator"):
        indicator = result.indicator
        indicator.name, indicator.name_en = f"指标{indicator.code}", f"Indicator {indicator.code}"
        indicator.save(update_fields=["name", "name_en"])


def test_the_trends_page_names_indicators_in_the_readers_language(client, world, q3):
    from django.utils import translation

    _name_indicators(q3)
    user = world.users["client_supervisor"]
    for language, expected, other in (("en", "Indicator response", "指标response"), ("zh-hans", "指标response", None)):
        user.language = language
        user.save(update_fields=["language"])
        with translation.override("en"):
            html = login(client, world, "client_supervisor").get(reverse("scorecards:trends")).content.decode()
        assert expected in html, language
        if other:
            assert other not in html


def test_a_missing_value_is_named_in_the_readers_language_on_the_period_page(client, world, q3):
    from django.utils import translation

    _name_indicators(q3)
    # As a period computed before the English names were stored: the problem carries the primary name only.
    EvaluationPeriod.objects.filter(pk=q3.pk).update(
        problems=[{"code": "missing_value", "indicator": "csat", "name": "指标csat"}]
    )
    user = world.users["client_supervisor"]
    user.language = "en"
    user.save(update_fields=["language"])
    with translation.override("en"):
        html = (
            login(client, world, "client_supervisor").get(reverse("scorecards:period", args=[q3.pk])).content.decode()
        )
        problems = html[html.index('data-testid="problems"') :]
        problems = problems[: problems.index("</div>")]
        assert "“Indicator csat” has no value yet." in problems and "指标csat" not in problems
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    with translation.override("en"):
        chinese = login(client, world, "client_supervisor").get(reverse("scorecards:period", args=[q3.pk]))
    assert "“指标csat”" in chinese.content.decode()
