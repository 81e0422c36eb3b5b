"""The permission matrix's knowledge of the notification channels (robots, webhooks) and their delivery log.

Rules (issue 11 "Notification channels", docs/notification-channels.md): an organisation's client administrators
manage its channels, subscriptions and dead letters; its supervisors read them; every other role is refused (403)
before anything is read; another organisation's channels and deliveries are 404. A channel's address and secret
appear in no page or answer, to anybody.
"""

from __future__ import annotations

from oversight.core import clock
from oversight.notifications.channels import crypto
from oversight.notifications.channels.models import Channel, ChatIdentity, Delivery, Subscription
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import Matrix, Payload, describe_app, secret

READERS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
MANAGERS = frozenset({Role.CLIENT_ADMIN})
# A closed local port: a permitted "send test" fails at once instead of reaching anything.
ADDRESS = "http://127.0.0.1:9/robot/send?access_token=PmxSecretToken"
SIGNING = "SECPmxSigningSecret"


def build(matrix: Matrix) -> None:
    """A channel with one delivery and one subscription in our organisation (A) and in the other one (X)."""
    world = matrix.world
    now = clock.now()
    channels, deliveries = {}, {}
    for key, org in (("A", world.org), ("X", world.other_org)):
        channel = Channel.objects.create(
            organisation=org,
            kind="dingtalk",
            name=secret(key, "Channel"),
            endpoint_secret=crypto.encrypt(ADDRESS),
            host="127.0.0.1",
            signing_secret=crypto.encrypt(SIGNING),
            allowed_hosts="127.0.0.1",
            created_at=now,
            updated_at=now,
            bucket_tokens=5,
            bucket_at=now,
        )
        channels[key] = channel
        deliveries[key] = Delivery.objects.create(
            channel=channel,
            dedupe_key=f"pmx:{key}",
            title=secret(key, "Delivery"),
            message={"title": secret(key, "Delivery"), "body": secret(key, "DeliveryBody")},
            status="dead",
            attempts=5,
            created_at=now,
            updated_at=now,
        )
        Subscription.objects.create(channel=channel, role=Role.CLIENT_SUPERVISOR, topic="sla_breach", created_at=now)
    matrix.objects["channel"] = channels
    matrix.objects["channel_delivery"] = deliveries


def _sees(matrix: Matrix, role: str, obj) -> bool:
    user = matrix.user(role)
    channel = obj if isinstance(obj, Channel) else obj.channel
    return user is not None and user.role in READERS and channel.organisation_id == user.organisation_id


def _words(matrix: Matrix, role: str) -> dict[str, str]:
    words = {"PmxSecretToken": "a channel's address token", "SECPmxSigningSecret": "a channel's signing secret"}
    for key, channel in matrix.objects["channel"].items():
        if not _sees(matrix, role, channel):
            words[secret(key, "Channel")] = f"channel {key}"
            words[secret(key, "Delivery")] = f"delivery {key}"
            words[secret(key, "DeliveryBody")] = f"delivery {key}"
    return words


def _channel_form(target, matrix: Matrix) -> Payload:
    return Payload(
        {
            "kind": "webhook",
            "name": "PmxNewChannel",
            "url": "http://127.0.0.1:9/hook",
            "secret": "whsec",
            "allowed_hosts": "127.0.0.1",
            "rate_per_minute": "20",
            "burst": "5",
            "digest_window_seconds": "0",
            "is_enabled": "on",
        }
    )


def _channel_json(target, matrix: Matrix) -> Payload:
    return Payload(
        {"kind": "webhook", "name": "PmxApiChannel", "url": "http://127.0.0.1:9/hook", "allowed_hosts": "127.0.0.1"},
        json=True,
    )


describe_app(
    "notifications",
    models={"channel": Channel, "channel_delivery": Delivery},
    build=build,
    rules={"channel": _sees, "channel_delivery": _sees},
    words=_words,
    tables=(Channel, Delivery, Subscription, ChatIdentity),
    pk_models={
        "notifications:channel_detail": "channel",
        "notifications:channel_edit": "channel",
        "notifications:channel_test": "channel",
        "notifications:channel_subscriptions": "channel",
        "notifications:delivery_detail": "channel_delivery",
        "notifications:delivery_retry": "channel_delivery",
        "notifications:chat_identity_person": "user",
    },
    gates={
        "notifications:channel_list": READERS,
        "notifications:channel_detail": READERS,
        "notifications:delivery_list": READERS,
        "notifications:delivery_detail": READERS,
        "notifications:channel_create": MANAGERS,
        "notifications:channel_edit": MANAGERS,
        "notifications:channel_test": MANAGERS,
        "notifications:channel_subscriptions": MANAGERS,
        "notifications:delivery_retry": MANAGERS,
        "api:notification-channel-list": READERS,
        "api:notification-channel-detail": READERS,
        "api:notification-channel-test": READERS,
        "api:channel-delivery-list": READERS,
        "api:channel-delivery-detail": READERS,
        "api:channel-delivery-retry": READERS,
        # Chat IDs: one's own for everyone signed in; other people's for client administrators (the gate's
        # "administer": the people of their organisation, another organisation's person is 404).
        "notifications:chat_identity_people": MANAGERS,
        "notifications:chat_identity_person": MANAGERS,
        "api:chat-identity-list": MANAGERS,
        "api:chat-identity-detail": MANAGERS,
    },
    personal_writes=frozenset({"notifications:chat_identity", "api:chat-identity-me"}),
    payloads={
        ("notifications:channel_create", "post"): _channel_form,
        ("notifications:channel_edit", "post"): _channel_form,
        ("notifications:channel_test", "post"): lambda target, matrix: Payload({}),
        ("notifications:channel_subscriptions", "post"): lambda target, matrix: Payload(
            {"topic": "complaint", "role": "client_admin"}
        ),
        ("notifications:delivery_retry", "post"): lambda target, matrix: Payload({}),
        ("api:notification-channel-list", "post"): _channel_json,
        ("api:notification-channel-detail", "put"): _channel_json,
        ("api:notification-channel-test", "post"): lambda target, matrix: Payload({}, json=True),
        ("api:channel-delivery-retry", "post"): lambda target, matrix: Payload({}, json=True),
        ("notifications:chat_identity", "post"): lambda target, matrix: Payload({"wecom_user_id": "pmxown"}),
        ("notifications:chat_identity_person", "post"): lambda target, matrix: Payload({"wecom_user_id": "pmxother"}),
        ("api:chat-identity-me", "put"): lambda target, matrix: Payload({"wecom_user_id": "pmxown"}, json=True),
        ("api:chat-identity-detail", "put"): lambda target, matrix: Payload({"wecom_user_id": "pmxother"}, json=True),
    },
)
