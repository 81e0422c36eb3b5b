"""Money, durations and file names as people read them: one format per language, amounts in Chinese capitals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from oversight.core.durations import format_duration, format_hours
from oversight.core.files import content_disposition, readable_filename
from oversight.core.money import format_money, money_number_format, rmb_in_words

D = Decimal


@pytest.mark.parametrize(
    ("language", "value", "currency", "text"),
    [
        ("zh-hans", "466585", "CNY", "¥466,585.00"),
        ("en", "466585", "CNY", "CN¥466,585.00"),
        ("zh-hans", "240000.00", "", "240,000.00"),
        ("en", "-1234.5", "USD", "-$1,234.50"),
        ("zh-hans", "12", "CHF", "CHF 12.00"),
        ("zh-hans", "0.005", "CNY", "¥0.01"),  # half up to the cent
        ("en", None, "CNY", "—"),
        ("en", "not a number", "CNY", "—"),
    ],
)
def test_one_money_format_per_language(language, value, currency, text):
    with translation.override(language):
        assert format_money(value, currency) == text


def test_spreadsheet_cells_get_a_number_format_with_the_symbol():
    with translation.override("zh-hans"):
        assert money_number_format("CNY") == '"¥"#,##0.00;-"¥"#,##0.00'
        assert money_number_format("CHF") == '"CHF "#,##0.00;-"CHF "#,##0.00'
        assert money_number_format("") == "#,##0.00"


# Published examples of the rules for writing amounts on bills and vouchers (《正确填写票据和结算凭证的基本规定》)
# and the statement of issue 8.
@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("466585.00", "人民币肆拾陆万陆仟伍佰捌拾伍元整"),
        ("1409.50", "人民币壹仟肆佰零玖元伍角"),
        ("6007.14", "人民币陆仟零柒元壹角肆分"),
        ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "人民币壹拾万柒仟元伍角叁分"),
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
        ("0.56", "人民币伍角陆分"),
        ("16.00", "人民币壹拾陆元整"),
        ("0", "人民币零元整"),
        ("100500", "人民币壹拾万零伍佰元整"),
        ("100005000", "人民币壹亿零伍仟元整"),
        ("1000000.01", "人民币壹佰万元零壹分"),
        ("1010101.01", "人民币壹佰零壹万零壹佰零壹元零壹分"),
        ("113174.70", "人民币壹拾壹万叁仟壹佰柒拾肆元柒角"),
        ("2.005", "人民币贰元零壹分"),  # rounded half up to the fen first
    ],
)
def test_amounts_in_chinese_capitals(amount, words):
    assert rmb_in_words(D(amount)) == words


@pytest.mark.parametrize(
    ("seconds", "english", "chinese"),
    [
        (8 * 60, "8 min", "8 分钟"),
        (86400 + 3600 + 23 * 60, "1 d 1 h", "1 天 1 小时"),
        (40 * 3600, "1 d 16 h", "1 天 16 小时"),
        (45, "45 s", "45 秒"),
    ],
)
def test_one_duration_formatter_with_translated_units(seconds, english, chinese):
    with translation.override("en"):
        assert format_duration(seconds) == english
    with translation.override("zh-hans"):
        assert format_duration(seconds) == chinese
        assert format_duration(40 * 3600, hours_only=True) == "40 小时 00 分钟"
        assert format_duration(86400 + 3600 + 23 * 60, with_minutes=True) == "1 天 1 小时 23 分钟"
        assert format_hours(D("38880")) == "10.8 小时"
    with translation.override("en"):
        assert format_hours(D("38880")) == "10.8 h"


def test_readable_file_names_are_safe_and_sent_with_filename_star():
    name = readable_filename("服务报告", "北京 桌面/运维:公司", "", "2026-10", extension="pdf")
    assert name == "服务报告-北京_桌面_运维_公司-2026-10.pdf"
    assert readable_filename("a\r\nb", extension="csv") == "a__b.csv"  # no header injection
    assert readable_filename("", extension="csv") == "download.csv"
    header = content_disposition(name)
    assert header.startswith('attachment; filename="') and "filename*=UTF-8''%E6%9C%8D" in header
