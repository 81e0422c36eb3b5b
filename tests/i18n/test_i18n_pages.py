"""Pages speak the reader's language: Chinese for a zh-hans user with no English left over, English for an en user."""

from __future__ import annotations

import html
import json
import re
import zoneinfo

import pytest
from django.test import Client

from oversight.catalog.models import BusinessCalendar, Offering, Service, ServiceCategory, SLAPolicy
from oversight.tenancy.models import Organisation, Site, Team, User, Vendor
from oversight.tickets import services
from oversight.tickets.choices import Action
from oversight.tickets.models import WorkOrder

CJK_RE = re.compile(r"[\u4e00-\u9fff]")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9_\-/.@+]*")
# Words a Chinese page keeps: product name and its "O" mark, abbreviations and formats, the English name of English.
KEPT_WORDS = {
    "O",
    "Oversight",
    "SLA",
    "API",
    "CSV",
    "XLSX",
    "PDF",
    "ZIP",
    "Office",
    "PNG",
    "SVG",
    "UTC",
    "MB",
    "English",
    "SHA-256",
    "ISO",
    "CNY",
    "USD",
    "EUR",
    "NPS",
}
KEPT_PATTERNS = re.compile(r"^(P[1-4]|v\d+|UTC[+-]\d\d)$")  # priorities, versions, UTC offsets of zones
TIME_ZONES = zoneinfo.available_timezones()

PAGES = [
    ("requester", "/portal/", 200),
    ("requester", "/portal/?show=all", 200),
    ("requester", "/portal/new/", 200),
    ("requester", "/wo/{number}/", 200),
    ("requester", "/notifications/", 200),
    ("requester", "/preferences/", 200),
    ("requester", "/notifications/chat-ids/", 200),
    ("client_admin", "/notifications/chat-ids/people/", 200),
    ("vendor_agent", "/meetings/feed/", 200),
    ("vendor_agent", "/workbench/", 200),
    ("vendor_agent", "/wo/{number}/", 200),
    ("vendor_manager", "/wo/{number}/", 200),
    ("client_supervisor", "/board/", 200),
    ("client_supervisor", "/wo/{number}/", 200),
    ("client_admin", "/intake-points/", 200),
    ("client_supervisor", "/complaints/", 200),
    ("client_supervisor", "/draws/", 200),
    ("client_admin", "/contracts/", 200),
    ("client_admin", "/contracts/new/", 200),
    ("client_supervisor", "/scorecards/", 200),
    ("client_supervisor", "/scorecards/trends/", 200),
    ("requester", "/wo/GH29990000001/", 404),  # the 404 page
    ("requester", "/audit/", 403),  # the 403 page
]


@pytest.fixture
def story(world):
    """`story(language)`: everyone reads `language`; a resolved, commented work order with notifications exists."""

    def make(language: str) -> WorkOrder:
        User.objects.update(language=language)
        for user in world.users.values():
            user.refresh_from_db()
        agent = world.users["vendor_agent"]
        work_order = services.work_order_create(
            actor=world.users["requester"], service=world.service, title="Printer jammed", description="Ward 3"
        )
        work_order = services.work_order_assign(
            actor=world.users["vendor_manager"], work_order=work_order, assignee=agent
        )
        for action in (Action.ACCEPT, Action.ARRIVE):
            work_order = services.work_order_transition(actor=agent, work_order=work_order, action=action)
        services.comment_create(actor=agent, work_order=work_order, body="Toner replaced")
        work_order = WorkOrder.objects.get(pk=work_order.pk)
        return services.work_order_transition(
            actor=agent, work_order=work_order, action=Action.RESOLVE, resolution="Toner replaced"
        )

    return make


