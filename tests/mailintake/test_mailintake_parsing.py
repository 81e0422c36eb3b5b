"""The pure mail reader: charsets, encoded words, bodies, header injection, loops, identity and limits."""

from __future__ import annotations

import email.utils

import pytest

from oversight.mailintake import parsing
from tests.mailintake.conftest import build_mail


def test_gb2312_subject_name_and_body_are_read():
    raw = build_mail(name="张护士", subject="打印机卡纸了", body="三楼护士站的打印机卡纸。", charset="gb2312")
    assert b"=?gb2312?" in raw.lower()
    parsed = parsing.parse(raw)
    assert parsed.subject == "打印机卡纸了"
    assert parsed.from_name == "张护士"
    assert parsed.from_address == "nurse_a@example.org"
    assert parsed.text == "三楼护士站的打印机卡纸。"
    assert parsed.message_id == "m1@mail.example.org"


@pytest.mark.parametrize("charset", ["gbk", "gb18030", "utf-8"])
def test_other_chinese_charsets(charset):
    # 镕 is in GBK/GB18030 but not in GB2312: read under a GB2312 label too, as real clients send it.
    raw = build_mail(subject="朱镕基路网络中断", body="网络中断，镕", charset=charset)
    parsed = parsing.parse(raw)
    assert parsed.subject == "朱镕基路网络中断"
    assert parsed.text == "网络中断，镕"


def test_gbk_bytes_labelled_gb2312_are_read_as_gb18030():
    body = "镕".encode("gbk")
    raw = (
        b"From: a@example.org\r\nSubject: =?GB2312?B?" + __import__("base64").b64encode("镕".encode("gbk")) + b"?=\r\n"
        b"Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
    )
    parsed = parsing.parse(raw)
    assert parsed.subject == "镕"
    assert parsed.text == "镕"


def test_unknown_charset_and_invalid_bytes_are_undecodable():
    raw = b"From: a@example.org\r\nSubject: x\r\nContent-Type: text/plain; charset=x-nonsense\r\n\r\nhello"
    with pytest.raises(parsing.MailRefused) as refused:
        parsing.parse(raw)
    assert refused.value.code == "undecodable"
    raw = b"From: a@example.org\r\nSubject: =?x-nonsense?B?aGk=?=\r\n\r\nhello"
    with pytest.raises(parsing.MailRefused) as refused:
        parsing.parse(raw)
    assert refused.value.code == "undecodable"


def test_header_injection_in_subject_stays_on_one_line():
    raw = b"From: a@example.org\r\nSubject: =?utf-8?Q?Help=0D=0ABcc:_victim@example.org?=\r\n\r\nbody"
    parsed = parsing.parse(raw)
    assert parsed.subject == "Help Bcc: victim@example.org"
    assert "\n" not in parsed.subject and "\r" not in parsed.subject


def test_html_only_mail_becomes_safe_text():
    html = (
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head>"
        "<body><p>Monitor&nbsp;is <b>black</b> &amp; silent</p><div>Room&nbsp;3</div>"
        "<img src=x onerror=alert(1)></body></html>"
    )
    parsed = parsing.parse(build_mail(html=html))
    assert parsed.text == "Monitor is black & silent\n\nRoom 3"
    assert "alert" not in parsed.text and "<" not in parsed.text


def test_attachments_are_listed_with_decoded_names():
    raw = build_mail(attachments=[("故障照片.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)])
    parsed = parsing.parse(raw)
    assert [(a.name, a.content_type) for a in parsed.attachments] == [("故障照片.png", "image/png")]
    assert parsed.attachments[0].content.startswith(b"\x89PNG")
    assert parsed.text == "The ward printer is jammed."


@pytest.mark.parametrize(
    ("headers", "sender", "expected"),
    [
        ({"Auto-Submitted": "auto-replied"}, "nurse@example.org", "auto_reply"),
        ({"Auto-Submitted": "no"}, "nurse@example.org", None),
        ({"X-Autoreply": "yes"}, "nurse@example.org", "auto_reply"),
        ({"X-Autorespond": "yes"}, "nurse@example.org", "auto_reply"),
        ({"Precedence": "bulk"}, "nurse@example.org", "auto_reply"),
        ({"Precedence": "junk"}, "nurse@example.org", "auto_reply"),
        ({"Precedence": "list"}, "nurse@example.org", "auto_reply"),
        ({"Precedence": "auto_reply"}, "nurse@example.org", "auto_reply"),
        ({}, "MAILER-DAEMON@mx.example.org", "bounce"),
        ({"Return-Path": "<>"}, "nurse@example.org", "bounce"),
        ({"X-Oversight-Notification": "sla_warning"}, "oversight@hospital.example", "own_notification"),
        ({}, "nurse@example.org", None),
    ],
)
def test_loops_are_recognised(headers, sender, expected):
    assert parsing.parse(build_mail(sender=sender, headers=headers)).loop == expected


def test_delivery_status_report_is_a_bounce():
    raw = (
        b"From: postoffice@mx.example.org\r\nSubject: Undelivered\r\nMessage-ID: <b1@mx>\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--b--\r\n"
    )
    assert parsing.parse(raw).loop == "bounce"


def test_own_message_id_is_recognised_and_referenced():
    own = "<wo-GH20260000007.n42.abc@oversight.example>"
    assert parsing.parse(build_mail(message_id=own)).loop == "own_notification"
    assert parsing.notification_refs(["wo-GH20260000007.n42.abc@oversight.example", "other@x"]) == [
        ("GH20260000007", 42)
    ]


def test_subject_numbers():
    assert parsing.subject_numbers("Re: [GH20260000123] printer [WO-2026-000123]") == [
        "GH20260000123",
        "WO-2026-000123",
    ]
    assert parsing.subject_numbers("no number [x]") == []


def test_mail_without_message_id_gets_a_stable_identity():
    first = build_mail(message_id=None)
    again = b"Received: from relay2 by mx; Mon, 7 Dec 2026 10:00:00 +0800\r\n" + first
    other = build_mail(message_id=None, body="Another problem.")
    assert parsing.identity(first).startswith("sha256:")
    assert parsing.identity(first) == parsing.identity(again) == parsing.parse(again).message_id
    assert parsing.identity(first) != parsing.identity(other)


def test_limits_no_sender_and_dates():
    with pytest.raises(parsing.MailRefused) as refused:
        parsing.parse(build_mail(), max_bytes=100)
    assert refused.value.code == "too_big"
    bomb = (
        b"From: a@example.org\r\nSubject: bomb\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n"
        + b"".join(b"--z\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(1000))
        + b"--z--\r\n"
    )
    with pytest.raises(parsing.MailRefused) as refused:
        parsing.parse(bomb)
    assert refused.value.code == "too_many_parts"
    with pytest.raises(parsing.MailRefused) as refused:
        parsing.parse(b"Subject: nobody\r\n\r\nhello")
    assert refused.value.code == "no_sender"
    parsed = parsing.parse(build_mail())
    assert parsed.sent_at == email.utils.parsedate_to_datetime("Mon, 07 Dec 2026 01:30:00 +0000")
