"""The renderers (each kind's payload, colours, mentions, size limits) and the token bucket, with plain values."""

from __future__ import annotations

import json

from oversight.notifications.channels import renderers
from oversight.notifications.channels.bucket import BucketState, refill, take
from oversight.notifications.channels.renderers import Mention, Message

MESSAGE = Message(
    title="SLA breached: GH-2026-0001",
    body="The printer in Cardiology is still down.",
    severity="critical",
    fields=(("Priority", "P1"), ("Vendor", "Desk Co")),
    url="https://oversight.example/tickets/GH-2026-0001/",
    mentions=(Mention(name="Li", mobile="13800001111", wecom_user_id="lisi", feishu_user_id="ou_abc"),),
    event_id="0b5c",
    created_at="2026-03-02T01:00:00+00:00",
    labels={"open": "在 Oversight 中打开", "truncated": "内容已截断"},
)


def test_wecom_markdown_payload():
    payload = renderers.render("wecom", MESSAGE)
    assert set(payload) == {"msgtype", "markdown"}
    assert payload["msgtype"] == "markdown"
    content = payload["markdown"]["content"]
    assert content.startswith('**<font color="warning">SLA breached: GH-2026-0001</font>**\n')
    assert "> **Priority**: P1\n> **Vendor**: Desk Co\n" in content
    assert "[在 Oversight 中打开](https://oversight.example/tickets/GH-2026-0001/)" in content
    assert content.endswith("<@lisi>")
    info = renderers.render("wecom", Message(title="t", severity="info"))
    assert info["markdown"]["content"] == '**<font color="info">t</font>**\n'


def test_dingtalk_markdown_payload_mentions_by_mobile():
    payload = renderers.render("dingtalk", MESSAGE)
    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["title"] == "SLA breached: GH-2026-0001"
    text = payload["markdown"]["text"]
    assert text.startswith('#### <font color="#F5222D">SLA breached: GH-2026-0001</font>')
    assert text.endswith("@13800001111")  # DingTalk highlights a mention only when the text names the mobile
    assert payload["at"] == {"atMobiles": ["13800001111"], "isAtAll": False}


def test_dingtalk_mentions_by_user_id_when_a_person_has_one_and_by_mobile_otherwise():
    message = Message(
        title="t",
        mentions=(
            Mention(name="Li", mobile="13800001111", dingtalk_user_id="manager4220"),
            Mention(name="Wang", mobile="13900002222"),
        ),
    )
    payload = renderers.render("dingtalk", message)
    # DingTalk's custom robot: at.atUserIds / at.atMobiles, each also written as @... in the text.
    assert payload["at"] == {"atMobiles": ["13900002222"], "atUserIds": ["manager4220"], "isAtAll": False}
    assert payload["markdown"]["text"].endswith("\n\n@manager4220 @13900002222")


def test_feishu_card_payload():
    payload = renderers.render("feishu", MESSAGE)
    assert payload["msg_type"] == "interactive"
    card = payload["card"]
    assert card["header"] == {
        "title": {"tag": "plain_text", "content": "SLA breached: GH-2026-0001"},
        "template": "red",
    }
    content = card["elements"][0]["text"]["content"]
    assert card["elements"][0]["text"]["tag"] == "lark_md"
    assert content.startswith("**Priority**: P1\n**Vendor**: Desk Co\n")
    assert content.endswith("<at id=ou_abc></at>")
    button = card["elements"][1]["actions"][0]
    assert button["url"] == MESSAGE.url and button["text"]["content"] == "在 Oversight 中打开"
    warning = renderers.render("feishu", Message(title="t", severity="warning"))
    assert warning["card"]["header"]["template"] == "orange"
    assert len(warning["card"]["elements"]) == 1  # no link, no button


def test_webhook_payload():
    payload = renderers.render("webhook", MESSAGE)
    assert payload == {
        "id": "0b5c",
        "type": "oversight.notification",
        "created_at": "2026-03-02T01:00:00+00:00",
        "severity": "critical",
        "title": "SLA breached: GH-2026-0001",
        "body": "The printer in Cardiology is still down.",
        "fields": [{"name": "Priority", "value": "P1"}, {"name": "Vendor", "value": "Desk Co"}],
        "url": "https://oversight.example/tickets/GH-2026-0001/",
        "mentions": [
            {
                "name": "Li",
                "mobile": "13800001111",
                "wecom_user_id": "lisi",
                "feishu_user_id": "ou_abc",
                "dingtalk_user_id": "",
            }
        ],
    }
    assert renderers.dumps({"a": "中"}) == '{"a":"中"}'.encode()


def _long(kind: str, body: str) -> Message:
    return Message(title="长消息", body=body, url="https://o.example/x", labels={"truncated": "内容已截断"})


def test_each_kind_truncates_within_its_limit_with_a_link_to_the_rest():
    body = "服务中断。" * 8000  # 120 000 bytes of UTF-8
    wecom = renderers.render("wecom", _long("wecom", body))["markdown"]["content"]
    assert len(wecom.encode()) <= 4096 and len(wecom.encode()) > 4000
    assert "[内容已截断](https://o.example/x)" in wecom
    ding = renderers.render("dingtalk", _long("dingtalk", body))["markdown"]["text"]
    assert 19900 < len(ding.encode()) <= 20000 and "[内容已截断](https://o.example/x)" in ding
    feishu = renderers.render("feishu", _long("feishu", body))
    size = len(renderers.dumps(feishu))
    assert 19800 < size <= 19900  # room left for "timestamp" and "sign"
    assert "[内容已截断](https://o.example/x)" in feishu["card"]["elements"][0]["text"]["content"]
    hook = renderers.render("webhook", _long("webhook", body * 2))
    assert len(renderers.dumps(hook)) <= 65536 and hook["body"].endswith("内容已截断")
    # A short body is left alone.
    assert renderers.render("wecom", _long("wecom", "短"))["markdown"]["content"].count("短") == 1
    # Never half a character: every cut is at a character boundary, so the text stays valid UTF-8.
    json.dumps(feishu, ensure_ascii=False).encode("utf-8")


def test_token_bucket():
    state = BucketState(tokens=2.0, at=0.0)
    ok, state, wait = take(state, 0.0, capacity=2, per_minute=6)
    assert ok and state.tokens == 1.0 and wait == 0.0
    ok, state, _ = take(state, 0.0, capacity=2, per_minute=6)
    assert ok and state.tokens == 0.0
    ok, state, wait = take(state, 4.0, capacity=2, per_minute=6)  # 4 s at 6/min = 0.4 tokens
    assert not ok and abs(state.tokens - 0.4) < 1e-9 and abs(wait - 6.0) < 1e-9  # 0.6 token more = 6 s
    ok, state, _ = take(state, 10.0, capacity=2, per_minute=6)
    assert ok and abs(state.tokens) < 1e-9
    assert refill(BucketState(0.0, 0.0), 3600.0, capacity=2, per_minute=6).tokens == 2.0  # never above capacity
    assert refill(BucketState(1.0, 10.0), 5.0, capacity=2, per_minute=6).tokens == 1.0  # clock going back: no gain
