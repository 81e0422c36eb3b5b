"""Overdue reviews and mitigations: listed by the selectors, notified to their owners once per overdue
episode (running the sweep twice sends nothing new; a new review date starts a new episode)."""

from __future__ import annotations

import datetime as dt

from oversight.core import clock
from oversight.notifications.models import Notification
from oversight.risks import selectors, services
from oversight.risks.tasks import notify_overdue_risk_work


def test_overdue_reviews_and_mitigations_are_listed_and_notified_once(world, make_risk):
    supervisor, admin = world.users["client_supervisor"], world.users["client_admin"]
    now = clock.now()
    late = make_risk(title="Late", owner=admin, next_review_date=dt.date(2026, 1, 5))
    make_risk(title="On time", next_review_date=dt.date(2099, 1, 1))
    closed = make_risk(title="Closed", next_review_date=dt.date(2026, 1, 5))
    services.risk_transition(actor=supervisor, risk=closed, action="close", note="Gone")
    overdue_mitigation = services.mitigation_create(
        actor=supervisor, title="Backup link", owner=supervisor, due_date=dt.date(2026, 2, 1), risks=[late]
    )
    services.mitigation_create(actor=supervisor, title="Future", owner=supervisor, due_date=dt.date(2099, 1, 1))
    done = services.mitigation_create(actor=supervisor, title="Done", owner=supervisor, due_date=dt.date(2026, 2, 1))
    services.mitigation_transition(actor=supervisor, mitigation=done, action="complete")

    assert [r.title for r in selectors.risks_review_overdue(user=supervisor)] == ["Late"]
    assert list(selectors.mitigations_overdue(user=supervisor)) == [overdue_mitigation]
    listed = selectors.risk_filter(
        selectors.risk_list(user=supervisor), user=supervisor, filters={"overdue": "mitigation"}
    )
    assert list(listed) == [late]

    assert notify_overdue_risk_work() == 2
    assert notify_overdue_risk_work() == 0
    assert Notification.objects.filter(recipient=admin, kind="risk_review_overdue").count() == 1
    assert Notification.objects.filter(recipient=supervisor, kind="risk_mitigation_overdue").count() == 1

    # Reviewed, then overdue again with a new date: a new episode, notified once more.
    services.risk_review_record(actor=admin, risk=late, still_valid=True)
    assert notify_overdue_risk_work() == 0
    services.risk_update(actor=admin, risk=late, next_review_date=dt.date(2026, 3, 1))
    assert notify_overdue_risk_work() == 1
    assert Notification.objects.filter(recipient=admin, kind="risk_review_overdue").count() == 2
    assert now <= clock.now()


def test_the_sweep_of_one_organisation_leaves_the_others(world, make_risk):
    make_risk(next_review_date=dt.date(2026, 1, 5))
    assert services.overdue_notify(organisation=world.other_org) == 0
    assert services.overdue_notify(organisation=world.org) == 1


def test_a_reopened_risk_already_past_its_review_notifies_its_owner_once(
    world, make_risk, django_capture_on_commit_callbacks
):
    from oversight.risks.handlers import notify_overdue_on_reopen

    admin = world.users["client_admin"]
    risk = make_risk(owner=admin, next_review_date=dt.date(2026, 1, 5))
    services.risk_transition(actor=admin, risk=risk, action="close", note="Vendor replaced")
    assert not Notification.objects.filter(kind="risk_review_overdue").exists()  # closed: not overdue
    with django_capture_on_commit_callbacks(execute=True):
        services.risk_transition(actor=admin, risk=risk, action="reopen", note="Back again")
    assert Notification.objects.filter(recipient=admin, kind="risk_review_overdue").count() == 1
    # The handler run again (a retried task) sends nothing new.
    notify_overdue_on_reopen(
        risk_id=risk.pk, actor_id=admin.pk, action="reopen", from_status="closed", to_status="identified", event_id="x"
    )
    assert Notification.objects.filter(recipient=admin, kind="risk_review_overdue").count() == 1


def test_risk_notices_have_their_own_e_mail_topic(world, make_risk):
    from oversight.notifications.choices import Topic, topic_of
    from oversight.notifications.models import EmailPreference
    from oversight.notifications.services import email_wanted
    from oversight.risks.choices import NOTIFY_CONTINGENCY_OPENED, NOTIFY_MITIGATION_OVERDUE, NOTIFY_REVIEW_OVERDUE

    kinds = (NOTIFY_REVIEW_OVERDUE, NOTIFY_MITIGATION_OVERDUE, NOTIFY_CONTINGENCY_OPENED)
    assert {topic_of(kind) for kind in kinds} == {Topic.RISK}
    admin = world.users["client_admin"]
    EmailPreference.objects.create(user=admin, topic=Topic.RISK, email=False)
    assert not email_wanted(user=admin, kind=NOTIFY_REVIEW_OVERDUE)
    assert email_wanted(user=admin, kind="work_order_assigned")
    make_risk(owner=admin, next_review_date=dt.date(2026, 1, 5))
    assert services.overdue_notify(organisation=world.org) == 1  # still noticed in the app
