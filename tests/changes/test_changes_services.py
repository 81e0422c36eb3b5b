"""Change services: creation with its number and risk, the three paths through the state machine by type,
refusals, the review, edits with optimistic versions, the template catalogue, audit and timeline."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry
from oversight.changes import services
from oversight.changes.choices import ChangeAction, ChangeStatus, ChangeType, ReviewOutcome, RiskLevel
from oversight.changes.models import Change
from oversight.core.errors import ApplicationError, Conflict, InvalidTransition, NotAllowed


def test_create_numbers_scores_risk_and_audits(world, change):
    first = change(expected_outage_minutes=45, services=[world.service, world.other_service])
    second = change(type=ChangeType.EMERGENCY, backout_plan="")
    assert first.number == f"CHG-GH{first.created_at.year}00001" and second.number.endswith("00002")
    # normal 1 + 45 min 2 + two services 1 + no test plan 1 = 5: high (no questionnaire).
    assert (first.risk_rule_score, first.risk_rule_level, first.risk_level) == (5, RiskLevel.HIGH, RiskLevel.HIGH)
    assert first.risk_questionnaire_level is None
    assert {f["code"]: f["points"] for f in first.risk_rule_factors}["outage"] == 2
    # emergency 3 + no backout 2 + no test 1 = 6: high.
    assert second.risk_rule_score == 6
    assert first.status == ChangeStatus.NEW and first.requested_by == world.users["vendor_agent"]
    assert first.events.get().kind == "created"
    assert set(first.services.all()) == {world.service, world.other_service}
    assert AuditEntry.objects.filter(action="changes.change.created", object_id=str(first.pk)).exists()


def test_questionnaire_raises_the_risk_above_the_rules(world, change):
    answers = {"reach": 3, "clinical": 3, "experience": 2, "backout": 2, "complexity": 1}
    # Rules: normal 1 + no test 1 = 2, low. Questionnaire: 9 + 9 + 4 + 4 + 1 = 27 of 33 = 81.8 %: very high.
    c = change(risk_answers=answers)
    assert (c.risk_rule_level, c.risk_questionnaire_level, c.risk_level) == (1, 4, 4)
    assert str(c.risk_questionnaire_percent) == "81.8"
    cleared = services.change_assess_risk(actor=world.users["client_supervisor"], change=c, answers={})
    assert (cleared.risk_questionnaire_level, cleared.risk_level) == (None, RiskLevel.LOW)
    assert cleared.events.last().kind == "risk"
    with pytest.raises(ApplicationError):
        services.change_assess_risk(actor=world.users["client_supervisor"], change=c, answers={"reach": 1})


@pytest.mark.parametrize("role", ["requester", "executive", "auditor", "other_vendor_agent", "foreign_admin"])
def test_who_may_not_request(world, role):
    with pytest.raises(NotAllowed):
        services.change_create(actor=world.users[role], title="x", implementer=world.vendor)
    assert not Change.objects.exists()


def test_create_refuses_foreign_services_and_another_vendors_contract(world, change):
    with pytest.raises(ApplicationError):
        change(services=[world.foreign_service])
    with pytest.raises(ApplicationError):
        change(planned_start=None, planned_end=None, title="")
    assert not Change.objects.exists()


def _go(change, actor, *actions, **kwargs):
    for action in actions:
        change = services.change_transition(actor=actor, change=change, action=action, **kwargs)
    return change


def test_normal_change_full_path(world, change, window):
    sup, agent = world.users["client_supervisor"], world.users["vendor_agent"]
    c = change()
    with pytest.raises(InvalidTransition):  # a normal change is assessed before it is authorised
        _go(c, sup, ChangeAction.AUTHORISE)
    c = _go(c, sup, ChangeAction.ASSESS, ChangeAction.AUTHORISE)
    assert c.authorised_at is not None
    with pytest.raises(ApplicationError):  # no window yet
        _go(c, world.users["vendor_manager"], ChangeAction.SCHEDULE)
    start, end = window()
    c = services.change_update(actor=sup, change=c, planned_start=start, planned_end=end)
    with pytest.raises(NotAllowed):  # the vendor's agent does not schedule
        _go(c, agent, ChangeAction.SCHEDULE)
    c = _go(c, world.users["vendor_manager"], ChangeAction.SCHEDULE)
    c = _go(c, agent, ChangeAction.START, ChangeAction.COMPLETE)
    assert c.status == ChangeStatus.REVIEW and c.actual_start and c.actual_end
    with pytest.raises(ApplicationError):  # closing needs the review's outcome
        _go(c, sup, ChangeAction.CLOSE)
    with pytest.raises(ApplicationError):  # a failure needs words
        services.change_review(actor=sup, change=c, outcome=ReviewOutcome.FAILED)
    with pytest.raises(NotAllowed):
        services.change_review(actor=agent, change=c, outcome=ReviewOutcome.SUCCESSFUL)
    c = services.change_review(actor=sup, change=c, outcome=ReviewOutcome.WITH_ISSUES, notes="Ward 3 down 10 min")
    c = _go(c, sup, ChangeAction.CLOSE)
    assert c.status == ChangeStatus.CLOSED and c.closed_at is not None
    kinds = list(c.events.values_list("kind", "to_status"))
    assert [k for k in kinds if k[0] == "status_changed"] == [
        ("status_changed", s) for s in ("assessed", "authorised", "scheduled", "implementing", "review", "closed")
    ]
    assert AuditEntry.objects.filter(action="changes.change.authorise", object_id=str(c.pk)).count() == 1


def test_emergency_skips_assessment(world, change):
    sup = world.users["client_supervisor"]
    c = change(type=ChangeType.EMERGENCY)
    with pytest.raises(InvalidTransition):
        _go(c, sup, ChangeAction.ASSESS)
    assert _go(c, sup, ChangeAction.AUTHORISE).status == ChangeStatus.AUTHORISED


def test_standard_skips_assessment_and_authorisation(world, change, template, window):
    sup = world.users["client_supervisor"]
    start, end = window()
    c = change(
        type=ChangeType.STANDARD,
        template=template,
        implementation_plan="",
        backout_plan="",
        services=[],
        planned_start=start,
        planned_end=end,
    )
    assert c.implementation_plan == template.implementation_plan and c.expected_outage_minutes == 5
    assert list(c.services.all()) == [world.service]
    for action in (ChangeAction.ASSESS, ChangeAction.AUTHORISE, ChangeAction.RECORD_UNAUTHORISED):
        with pytest.raises(InvalidTransition):
            _go(c, sup, action, note="why")
    with pytest.raises(InvalidTransition):
        _go(c, sup, ChangeAction.REJECT, note="no")
    assert _go(c, world.users["vendor_manager"], ChangeAction.SCHEDULE).status == ChangeStatus.SCHEDULED


def test_standard_needs_an_active_template_of_the_vendor(world, change, template):
    with pytest.raises(ApplicationError):
        change(type=ChangeType.STANDARD)
    with pytest.raises(ApplicationError):
        change(type=ChangeType.NORMAL, template=template)
    template = services.change_template_update(
        actor=world.users["client_admin"], template=template, vendor=world.other_vendor
    )
    with pytest.raises(ApplicationError):
        change(type=ChangeType.STANDARD, template=template)
    template = services.change_template_update(
        actor=world.users["client_admin"], template=template, vendor=None, active=False
    )
    with pytest.raises(ApplicationError):
        change(type=ChangeType.STANDARD, template=template)


def test_template_catalogue_is_kept_by_client_operators(world, template):
    with pytest.raises(NotAllowed):
        services.change_template_create(
            actor=world.users["vendor_manager"], name="x", implementation_plan="a", backout_plan="b"
        )
    with pytest.raises(ApplicationError):
        services.change_template_create(
            actor=world.users["client_admin"], name=template.name, implementation_plan="a", backout_plan="b"
        )
    with pytest.raises(ApplicationError):
        services.change_template_create(
            actor=world.users["client_admin"], name="No backout", implementation_plan="a", backout_plan=""
        )
    assert AuditEntry.objects.filter(action="changes.changetemplate.created").count() == 1


def test_reject_cancel_and_unauthorised_need_a_reason(world, change):
    sup = world.users["client_supervisor"]
    c = change()
    for action in (ChangeAction.REJECT, ChangeAction.CANCEL, ChangeAction.RECORD_UNAUTHORISED):
        with pytest.raises(ApplicationError):
            _go(c, sup, action)
    c = _go(c, sup, ChangeAction.RECORD_UNAUTHORISED, note="Switch swapped on Sunday without approval")
    assert c.status == ChangeStatus.IMPLEMENTING and c.unauthorised and c.actual_start
    with pytest.raises(InvalidTransition):  # never a harmless repeat
        _go(c, sup, ChangeAction.RECORD_UNAUTHORISED, note="again")
    rejected = _go(change(), sup, ChangeAction.REJECT, note="Too risky before the audit")
    assert rejected.status == ChangeStatus.REJECTED and rejected.closed_at
    assert rejected.events.last().body == "Too risky before the audit"


def test_repeat_is_harmless(world, change):
    sup = world.users["client_supervisor"]
    c = _go(change(), sup, ChangeAction.ASSESS)
    again = _go(c, world.users["client_admin"], ChangeAction.ASSESS)
    assert again.version == c.version
    assert AuditEntry.objects.filter(action="changes.change.assess").count() == 1


def test_update_checks_version_recomputes_risk_and_freezes_vendor_edits(world, change):
    sup, agent = world.users["client_supervisor"], world.users["vendor_agent"]
    c = change(test_plan="Ping the ward")  # normal 1: low
    assert c.risk_rule_score == 1
    updated = services.change_update(actor=agent, change=c, expected_version=c.version, backout_plan="")
    assert updated.risk_rule_score == 3 and updated.risk_level == RiskLevel.MEDIUM  # + no backout 2
    assert updated.version == c.version + 1
    with pytest.raises(Conflict):
        services.change_update(actor=sup, change=c, expected_version=c.version, title="y")
    with pytest.raises(ApplicationError):
        services.change_update(actor=sup, change=c, status="closed")
    updated = services.change_update(actor=sup, change=c, backout_plan="Restore", services=[])
    assert updated.services.count() == 0
    c = _go(updated, sup, ChangeAction.ASSESS, ChangeAction.AUTHORISE)
    with pytest.raises(NotAllowed):
        services.change_update(actor=agent, change=c, title="Changed after the CAB")
    with pytest.raises(NotAllowed):
        services.change_update(actor=world.users["other_vendor_manager"], change=c, title="x")
    assert AuditEntry.objects.filter(action="changes.change.updated", object_id=str(c.pk)).count() == 2
