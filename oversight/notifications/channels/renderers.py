"""One renderer per channel kind: the exact JSON each robot or webhook receives (pure: standard library only).

Every renderer takes a :class:`Message` (already in the reader's words: the services translate) and returns the
body as a dict; the signature (where the kind has one) is added by the sender. Each kind's size limit is respected
by shortening the message body and ending it with a note and the link to the full text:

- 企业微信 group robot: ``markdown``; colours ``<font color="warning|comment|info">``; mentions ``<@userid>``;
  the content at most 4096 bytes.
- 钉钉 group robot: ``markdown`` with ``at.atUserIds`` for a person with a 钉钉 userid, else ``at.atMobiles``
  (each also written as ``@userid`` / ``@mobile`` in the text); the text at most 20000 bytes.
- 飞书 custom robot: ``interactive`` card, header template ``red|orange|blue``, mentions ``<at id=...></at>``;
  the whole body at most 20000 bytes (the robot refuses larger requests).
- generic webhook: Oversight's own JSON (``id``, ``type``, ``severity``, ``title``, ``body``, ``fields``, ``url``,
  ``mentions``); the body at most 64 KiB.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

WECOM = "wecom"
DINGTALK = "dingtalk"
FEISHU = "feishu"
WEBHOOK = "webhook"

LIMITS = {WECOM: 4096, DINGTALK: 20000, FEISHU: 20000, WEBHOOK: 65536}

INFO, WARNING, CRITICAL = "info", "warning", "critical"
WECOM_COLOURS = {INFO: "info", WARNING: "comment", CRITICAL: "warning"}
DINGTALK_COLOURS = {INFO: "#1677FF", WARNING: "#FA8C16", CRITICAL: "#F5222D"}
FEISHU_TEMPLATES = {INFO: "blue", WARNING: "orange", CRITICAL: "red"}


@dataclass(frozen=True)
class Mention:
    """Whom to @: a mobile number or a userid (钉钉) and/or a chat user id (企业微信 userid, 飞书 open_id)."""

    name: str = ""
    mobile: str = ""
    wecom_user_id: str = ""
    feishu_user_id: str = ""
    dingtalk_user_id: str = ""


@dataclass(frozen=True)
class Message:
    """What to post, in the reader's words; ``labels`` carries the few words the renderers add themselves."""

    title: str
    body: str = ""
    severity: str = INFO
    fields: tuple[tuple[str, str], ...] = ()
    url: str = ""
    mentions: tuple[Mention, ...] = ()
    event_id: str = ""
    created_at: str = ""
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, key: str) -> str:
        return self.labels.get(key) or {"open": "Open", "truncated": "(shortened: read the rest)"}.get(key, key)


def _encoded(text: str) -> int:
    return len(text.encode())


def fit(build: Callable[[str], str], body: str, limit: int, note: str) -> str:
    """``build(body)`` when it fits in ``limit`` bytes, else ``build`` of the longest prefix of the body followed by
    ``note`` that fits (binary search over characters, so a multi-byte character is never cut)."""
    full = build(body)
    if _encoded(full) <= limit:
        return full
    low, high = 0, len(body)
    best = build(note)
    while low <= high:
        middle = (low + high) // 2
        candidate = build(body[:middle].rstrip() + "…\n\n" + note)
        if _encoded(candidate) <= limit:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best


def _note(message: Message) -> str:
    return f"[{message.label('truncated')}]({message.url})" if message.url else message.label("truncated")


def _field_lines(message: Message) -> str:
    return "".join(f"> **{name}**: {value}\n" for name, value in message.fields)


def render_wecom(message: Message) -> dict:
    """企业微信 markdown message; content at most 4096 bytes."""
    colour = WECOM_COLOURS.get(message.severity, "info")
    mentions = " ".join(f"<@{m.wecom_user_id}>" for m in message.mentions if m.wecom_user_id)
    link = f"\n[{message.label('open')}]({message.url})" if message.url else ""

    def build(body: str) -> str:
        text = f'**<font color="{colour}">{message.title}</font>**\n{_field_lines(message)}'
        if body:
            text += f"\n{body}\n"
        return text + link + (f"\n{mentions}" if mentions else "")

    return {"msgtype": "markdown", "markdown": {"content": fit(build, message.body, LIMITS[WECOM], _note(message))}}


