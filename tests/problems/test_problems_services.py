"""Problem services: creation with its priority, edits, the analysis, transitions and their refusals, audit."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry
from oversight.catalog.services import priority_for
from oversight.core.errors import ApplicationError, Conflict, InvalidTransition, NotAllowed
from oversight.problems import services
from oversight.problems.choices import PROBLEM_MACHINE, ProblemAction, ProblemStatus
from oversight.problems.models import KnownError, Problem


def test_create_numbers_prioritises_and_audits(world, problem):
    first = problem(impact=1, urgency=1)
    second = problem(impact=3, urgency=2)
    assert first.number.endswith("00001") and second.number.endswith("00002")
    assert first.priority == priority_for(organisation=world.org, impact=1, urgency=1) == "P1"
    assert second.priority == priority_for(organisation=world.org, impact=3, urgency=2)
    assert first.status == ProblemStatus.NEW
    assert first.events.get().kind == "created"
    assert AuditEntry.objects.filter(action="problems.problem.created", object_id=str(first.pk)).exists()


@pytest.mark.parametrize("role", ["vendor_manager", "vendor_agent", "requester", "executive", "auditor"])
def test_only_client_operators_create(world, role):
    with pytest.raises(NotAllowed):
        services.problem_create(actor=world.users[role], title="x")


def test_create_refuses_foreign_service_and_mismatched_contract(world, problem):
    with pytest.raises(ApplicationError):
        problem(service=world.foreign_service)
    assert not Problem.objects.exists()


def test_update_recomputes_priority_and_checks_version(world, problem):
    p = problem(impact=3, urgency=3)
    updated = services.problem_update(
        actor=world.users["client_supervisor"], problem=p, expected_version=p.version, impact=1, urgency=2
    )
    assert updated.priority == priority_for(organisation=world.org, impact=1, urgency=2)
    assert updated.version == p.version + 1
    with pytest.raises(Conflict):
        services.problem_update(actor=world.users["client_admin"], problem=p, expected_version=p.version, title="y")


def test_analysis_keeps_five_ordered_whys_and_six_fishbone_categories(world, problem):
    p = problem(vendor=world.vendor)
    whys = [{"why": f"Why {i}?", "answer": f"Because {i}"} for i in range(1, 4)] + [{"why": "", "answer": ""}] * 2
    done = services.problem_update_analysis(
        actor=world.users["vendor_manager"],  # the attributed vendor's manager may analyse
        problem=p,
        five_whys=whys,
        fishbone={"machine": ["Worn roller", " "], "method": ["No cleaning schedule"]},
        root_cause="Rollers never cleaned",
        root_cause_category="hardware",
    )
    assert done.five_whys == whys[:3]
    assert done.fishbone == {"machine": ["Worn roller"], "method": ["No cleaning schedule"]}
    with pytest.raises(ApplicationError):
        services.problem_update_analysis(
            actor=world.users["client_supervisor"], problem=p, five_whys=[{"why": "", "answer": "orphan"}]
        )
    with pytest.raises(ApplicationError):
        services.problem_update_analysis(actor=world.users["client_supervisor"], problem=p, fishbone={"money": ["x"]})
    with pytest.raises(NotAllowed):
        services.problem_update_analysis(actor=world.users["other_vendor_manager"], problem=p, root_cause="x")


def test_full_lifecycle_records_known_error_and_times(world, problem):
    sup = world.users["client_supervisor"]
    p = problem(description="Printers on ward 3 jam every morning")
    for action in (ProblemAction.ASSESS, ProblemAction.ANALYSE):
        p = services.problem_transition(actor=sup, problem=p, action=action)
    with pytest.raises(ApplicationError):
        services.problem_transition(actor=sup, problem=p, action=ProblemAction.RECORD_KNOWN_ERROR)
    p = services.problem_update_analysis(actor=sup, problem=p, root_cause="Damp paper", workaround="Use sealed paper")
    p = services.problem_transition(actor=sup, problem=p, action=ProblemAction.RECORD_KNOWN_ERROR)
    assert p.status == ProblemStatus.KNOWN_ERROR and p.root_cause_found_at is not None
    known = KnownError.objects.get(problem=p)
    assert (known.symptom, known.workaround, known.root_cause) == (
        "Printers on ward 3 jam every morning",
        "Use sealed paper",
        "Damp paper",
    )
    p = services.problem_transition(actor=sup, problem=p, action=ProblemAction.FIX_IN_CHANGE)
    with pytest.raises(ApplicationError):
        services.problem_transition(actor=sup, problem=p, action=ProblemAction.RESOLVE)
    p = services.problem_update_analysis(actor=sup, problem=p, permanent_fix="Dehumidifier in the store room")
    p = services.problem_transition(actor=sup, problem=p, action=ProblemAction.RESOLVE)
    p = services.problem_transition(actor=sup, problem=p, action=ProblemAction.CLOSE)
    assert p.status == ProblemStatus.CLOSED and p.resolved_at and p.closed_at
    with pytest.raises(ApplicationError):
        services.problem_transition(actor=sup, problem=p, action=ProblemAction.REOPEN)
    p = services.problem_transition(actor=sup, problem=p, action=ProblemAction.REOPEN, note="Jams again")
    assert p.status == ProblemStatus.ANALYSIS and p.resolved_at is None and p.closed_at is None
    assert KnownError.objects.filter(problem=p).count() == 1
    statuses = list(p.events.exclude(to_status="").values_list("to_status", flat=True))
    assert statuses == ["assessed", "analysis", "known_error", "fix_in_change", "resolved", "closed", "analysis"]
    assert AuditEntry.objects.filter(action="problems.problem.record_known_error").count() == 1


def test_repeat_is_harmless_and_refusals_are_invalid_transitions(world, problem):
    sup = world.users["client_supervisor"]
    p = services.problem_transition(actor=sup, problem=problem(), action=ProblemAction.ASSESS)
    again = services.problem_transition(actor=world.users["client_admin"], problem=p, action=ProblemAction.ASSESS)
    assert again.version == p.version
    with pytest.raises(InvalidTransition):
        services.problem_transition(actor=sup, problem=p, action=ProblemAction.CLOSE)
    with pytest.raises(NotAllowed):
        services.problem_transition(actor=world.users["vendor_manager"], problem=p, action=ProblemAction.ANALYSE)


def test_cancel_needs_a_reason(world, problem):
    p = problem()
    with pytest.raises(ApplicationError):
        services.problem_transition(actor=world.users["client_supervisor"], problem=p, action=ProblemAction.CANCEL)
    p = services.problem_transition(
        actor=world.users["client_supervisor"], problem=p, action=ProblemAction.CANCEL, note="Duplicate"
    )
    assert p.status == ProblemStatus.CANCELLED and not p.is_open


def test_machine_table_is_complete():
    assert set(PROBLEM_MACHINE.statuses()) == set(ProblemStatus.values)
    assert set(PROBLEM_MACHINE.table) == set(ProblemAction.values)
