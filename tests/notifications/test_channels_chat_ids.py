"""Chat IDs for @-mentions: each person sets their own on a page and through the API, a client administrator sets
them for the people of their organisation (nobody else's, 404), values are checked with clear errors, every change
is audited, and a message to a 钉钉 robot then mentions the person by the ID they set."""

from __future__ import annotations

import pytest
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.notifications.channels.identities import chat_identity_set, people_administered
from oversight.notifications.channels.models import ChatIdentity
from oversight.notifications.channels.sending import delivery_attempt
from oversight.notifications.channels.services import channel_create, channel_message_send
from tests.notifications.channel_sinks import running


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_person_sets_their_own_ids_on_the_page_and_every_change_is_audited(world, web):
    agent = world.users["vendor_agent"]
    client = web("vendor_agent")
    page = client.get("/notifications/chat-ids/")
    assert page.status_code == 200 and "My chat IDs" in page.content.decode()
    saved = client.post(
        "/notifications/chat-ids/",
        {
            "wecom_user_id": "zhang.san@ops",
            "dingtalk_user_id": "",
            "dingtalk_mobile": "138 0013 8000",
            "feishu_user_id": "ou_7d8a6e6df7621556",
        },
    )
    assert saved.status_code == 302 and saved["Location"] == "/notifications/chat-ids/"
    identity = ChatIdentity.objects.get(user=agent)
    assert (identity.wecom_user_id, identity.dingtalk_mobile, identity.feishu_user_id) == (
        "zhang.san@ops",
        "13800138000",
        "ou_7d8a6e6df7621556",
    )
    assert 'value="zhang.san@ops"' in client.get("/notifications/chat-ids/").content.decode()
    client.post(
        "/notifications/chat-ids/",
        {"wecom_user_id": "zhangsan", "dingtalk_mobile": "13800138000", "feishu_user_id": "ou_7d8a6e6df7621556"},
    )
    entries = AuditEntry.objects.filter(object_id=str(identity.pk), action__startswith="notifications.").order_by("id")
    assert [e.action for e in entries] == ["notifications.chatidentity.created", "notifications.chatidentity.changed"]
    assert entries[1].before == {"wecom_user_id": "zhang.san@ops"} and entries[1].after == {"wecom_user_id": "zhangsan"}


def test_bad_values_get_clear_errors_and_change_nothing(world, web):
    client = web("requester")
    refused = client.post(
        "/notifications/chat-ids/", {"wecom_user_id": "<@all>", "dingtalk_mobile": "call me", "feishu_user_id": "ou x"}
    )
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "WeCom account ID: use letters, digits" in body
    assert "DingTalk mobile: enter a mobile number" in body
    assert "Feishu account ID: use letters, digits" in body
    assert not ChatIdentity.objects.exists()
    with pytest.raises(ApplicationError, match="cannot be changed here"):
        chat_identity_set(actor=world.users["requester"], person=world.users["requester"], phone="1")


def test_an_administrator_sets_them_for_the_people_of_their_organisation_only(world, web):
    admin, agent = world.users["client_admin"], world.users["vendor_agent"]
    client = web("client_admin")
    listing = client.get("/notifications/chat-ids/people/")
    assert listing.status_code == 200
    assert f"/notifications/chat-ids/people/{agent.pk}/" in listing.content.decode()
    assert f"/notifications/chat-ids/people/{world.users['foreign_admin'].pk}/" not in listing.content.decode()
    saved = client.post(f"/notifications/chat-ids/people/{agent.pk}/", {"dingtalk_user_id": "agent0042"})
    assert saved.status_code == 302
    assert ChatIdentity.objects.get(user=agent).dingtalk_user_id == "agent0042"
    entry = AuditEntry.objects.get(action="notifications.chatidentity.created")
    assert entry.actor_id == admin.pk
    # Another organisation's person is not found; other roles may not open the pages at all.
    foreign = world.users["foreign_admin"]
    assert client.get(f"/notifications/chat-ids/people/{foreign.pk}/").status_code == 404
    assert client.post(f"/notifications/chat-ids/people/{foreign.pk}/", {"wecom_user_id": "x"}).status_code == 404
    for role in ("client_supervisor", "vendor_manager", "requester"):
        assert web(role).get("/notifications/chat-ids/people/").status_code == 403
        assert web(role).post(f"/notifications/chat-ids/people/{agent.pk}/", {"wecom_user_id": "x"}).status_code == 403
    with pytest.raises(NotAllowed):
        chat_identity_set(actor=world.users["vendor_manager"], person=agent, wecom_user_id="x")
    assert set(people_administered(user=world.users["client_supervisor"])) == set()
    assert ChatIdentity.objects.filter(user=foreign).count() == 0


def test_the_api_sets_ones_own_and_administrators_set_their_peoples(world, api):
    mine = api("auditor")  # a read-only role still sets its own chat IDs
    assert mine.get("/api/v1/chat-identities/me/").json()["wecom_user_id"] == ""
    put = mine.put("/api/v1/chat-identities/me/", {"feishu_user_id": "ou_auditor"}, format="json")
    assert put.status_code == 200 and put.json()["feishu_user_id"] == "ou_auditor"
    bad = mine.put("/api/v1/chat-identities/me/", {"wecom_user_id": "a b"}, format="json")
    assert bad.status_code == 400
    assert mine.get("/api/v1/chat-identities/").status_code == 403
    admin = api("client_admin")
    agent = world.users["vendor_agent"]
    listed = admin.get("/api/v1/chat-identities/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["user"] for row in rows} >= {agent.pk, world.users["auditor"].pk}
    assert world.users["foreign_admin"].pk not in {row["user"] for row in rows}
    changed = admin.put(f"/api/v1/chat-identities/{agent.pk}/", {"wecom_user_id": "agent42"}, format="json")
    assert changed.status_code == 200 and changed.json()["wecom_user_id"] == "agent42"
    assert (
        admin.put(
            f"/api/v1/chat-identities/{world.users['foreign_admin'].pk}/", {"wecom_user_id": "x"}, format="json"
        ).status_code
        == 404
    )
    assert (
        api("client_supervisor")
        .put(f"/api/v1/chat-identities/{agent.pk}/", {"wecom_user_id": "x"}, format="json")
        .status_code
        == 403
    )


@pytest.fixture
def sink():
    with running("dingtalk", "SECchat") as receiver:
        yield receiver


def test_a_dingtalk_message_mentions_the_person_by_the_user_id_they_set(world, web, sink):
    nurse = world.users["requester"]
    web("requester").post("/notifications/chat-ids/", {"dingtalk_user_id": "nurse0001"})
    channel = channel_create(
        actor=world.users["client_admin"],
        organisation=world.org,
        url=sink.url,
        secret=sink.secret,
        kind="dingtalk",
        name="ward robot",
        allowed_hosts="127.0.0.1",
    )
    delivery = channel_message_send(
        channel=channel, title="Bed 12: call light broken", body="", mention_users=[nurse], dedupe_key="m1"
    )
    delivery_attempt(delivery_id=delivery.pk, force=True)
    assert sink.verdicts == [True]
    sent = sink.received[0].json
    assert sent["at"]["atUserIds"] == ["nurse0001"] and sent["markdown"]["text"].endswith("@nurse0001")
