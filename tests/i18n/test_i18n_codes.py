"""A Chinese page never shows a code: the main pages of every demo role, rendered in Chinese, are searched for the
values of every TextChoices in the project, the SLA commitment and indicator codes, the registered indicator
sources and the statement line codes, as whole words in the visible text (not in attributes, URLs or scripts).

The data is the demo's (`demo_load` with fewer work orders), so the pages show what a new user sees.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oversight.contracts.demo import load_demo_contracts
from oversight.contracts.models import Contract, ContractCommitment
from oversight.core import kpis
from oversight.demo.generator import generate_work_orders
from oversight.demo.scenario import build_scenario
from oversight.feedback.demo import load_demo_draw, load_demo_ratings
from oversight.feedback.models import Complaint
from oversight.reports.demo import load_demo_schedules
from oversight.scorecards.demo import load_demo_evaluations
from oversight.scorecards.models import EvaluationPeriod, SchemeIndicator
from oversight.settlement.demo import load_demo_settlements
from oversight.settlement.models import SettlementStatement, StatementLine
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from oversight.tickets.models import WorkOrder
from tests.i18n.test_i18n_pages import KEPT_WORDS


def _all_subclasses(cls) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def known_codes() -> set[str]:
    """Every code a person should never read on a Chinese page (values of choices, commitments, indicators...)."""
    codes: set[str] = set()
    for choices in _all_subclasses(models.TextChoices):
        if choices.__module__.startswith("oversight."):
            codes.update(str(value) for value in choices.values)
    codes.update(ContractCommitment.objects.values_list("code", flat=True))
    codes.update(SchemeIndicator.objects.values_list("code", flat=True))
    codes.update(StatementLine.objects.values_list("code", flat=True))
    codes.update(kpis.registry.codes())
    # Short or upper-case values (P1, CNY) are kept abbreviations, not codes.
    return {c for c in codes if len(c) >= 3 and c not in KEPT_WORDS and not c.isupper() and re.search("[a-z]", c)}


def visible_text(page: str) -> str:
    """Text a reader sees: outside tags, scripts and styles (attributes, URLs and JSON data blocks are not text)."""
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    page = re.sub(r"(?is)<option\b[^>]*>", " ", page)  # options are text, their values are attributes
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", page))


def codes_shown(page: str, codes: set[str], data: tuple[str, ...] = ()) -> set[str]:
    """The codes written in the page's visible text as whole words (``data``, e.g. the reader's login, removed)."""
    text = visible_text(page)
    for value in data:
        text = text.replace(value, " ")
    return {code for code in codes if re.search(rf"(?<![\w:./-]){re.escape(code)}(?![\w:/-])", text)}


def test_the_finder_sees_text_and_ignores_attributes_and_scripts():
    codes = {"response", "client_supervisor", "credit:response"}
    page = '<p data-code="response"><a href="/x/response/">响应</a></p><script>var a="response";</script>'
    assert codes_shown(page, codes) == set()
    assert codes_shown("<td>响应及时率<br><small>response</small></td>", codes) == {"response"}
    assert codes_shown("<td>credit:response</td>", codes) == {"credit:response"}
    assert codes_shown("<td>responses</td>", codes) == set()


@pytest.fixture
def demo(db):
    scenario = build_scenario()
    generate_work_orders(organisation=scenario.organisation, count=120, seed=2026, days=183)
    organisation = scenario.organisation
    load_demo_contracts(organisation)
    load_demo_ratings(organisation)
    load_demo_evaluations(organisation)
    load_demo_settlements(organisation)
    load_demo_draw(organisation)
    load_demo_schedules(organisation)
    User.objects.update(language="zh-hans")
    return scenario


def pages_for(role: str, user: User) -> list[str]:
    """The main pages a person in this role reaches from the menu, with one object of each kind."""
    contract = Contract.objects.order_by("pk").first()
    period = EvaluationPeriod.objects.order_by("-pk").first()
    statement = SettlementStatement.objects.order_by("pk").first()
    work_order = WorkOrder.objects.order_by("-pk").first()
    complaint = Complaint.objects.order_by("pk").first()
    month = period.starts_on.strftime("%Y-%m")
    common = ["/", "/preferences/", reverse("notifications:list")]
    client_side = [
        reverse("tickets:board"),
        reverse("contracts:list"),
        reverse("contracts:detail", args=[contract.pk]),
        reverse("scorecards:list"),
        reverse("scorecards:period", args=[period.pk]),
        reverse("scorecards:scheme", args=[period.contract_id]),
        reverse("settlement:list"),
        reverse("settlement:detail", args=[statement.pk]),
        reverse("reports:index"),
        reverse("reports:dashboard"),
        reverse("reports:vendor", args=[contract.vendor_id, month]),
        reverse("portfolio:overview"),
        reverse("feedback:complaints"),
        reverse("feedback:draws"),
        reverse("tickets:detail", args=[work_order.number]),
    ]
    if complaint is not None:
        client_side.append(reverse("feedback:complaint_detail", args=[complaint.pk]))
    vendor_side = [
        reverse("tickets:workbench"),
        reverse("contracts:list"),
        reverse("scorecards:list"),
        reverse("settlement:list"),
    ]
    if role == Role.REQUESTER:
        return [*common, reverse("tickets:portal"), reverse("tickets:create")]
    if role in (Role.VENDOR_AGENT, Role.VENDOR_MANAGER):
        own = Contract.objects.filter(vendor=user.vendor).order_by("pk").first()
        extra = []
        if own is not None:
            extra = [reverse("contracts:detail", args=[own.pk])]
            own_period = EvaluationPeriod.objects.filter(contract=own).exclude(status="draft").order_by("-pk").first()
            if own_period is not None:
                extra.append(reverse("scorecards:period", args=[own_period.pk]))
        return [*common, *vendor_side, *extra]
    return [*common, *client_side]


def test_no_chinese_page_of_any_demo_role_shows_a_code(demo):
    codes = known_codes()
    assert {"response", "resolution", "onsite", "csat", "client_supervisor", "dispatched"} <= codes
    found: dict[tuple[str, str], set[str]] = {}
    for role in Role.values:
        user = User.objects.filter(role=role, is_active=True).order_by("username").first()
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        for url in pages_for(role, user):
            response = client.get(url, follow=True)
            if response.status_code != 200:
                continue  # not this role's page (403/404 pages are checked elsewhere)
            page = response.content.decode()
            assert 'lang="zh-hans"' in page, url
            shown = codes_shown(page, codes, data=(f"({user.username})",))  # the reader's own login is data
            if shown:
                found[(role, url)] = shown
    translation.activate("zh-hans")
    assert found == {}


def test_names_people_typed_are_shown_in_the_readers_language(demo):
    """Indicator and commitment names have an English name; the English reader sees it, the Chinese one the Chinese."""
    supervisor = User.objects.filter(role=Role.CLIENT_SUPERVISOR).order_by("username").first()
    period = EvaluationPeriod.objects.exclude(commitment_results=None).order_by("-pk").first()
    client = Client()
    client.force_login(supervisor)
    chinese = client.get(reverse("scorecards:period", args=[period.pk])).content.decode()
    assert "响应及时率" in chinese and "On-time response rate" not in chinese
    supervisor.language = "en"
    supervisor.save(update_fields=["language"])
    english = visible_text(client.get(reverse("scorecards:period", args=[period.pk])).content.decode())
    assert "On-time response rate" in english and "On-time resolution rate" in english
    assert "Staff fill rate" in english  # an indicator of the hospital template
    assert "响应及时率" not in english and "人员到岗率" not in english
    contract = visible_text(client.get(reverse("contracts:detail", args=[period.contract_id])).content.decode())
    assert "On-time response rate" in contract and "响应及时率" not in contract
    scheme = visible_text(client.get(reverse("scorecards:scheme", args=[period.contract_id])).content.decode())
    assert "Staff fill rate" in scheme and "人员到岗率" not in scheme


def test_the_dashboards_row_of_links_is_labelled_for_what_it_is(demo):
    supervisor = User.objects.filter(role=Role.CLIENT_SUPERVISOR).order_by("username").first()
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("reports:dashboard")).content.decode()
    row = re.search(r'data-testid="row-pages">\s*<th scope="row">([^<]*)</th>', page)
    assert row is not None and row.group(1) == "服务商详情"