def render_dingtalk(message: Message) -> dict:
    """钉钉 markdown message with @userids (or @mobiles of those without one); text at most 20000 bytes."""
    colour = DINGTALK_COLOURS.get(message.severity, DINGTALK_COLOURS[INFO])
    user_ids = [m.dingtalk_user_id for m in message.mentions if m.dingtalk_user_id]
    mobiles = [m.mobile for m in message.mentions if m.mobile and not m.dingtalk_user_id]
    at_line = " ".join(f"@{who}" for who in (*user_ids, *mobiles))
    link = f"\n\n[{message.label('open')}]({message.url})" if message.url else ""

    def build(body: str) -> str:
        text = f'#### <font color="{colour}">{message.title}</font>\n\n{_field_lines(message)}'
        if body:
            text += f"\n{body}\n"
        return text + link + (f"\n\n{at_line}" if at_line else "")

    return {
        "msgtype": "markdown",
        "markdown": {"title": message.title[:100], "text": fit(build, message.body, LIMITS[DINGTALK], _note(message))},
        "at": {"atMobiles": mobiles, **({"atUserIds": user_ids} if user_ids else {}), "isAtAll": False},
    }


def render_feishu(message: Message) -> dict:
    """飞书 interactive card; the whole JSON body at most 20000 bytes (with room kept for timestamp and sign)."""
    mentions = " ".join(f"<at id={m.feishu_user_id}></at>" for m in message.mentions if m.feishu_user_id)

    def card(content: str) -> dict:
        elements: list[dict] = [{"tag": "div", "text": {"tag": "lark_md", "content": content}}]
        if message.url:
            elements.append(
                {
                    "tag": "action",
                    "actions": [
                        {
                            "tag": "button",
                            "text": {"tag": "plain_text", "content": message.label("open")},
                            "url": message.url,
                            "type": "primary",
                        }
                    ],
                }
            )
        return {
            "msg_type": "interactive",
            "card": {
                "config": {"wide_screen_mode": True},
                "header": {
                    "title": {"tag": "plain_text", "content": message.title},
                    "template": FEISHU_TEMPLATES.get(message.severity, "blue"),
                },
                "elements": elements,
            },
        }

    def content(body: str) -> str:
        fields = "".join(f"**{name}**: {value}\n" for name, value in message.fields)
        return fields + (f"\n{body}" if body else "") + (f"\n{mentions}" if mentions else "")

    room = LIMITS[FEISHU] - 100  # "timestamp" and "sign" are added to the body after rendering
    chosen = fit(lambda body: _dumps(card(content(body))), message.body, room, _note(message))
    return json.loads(chosen)


def render_webhook(message: Message) -> dict:
    """Oversight's generic webhook body; at most 64 KiB."""

    def body_of(body: str) -> dict:
        return {
            "id": message.event_id,
            "type": "oversight.notification",
            "created_at": message.created_at,
            "severity": message.severity,
            "title": message.title,
            "body": body,
            "fields": [{"name": name, "value": value} for name, value in message.fields],
            "url": message.url,
            "mentions": [
                {
                    "name": m.name,
                    "mobile": m.mobile,
                    "wecom_user_id": m.wecom_user_id,
                    "feishu_user_id": m.feishu_user_id,
                    "dingtalk_user_id": m.dingtalk_user_id,
                }
                for m in message.mentions
            ],
        }

    return json.loads(
        fit(lambda body: _dumps(body_of(body)), message.body, LIMITS[WEBHOOK], message.label("truncated"))
    )


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def dumps(data: dict) -> bytes:
    """The exact bytes sent (compact UTF-8 JSON; what the webhook signature covers)."""
    return _dumps(data).encode()


RENDERERS: dict[str, Callable[[Message], dict]] = {
    WECOM: render_wecom,
    DINGTALK: render_dingtalk,
    FEISHU: render_feishu,
    WEBHOOK: render_webhook,
}


def render(kind: str, message: Message) -> dict:
    """The body for a channel kind."""
    return RENDERERS[kind](message)
