"""Who hears of an improvement's approval: the approver when it waits (in-app, e-mail under the improvements topic,
and the group-chat channel they subscribed), every client operator while none is named, the owner when it is
approved or rejected; each notice once, in the reader's language, never to the person who acted."""

from __future__ import annotations

import pytest
from django.core import mail

from oversight.improvement import notices, services
from oversight.improvement.choices import ItemStatus
from oversight.notifications.channels.models import Delivery, Subscription
from oversight.notifications.channels.services import channel_create
from oversight.notifications.choices import Topic, topic_of
from oversight.notifications.models import EmailPreference, Notification
from tests.improvement.conftest import raise_item
from tests.notifications.channel_sinks import running


def assessed(world, item, actor=None):
    actor = actor or world.users["client_supervisor"]
    item = services.item_transition(actor=actor, item=item, action="accept")
    return services.item_transition(actor=actor, item=item, action="assess")


def notices_of(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(kind=kind) if kind else qs


def test_the_kinds_fall_under_the_improvements_topic():
    for kind in ("improvement_approval_needed", notices.NOTIFY_APPROVED, notices.NOTIFY_REJECTED):
        assert topic_of(kind) == Topic.IMPROVEMENT


def test_the_approver_is_told_once_when_the_item_waits_and_the_owner_when_it_is_approved(
    world, django_capture_on_commit_callbacks
):
    admin, vm = world.users["client_admin"], world.users["vendor_manager"]
    admin.email, admin.language = "admin@example.org", "en"
    admin.save(update_fields=["email", "language"])
    vm.email, vm.language = "vm@example.org", "zh-hans"
    vm.save(update_fields=["email", "language"])
    item = raise_item(world, owner=vm)
    with django_capture_on_commit_callbacks(execute=True):
        item = assessed(world, item)
    assert item.status == ItemStatus.ASSESSED
    [notice] = notices_of(admin, "improvement_approval_needed")
    assert notice.subject == f"Improvement {item.number} awaits your approval: Faster printer repairs"
    assert notice.url == item.get_absolute_url()
    assert [m.to for m in mail.outbox] == [["admin@example.org"]]
    assert not notices_of(vm).exists() and not notices_of(world.users["client_supervisor"]).exists()
    # Asking again (a repeated call, a redelivered task) makes nothing new.
    assert notices.approval_requested(item=item, actor=None) == 0
    assert notices_of(admin).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        item = services.item_transition(actor=admin, item=item, action="approve")
    [told] = notices_of(vm, notices.NOTIFY_APPROVED)
    assert told.subject == f"改进项 {item.number} 已批准：Faster printer repairs"
    assert notices_of(admin).count() == 1  # the approver is not told of their own decision
    assert [m.to for m in mail.outbox][-1] == ["vm@example.org"]
    assert notices.decision_told(item=item, action="approve", actor=admin) is False
    assert notices_of(vm).count() == 1


def test_without_an_approver_every_client_operator_but_the_actor_is_asked_and_a_named_one_later(world):
    vm = world.users["vendor_manager"]
    admin, supervisor = world.users["client_admin"], world.users["client_supervisor"]
    item = raise_item(world, actor=vm, owner=vm, vendor=None, approver=None)
    item = assessed(world, item, actor=supervisor)
    assert notices_of(admin, "improvement_approval_needed").count() == 1
    assert not notices_of(supervisor).exists()
    assert not Notification.objects.filter(recipient=world.users["foreign_admin"]).exists()
    item = services.item_update(actor=admin, item=item, approver=supervisor)
    assert notices_of(supervisor, "improvement_approval_needed").count() == 1
    assert notices_of(admin).count() == 1


def test_a_rejection_tells_the_owner_the_reason_and_respects_their_email_choice(
    world, django_capture_on_commit_callbacks
):
    admin, vm = world.users["client_admin"], world.users["vendor_manager"]
    vm.email, vm.language = "vm@example.org", "en"
    vm.save(update_fields=["email", "language"])
    EmailPreference.objects.create(user=vm, topic=Topic.IMPROVEMENT, email=False)
    item = assessed(world, raise_item(world, owner=vm))
    with django_capture_on_commit_callbacks(execute=True):
        services.item_transition(actor=admin, item=item, action="reject", note="Spare fusers are not in the contract.")
    [told] = notices_of(vm, notices.NOTIFY_REJECTED)
    assert told.subject == f"Improvement {item.number} was rejected: Faster printer repairs"
    assert told.body == "Reason: Spare fusers are not in the contract."
    assert "vm@example.org" not in [address for m in mail.outbox for address in m.to]


@pytest.fixture
def sink():
    with running("wecom") as receiver:
        yield receiver


def test_the_approver_subscribed_to_improvements_gets_a_group_chat_message(world, sink):
    admin = world.users["client_admin"]
    channel = channel_create(
        actor=admin,
        organisation=world.org,
        url=sink.url,
        secret="",
        kind="wecom",
        name="improvement robot",
        allowed_hosts="127.0.0.1",
    )
    Subscription.objects.create(channel=channel, user=admin, topic=Topic.IMPROVEMENT, created_at=channel.created_at)
    item = assessed(world, raise_item(world, owner=world.users["vendor_manager"]))
    [delivery] = Delivery.objects.filter(channel=channel)
    assert item.number in delivery.title
    assert delivery.message["url"].endswith(item.get_absolute_url())
