"""Rating invitations: issued on resolution (in-app and by e-mail in the requester's language), single-use,
stored hashed, expiring after the configured days, replaced when the work order is resolved again."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.core.errors import InvalidTransition, NotAllowed
from oversight.feedback import services as feedback
from oversight.feedback.models import FeedbackSettings, Rating, RatingInvitation
from oversight.feedback.services import ratings as ratings_services
from oversight.feedback.tasks import send_rating_invitation_email
from oversight.notifications.models import Notification
from oversight.tickets import services as tickets
from tests.factories import UserFactory
from tests.feedback.feedback_support import token_from_mail

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def test_resolving_issues_one_invitation_with_a_hashed_token_and_an_email(
    world, resolve, django_capture_on_commit_callbacks
):
    with clock.frozen_at(T0), django_capture_on_commit_callbacks(execute=True):
        work_order = resolve()
    invitation = RatingInvitation.objects.get(work_order=work_order)
    assert invitation.channel == "link"
    assert invitation.used_at is None and invitation.revoked_at is None
    assert invitation.expires_at == T0 + dt.timedelta(days=14) == work_order.resolved_at + dt.timedelta(days=14)
    # The e-mail carries the token; the database only its SHA-256.
    invitations = [m for m in mail.outbox if "/r/" in m.body]
    assert len(invitations) == 1 and invitations[0].to == [world.users["requester"].email]
    token = token_from_mail(invitations[0])
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not RatingInvitation.objects.filter(token_hash=token).exists()
    assert token not in str(list(AuditEntry.objects.values_list("before", "after")))
    assert token not in str(list(Notification.objects.values_list("subject", "body")))
    assert invitations[0].body.count("http://127.0.0.1:8000/r/") == 1
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None
    # And the in-app notice, once (its dedupe key names the invitation).
    notice = Notification.objects.get(kind="rating_invitation")
    assert notice.recipient == world.users["requester"] and notice.work_order == work_order
    assert notice.dedupe_key == f"feedback:invitation:{invitation.pk}:{world.users['requester'].pk}"
    assert AuditEntry.objects.filter(action="feedback.ratinginvitation.issued", object_id=str(invitation.pk)).exists()


def test_the_email_is_in_the_requesters_language(world, resolve, monkeypatch, django_capture_on_commit_callbacks):
    # Spy on the translation calls: each e-mail text must be rendered with the requester's language active.
    monkeypatch.setattr(ratings_services, "gettext", lambda message: f"[{translation.get_language()}] {message}")
    chinese = UserFactory(username="nurse_zh", organisation=world.org, role="requester", language="zh-hans")
    english = world.users["requester"]
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        resolve(requester=chinese)
        resolve(requester=english)
    by_recipient = {m.to[0]: m for m in mail.outbox if "/r/" in m.body}
    assert set(by_recipient) == {chinese.email, english.email}
    assert by_recipient[chinese.email].subject.startswith("[zh-hans] How did we do?")
    assert by_recipient[chinese.email].body.startswith("[zh-hans] ")
    assert by_recipient[english.email].subject.startswith("[en] How did we do?")


def test_the_email_task_sends_once_and_never_for_a_foreign_token(
    world, resolve, link, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        work_order = resolve()
    invitation = RatingInvitation.objects.get(work_order=work_order)
    token = token_from_mail(next(m for m in mail.outbox if "/r/" in m.body))
    sent = len(mail.outbox)
    assert send_rating_invitation_email(invitation.pk, token) is False  # already e-mailed: redelivery is a no-op
    assert len(mail.outbox) == sent
    other = resolve(title="Other")
    # The other resolution's own notices and link went out after its commit; count from there.
    sent = len(mail.outbox)
    other_invitation = RatingInvitation.objects.get(work_order=other)
    assert send_rating_invitation_email(other_invitation.pk, token) is False  # a token of another invitation
    assert len(mail.outbox) == sent


def test_no_invitation_when_the_requester_works_for_the_vendor(world, resolve):
    work_order = resolve(requester="vendor_agent")
    assert not RatingInvitation.objects.filter(work_order=work_order).exists()


def test_resolving_again_after_a_reopen_replaces_the_invitation(world, resolve, django_capture_on_commit_callbacks):
    work_order = resolve()
    first = RatingInvitation.objects.get(work_order=work_order)
    work_order = tickets.work_order_transition(
        actor=world.users["requester"], work_order=work_order, action="reopen", note="Still broken"
    )
    with django_capture_on_commit_callbacks(execute=True):
        work_order = tickets.work_order_transition(
            actor=world.users["vendor_agent"], work_order=work_order, action="resolve", resolution="Replaced the fuser"
        )
    first.refresh_from_db()
    assert first.revoked_at is not None
    current = RatingInvitation.objects.filter(work_order=work_order, revoked_at__isnull=True).get()
    assert current.pk != first.pk
    assert current.expires_at == work_order.resolved_at + dt.timedelta(days=14)
    assert feedback.invitation_problem(first, clock.now()) == "replaced"
    assert feedback.invitation_problem(current, clock.now()) is None


def test_no_new_invitation_once_rated(world, resolve, rate):
    work_order = resolve()
    rate(work_order, stars=4)
    work_order = tickets.work_order_transition(
        actor=world.users["requester"], work_order=work_order, action="reopen", note="Again"
    )
    tickets.work_order_transition(
        actor=world.users["vendor_agent"], work_order=work_order, action="resolve", resolution="Done"
    )
    assert not RatingInvitation.objects.filter(work_order=work_order, used_at__isnull=True, revoked_at__isnull=True)


def test_link_validity_follows_the_setting_and_the_organisations_own_value(world, resolve, settings):
    settings.OVERSIGHT_RATING_LINK_DAYS = 3
    with clock.frozen_at(T0):
        work_order = resolve()
    assert RatingInvitation.objects.get(work_order=work_order).expires_at == T0 + dt.timedelta(days=3)
    FeedbackSettings.objects.create(organisation=world.org, rating_link_days=30)
    with clock.frozen_at(T0):
        other = resolve(title="Second")
    assert RatingInvitation.objects.get(work_order=other).expires_at == T0 + dt.timedelta(days=30)


def test_only_the_requester_gets_more_links_and_only_while_rating_is_open(world, resolve):
    with clock.frozen_at(T0):
        work_order = resolve()
    for role in ("vendor_agent", "vendor_manager", "client_supervisor", "requester_2"):
        with pytest.raises(NotAllowed):
            feedback.rating_link_for_requester(actor=world.users[role], work_order=work_order)
    with clock.frozen_at(T0 + dt.timedelta(days=1)):
        issued = feedback.rating_link_for_requester(actor=world.users["requester"], work_order=work_order, channel="qr")
    assert issued.invitation.channel == "qr"
    assert issued.invitation.expires_at == T0 + dt.timedelta(days=14)  # the same deadline, not extended
    with clock.frozen_at(T0 + dt.timedelta(days=14)), pytest.raises(feedback.RatingLinkError) as exc:
        feedback.rating_link_for_requester(actor=world.users["requester"], work_order=work_order)
    assert exc.value.reason == "expired"
    open_order = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="Open")
    with pytest.raises(InvalidTransition):
        feedback.rating_link_for_requester(actor=world.users["requester"], work_order=open_order)


def test_repeated_rate_clicks_reuse_the_open_invitation_of_the_channel(world, resolve):
    with clock.frozen_at(T0):
        work_order = resolve()
    requester = world.users["requester"]
    before = RatingInvitation.objects.filter(work_order=work_order).count()  # the e-mail invitation of the resolve
    with clock.frozen_at(T0 + dt.timedelta(hours=1)):
        first = feedback.rating_link_for_requester(actor=requester, work_order=work_order)
        again = feedback.rating_link_for_requester(actor=requester, work_order=work_order)
        third = feedback.rating_link_for_requester(actor=requester, work_order=work_order)
    assert first.invitation.pk == again.invitation.pk == third.invitation.pk
    assert RatingInvitation.objects.filter(work_order=work_order).count() == before + 1
    assert len({first.token, again.token, third.token}) == 3  # only hashes are stored: each click a new token
    assert AuditEntry.objects.filter(action="feedback.ratinginvitation.reissued").count() == 2
    # The newest token rates; the replaced ones are unknown.
    with clock.frozen_at(T0 + dt.timedelta(hours=2)):
        with pytest.raises(feedback.RatingLinkError) as refused:
            feedback.rating_submit(token=first.token, stars=4)
        assert refused.value.reason == "invalid"
        feedback.rating_submit(token=third.token, stars=4)
    assert Rating.objects.get(work_order=work_order).stars == 4
