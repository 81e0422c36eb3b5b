"""Feedback reacts to the resolution event: one rating link per resolution, however often the event arrives."""

from __future__ import annotations

from django.core import mail

from oversight.core.events import handler_path, handlers_for
from oversight.core.tasks import run_event_handler
from oversight.feedback.handlers import issue_rating_link
from oversight.feedback.models import RatingInvitation
from oversight.notifications.models import Notification
from oversight.tickets import services as tickets
from oversight.tickets.events import WORK_ORDER_RESOLVED


def _redeliver(work_order, invitation) -> None:
    """Run the feedback handler again through the task, with the same event, as a worker retry would."""
    payload = {"work_order_id": work_order.pk, "actor_id": None, "event_id": invitation.event_id}
    run_event_handler.apply(args=(WORK_ORDER_RESOLVED.name, handler_path(issue_rating_link), payload), throw=True)


def test_feedback_handles_the_resolution_event():
    assert handler_path(issue_rating_link) in {handler_path(f) for f in handlers_for(WORK_ORDER_RESOLVED.name)}


def test_the_rating_link_is_issued_after_commit_only(world, resolve, django_capture_on_commit_callbacks):
    work_order = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="Lamp")
    agent = world.users["vendor_agent"]
    work_order = tickets.work_order_transition(actor=agent, work_order=work_order, action="accept")
    with django_capture_on_commit_callbacks(execute=True):
        work_order = tickets.work_order_transition(
            actor=agent, work_order=work_order, action="resolve", resolution="Bulb"
        )
        assert not RatingInvitation.objects.filter(work_order=work_order).exists()  # nothing before the commit
    invitation = RatingInvitation.objects.get(work_order=work_order)
    assert invitation.event_id and invitation.created_by is None


def test_an_event_delivered_twice_issues_one_link_one_notice_and_one_email(world, resolve):
    work_order = resolve()
    invitation = RatingInvitation.objects.get(work_order=work_order)
    emails = [m for m in mail.outbox if "/r/" in m.body]
    assert len(emails) == 1
    _redeliver(work_order, invitation)
    _redeliver(work_order, invitation)
    assert RatingInvitation.objects.filter(work_order=work_order).count() == 1
    invitation.refresh_from_db()
    assert invitation.revoked_at is None  # the redelivery did not replace the link it had issued
    assert Notification.objects.filter(kind="rating_invitation", work_order=work_order).count() == 1
    assert len([m for m in mail.outbox if "/r/" in m.body]) == 1


def test_a_late_event_for_a_work_order_reopened_since_issues_nothing(world, resolve):
    work_order = resolve()
    invitation = RatingInvitation.objects.get(work_order=work_order)
    tickets.work_order_transition(
        actor=world.users["requester"], work_order=work_order, action="reopen", note="Still broken"
    )
    payload = {"work_order_id": work_order.pk, "actor_id": None, "event_id": "a-later-resolution"}
    run_event_handler.apply(args=(WORK_ORDER_RESOLVED.name, handler_path(issue_rating_link), payload), throw=True)
    assert list(RatingInvitation.objects.filter(work_order=work_order)) == [invitation]
