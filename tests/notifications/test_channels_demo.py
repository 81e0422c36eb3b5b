"""The demo channel: a 钉钉 robot at the local test receiver, its subscriptions and a log with a dead letter;
loading twice changes nothing."""

from __future__ import annotations

from oversight.notifications.channels import crypto
from oversight.notifications.channels.demo import CHANNEL_NAME, SINK_SECRET, SINK_URL, load_demo_channels
from oversight.notifications.channels.models import Channel, Delivery, Subscription


def test_demo_channel_is_loaded_once_with_a_log(world):
    channel = load_demo_channels(world.org)
    assert channel.name == CHANNEL_NAME and channel.kind == "dingtalk" and channel.host == "127.0.0.1"
    assert crypto.decrypt(channel.endpoint_secret) == SINK_URL
    assert crypto.decrypt(channel.signing_secret) == SINK_SECRET
    assert set(Subscription.objects.values_list("topic", "role", "digest")) == {
        ("sla_breach", "client_supervisor", False),
        ("complaint", "client_supervisor", True),
    }
    statuses = sorted(Delivery.objects.values_list("status", "attempts"))
    assert statuses == [("dead", 5), ("failed", 1), ("failed", 1)]
    assert load_demo_channels(world.org) is None
    assert Channel.objects.count() == 1 and Delivery.objects.count() == 3