def visible_text(page: str) -> str:
    """What a reader sees: text outside tags and scripts, plus titles, placeholders and labels of controls."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    attributes = re.findall(r"""(?i)\b(?:title|placeholder|aria-label|alt|data-confirm)=(["'])(.*?)\1""", page)
    return html.unescape(" ".join([re.sub(r"(?s)<[^>]+>", " ", page), *(value for _, value in attributes)]))


def data_strings() -> list[str]:
    """Names and numbers users typed or the fixture chose: shown as they are in every language."""
    values: list[str] = []
    for model in (Organisation, Site, Vendor, Team, Service, Offering, ServiceCategory, BusinessCalendar, SLAPolicy):
        for row in model.objects.all():
            values += [str(row), getattr(row, "name", ""), getattr(row, "code", "")]
    for user in User.objects.all():
        values += [str(user), user.username, user.email, user.get_full_name()]
    for work_order in WorkOrder.objects.all():
        values += [work_order.number, work_order.title, work_order.description, work_order.resolution]
    values += ["Toner replaced"]
    return sorted({v for v in values if v}, key=len, reverse=True)


def english_left_over(page: str) -> set[str]:
    text = visible_text(page)
    for value in data_strings():
        text = re.sub(rf"(?<![\w/]){re.escape(value)}(?![\w/])", " ", text)
    return {
        word.rstrip(".")
        for word in WORD_RE.findall(text)
        if word.rstrip(".") not in KEPT_WORDS and word not in TIME_ZONES and not KEPT_PATTERNS.match(word.rstrip("."))
    }


def render(world, role: str, url: str, number: str) -> tuple[int, str]:
    client = Client()
    client.force_login(world.users[role])
    response = client.get(url.format(number=number))
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(("role", "url", "status"), PAGES)
def test_a_chinese_reader_sees_no_english_words(world, story, role, url, status):
    work_order = story("zh-hans")
    got, page = render(world, role, url, work_order.number)
    assert got == status
    assert 'lang="zh-hans"' in page
    assert CJK_RE.search(visible_text(page))
    assert english_left_over(page) == set()


@pytest.mark.parametrize(("role", "url", "status"), PAGES)
def test_an_english_reader_sees_no_chinese(world, story, role, url, status):
    work_order = story("en")
    got, page = render(world, role, url, work_order.number)
    assert got == status
    assert 'lang="en"' in page
    # The language menu names Chinese in Chinese; nothing else is.
    assert CJK_RE.findall(visible_text(page).replace("简体中文", "")) == []


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("zh-hans", ["我的报修", "已解决", "全过程", "服务级别（SLA）计时", "退出登录"], ["My requests", "Resolved"]),
        ("en", ["My requests", "Resolved", "Timeline", "Service level clocks", "Sign out"], ["我的报修", "已解决"]),
    ],
)
def test_the_work_order_page_follows_the_users_language(world, story, language, expected, absent):
    work_order = story(language)
    status, page = render(world, "requester", "/wo/{number}/", work_order.number)
    assert status == 200
    for text in expected:
        assert text in page
    for text in absent:
        assert text not in page


def test_the_helper_finds_english_that_was_left_untranslated(world, story):
    story("zh-hans")
    assert english_left_over("<p>工单 Printer jammed</p><button title='Save'>保存</button>") == {"Save"}
    assert english_left_over("<p>时间按 Asia/Shanghai 显示。P1 SLA</p>") == set()


def test_the_login_page_speaks_the_browsers_language_and_chinese_by_default(db):
    chinese = Client().get("/login/").content.decode()
    assert 'lang="zh-hans"' in chinese and "登录" in chinese and "Sign in" not in chinese
    english = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in english and "Sign in" in english and "登录" not in english


def test_the_users_choice_beats_the_browser(world):
    requester = world.users["requester"]
    requester.language = "zh-hans"
    requester.save()
    client = Client()
    client.force_login(requester)
    page = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "我的报修" in page and "My requests" not in page


def test_the_javascript_strings_are_translated(world):
    requester = world.users["requester"]
    requester.language = "zh-hans"
    requester.save()
    client = Client()
    client.force_login(requester)
    page = client.get("/portal/").content.decode()
    block = re.search(r'<script id="ui-strings" type="application/json">(.*?)</script>', page, re.S)
    assert block is not None
    strings = json.loads(block.group(1))
    assert strings["left"] == "剩余 %(time)s"
    assert strings["confirm"] == "确定要执行此操作吗？"
    assert {key: value for key, value in strings.items() if not CJK_RE.search(value)} == {}
