"""The workflow of a period: publish, dispute (accept recomputes exactly as computed by hand, reject changes
nothing), sign by the client then the vendor, lock; frozen periods refuse every change; revisions; manual values
through the rules' edges; the dispute window; the timeline and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.catalog import services as catalog_services
from oversight.catalog.choices import HolidaySource
from oversight.core import clock
from oversight.core.errors import ApplicationError, InvalidTransition
from oversight.scorecards import services
from oversight.scorecards.models import Dispute, EvaluationPeriod, Evidence, Exclusion, ManualEntry, PeriodEvent
from oversight.tickets import services as tickets
from tests.scorecards.conftest import EVAL_AT, T0, open_period

D = Decimal
HOUR = dt.timedelta(hours=1)


def at(hours: float):
    return clock.frozen_at(EVAL_AT + dt.timedelta(hours=hours))


def publish(world, period, hours=1):
    with at(hours):
        return services.period_publish(period=period, actor=world.users["client_supervisor"])


def reload(period) -> EvaluationPeriod:
    return EvaluationPeriod.objects.get(pk=period.pk)


def test_publish_opens_the_dispute_window_and_is_harmless_to_repeat(world, q3):
    period = publish(world, q3)
    assert period.status == "published"
    assert period.published_at == EVAL_AT + HOUR
    assert period.dispute_deadline == EVAL_AT + HOUR + dt.timedelta(days=5)
    again = publish(world, period, hours=2)
    assert again.published_at == EVAL_AT + HOUR
    assert PeriodEvent.objects.filter(period=q3, to_status="published").count() == 1
    assert AuditEntry.objects.filter(action="scorecards.evaluationperiod.published", object_id=str(q3.pk)).count() == 1


def test_accepting_a_work_order_dispute_recomputes_the_score_exactly(world, q3, fixture_data):
    period = publish(world, q3)
    b = fixture_data.wo["B"]
    with at(2):
        dispute = services.dispute_open(
            period=period,
            actor=world.users["vendor_manager"],
            indicator_code="response",
            work_order=b,
            reason="The requester's phone number was wrong.",
            files=[SimpleUploadedFile("calls.txt", b"10:02 no answer\n", "text/plain")],
        )
    assert reload(q3).status == "disputed"
    assert Evidence.objects.get(dispute=dispute).original_name == "calls.txt"
    with at(3):
        services.dispute_accept(dispute=dispute, actor=world.users["client_supervisor"], reason="Checked the call log.")
    period = reload(q3)
    # Response without B: 3 of 4 = 75 % -> 75 pts x 40 % = 30 (was 24): 60.333... + 6 = 66.333...
    response = period.results.get(code="response")
    assert (response.numerator, response.denominator, response.value) == (3, 4, 75)
    assert response.excluded_ids == [b.pk]
    assert b.pk not in response.denominator_ids
    assert period.total_score == D("66.33")
    # The exclusion is per indicator source: resolution timeliness still counts B.
    assert b.pk in period.results.get(code="resolution").denominator_ids
    # And it applies to the commitment measured by the same source.
    assert period.commitment_results.get(code="response").measured_value == D("75")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.score_before, dispute.score_after) == ("accepted", D("60.33"), D("66.33"))
    assert Exclusion.objects.get(period=period).work_order == b
    assert period.status == "published"  # the last open dispute was decided


def test_accepting_a_complaint_dispute_excludes_the_work_orders_complaints(world, q3, fixture_data):
    period = publish(world, q3)
    with at(2):
        dispute = services.dispute_open(
            period=period,
            actor=world.users["vendor_manager"],
            indicator_code="complaints",
            work_order=fixture_data.wo["B"],
            reason="Not our fault.",
        )
    with at(3):
        services.dispute_accept(dispute=dispute, actor=world.users["client_supervisor"], reason="Agreed.")
    period = reload(q3)
    assert period.results.get(code="complaints").value == 0
    assert period.total_score == D("65.33")  # the complaints indicator back to 10 of 10 (+5)


def test_rejecting_a_dispute_changes_no_figure(world, q3, fixture_data):
    period = publish(world, q3)
    with at(2):
        dispute = services.dispute_open(
            period=period, actor=world.users["vendor_manager"], indicator_code="resolution", reason="Too strict."
        )
    with at(3), pytest.raises(ApplicationError):
        services.dispute_reject(dispute=dispute, actor=world.users["client_supervisor"], reason="  ")
    with at(3):
        services.dispute_reject(dispute=dispute, actor=world.users["client_supervisor"], reason="As agreed.")
    period = reload(q3)
    dispute.refresh_from_db()
    assert (dispute.status, dispute.decision_reason) == ("rejected", "As agreed.")
    assert period.total_score == D("60.33")
    assert period.status == "published"
    events = PeriodEvent.objects.filter(period=q3).count()
    services.dispute_reject(dispute=dispute, actor=world.users["client_supervisor"], reason="again")  # harmless
    assert PeriodEvent.objects.filter(period=q3).count() == events
    with pytest.raises(InvalidTransition):
        services.dispute_accept(dispute=dispute, actor=world.users["client_supervisor"], reason="changed my mind")


def test_the_period_stays_disputed_until_every_dispute_is_decided(world, q3, fixture_data):
    period = publish(world, q3)
    with at(2):
        first = services.dispute_open(
            period=period, actor=world.users["vendor_manager"], indicator_code="resolution", reason="one"
        )
        second = services.dispute_open(
            period=period, actor=world.users["vendor_manager"], indicator_code="csat", reason="two"
        )
    with at(3):
        services.dispute_reject(dispute=first, actor=world.users["client_supervisor"], reason="no")
    assert reload(q3).status == "disputed"
    with pytest.raises(InvalidTransition):
        services.period_sign(period=reload(q3), actor=world.users["client_supervisor"])
    with at(4):
        services.dispute_reject(dispute=second, actor=world.users["client_supervisor"], reason="no")
    assert reload(q3).status == "published"


def test_a_work_order_dispute_must_name_a_work_order_behind_the_figure(world, q3, fixture_data):
    period = publish(world, q3)
    with at(2), pytest.raises(ApplicationError) as exc:
        services.dispute_open(
            period=period,
            actor=world.users["vendor_manager"],
            indicator_code="response",
            work_order=fixture_data.wo["F"],  # cancelled: not counted
            reason="x",
        )
    assert exc.value.code == "work_order_not_counted"
    with at(2), pytest.raises(ApplicationError) as exc:
        services.dispute_open(period=period, actor=world.users["vendor_manager"], indicator_code="nope", reason="x")
    assert exc.value.code == "unknown_indicator"


def test_no_dispute_after_the_window(world, q3, fixture_data):
    period = publish(world, q3)
    with clock.frozen_at(period.dispute_deadline), pytest.raises(ApplicationError) as exc:
        services.dispute_open(
            period=period, actor=world.users["vendor_manager"], indicator_code="response", reason="late"
        )
    assert exc.value.code == "dispute_window_closed"


def test_the_dispute_window_counts_working_days_of_a_business_calendar(world, contract):
    office = catalog_services.calendar_create(
        actor=None,
        organisation=world.org,
        name="Office",
        time_zone="Asia/Shanghai",
        holiday_source=HolidaySource.NONE,
        weekly={d: [(480, 1020)] for d in range(5)},
    )
    scheme = services.scheme_version_create(
        contract=contract,
        actor=world.users["client_admin"],
        settings=services.SchemeSettings(name="Office days", dispute_window_days=3, dispute_calendar=office),
        indicators=[
            services.IndicatorInput(
                code="r",
                name="R",
                dimension="processes",
                weight=D(100),
                source="response_timeliness",
                rule={"kind": "linear", "full_at": "100", "zero_at": "0"},
                missing_policy="full",
            )
        ],
    )
    # Published on Friday 2 October 2026, 15:00 in Shanghai: Mon 5, Tue 6, Wed 7 are the three working days.
    published = dt.datetime(2026, 10, 2, 7, 0, tzinfo=dt.UTC)
    deadline = services.dispute_deadline_for(scheme, published)
    assert deadline == dt.datetime(2026, 10, 7, 16, 0, tzinfo=dt.UTC)  # Thursday 8 October, 00:00 in Shanghai


def test_sign_client_then_vendor_then_lock(world, q3):
    period = publish(world, q3)
    with at(2):
        period = services.period_sign(period=period, actor=world.users["client_supervisor"])
    assert (period.status, period.client_signed_by) == ("signed_client", world.users["client_supervisor"])
    with at(3):
        period = services.period_sign(period=period, actor=world.users["vendor_manager"])
    assert (period.status, period.vendor_signed_by) == ("signed", world.users["vendor_manager"])
    with at(4):
        period = services.period_lock(period=period, actor=world.users["client_admin"])
    assert period.status == "locked"
    assert period.locked_at == EVAL_AT + 4 * HOUR
    kinds = list(PeriodEvent.objects.filter(period=q3).values_list("to_status", flat=True))
    assert [k for k in kinds if k] == ["draft", "published", "signed_client", "signed", "locked"]


def test_a_dispute_after_the_client_signed_withdraws_the_signature(world, q3, fixture_data):
    period = publish(world, q3)
    with at(2):
        period = services.period_sign(period=period, actor=world.users["client_supervisor"])
    with at(3):
        services.dispute_open(
            period=period,
            actor=world.users["vendor_manager"],
            indicator_code="response",
            work_order=fixture_data.wo["B"],
            reason="wrong",
        )
    period = reload(q3)
    assert period.status == "disputed"
    assert period.client_signed_at is None and period.client_signed_by is None
    assert PeriodEvent.objects.filter(period=q3, kind="signature_withdrawn").exists()


def _locked(world, period):
    period = publish(world, period)
    with at(2):
        period = services.period_sign(period=period, actor=world.users["client_supervisor"])
    with at(3):
        period = services.period_sign(period=period, actor=world.users["vendor_manager"])
    with at(4):
        return services.period_lock(period=period, actor=world.users["client_supervisor"])


def test_a_locked_period_never_changes(world, q3, fixture_data):
    period = _locked(world, q3)
    before = (period.total_score, list(period.results.values_list("pk", "value", "points")))
    supervisor, manager = world.users["client_supervisor"], world.users["vendor_manager"]
    refused = [
        lambda: services.period_compute(period=period, actor=supervisor),
        lambda: services.dispute_open(period=period, actor=manager, indicator_code="response", reason="x"),
        lambda: services.period_publish(period=period, actor=supervisor),
        lambda: services.period_sign(period=period, actor=supervisor),
    ]
    for attempt in refused:
        with at(5), pytest.raises(ApplicationError):
            attempt()
    # New data for the quarter (a late-recorded work order) does not touch the locked figures either.
    with clock.frozen_at(T0 + dt.timedelta(days=10)):
        tickets.work_order_create(actor=world.users["requester"], service=world.service, title="late")
    with at(6), pytest.raises(InvalidTransition):
        services.period_compute(period=period, actor=supervisor)
    period = reload(q3)
    assert (period.total_score, list(period.results.values_list("pk", "value", "points"))) == before
    assert period.status == "locked"


def test_a_revision_corrects_a_locked_period_and_links_to_it(world, contract, template_scheme, fixture_data):
    period = open_period(world, contract)
    supervisor = world.users["client_supervisor"]
    with at(0.5):
        for code, value in (
            ("dress_badge", "2"),
            ("spares_tools", "90"),
            ("documentation", "100"),
            ("missed_inspections", "0"),
        ):
            services.manual_entry_create(period=period, actor=supervisor, indicator_code=code, value=D(value))
    period = _locked(world, reload(period))
    with at(6), pytest.raises(ApplicationError):
        services.period_revise(period=period, actor=supervisor, reason="")
    with at(6):
        revision = services.period_revise(period=period, actor=supervisor, reason="Inspection log found late.")
    assert (revision.revision, revision.revision_of, revision.status) == (2, period, "draft")
    assert revision.revision_reason == "Inspection log found late."
    assert revision.total_score == period.total_score  # same data, same entries carried over
    assert ManualEntry.objects.filter(period=revision).count() == 4
    assert all(e.carried_from_id for e in ManualEntry.objects.filter(period=revision))
    assert reload(period).status == "locked"
    with at(7):
        services.manual_entry_create(period=revision, actor=supervisor, indicator_code="missed_inspections", value=1)
    revision = reload(revision)
    assert revision.total_score == period.total_score - 5  # one missed inspection: 5 of 5 points lost
    with at(8), pytest.raises(InvalidTransition):
        services.period_revise(period=period, actor=supervisor, reason="again")


def test_the_template_needs_its_manual_values_before_publication(world, contract, template_scheme, fixture_data):
    period = open_period(world, contract)
    assert period.total_score is None
    assert {p["indicator"] for p in period.problems} == {
        "dress_badge",
        "spares_tools",
        "documentation",
        "missed_inspections",
    }
    with pytest.raises(ApplicationError) as exc:
        services.period_publish(period=period, actor=world.users["client_supervisor"])
    assert exc.value.code == "incomplete"


@pytest.mark.parametrize(
    ("code", "value", "points"),
    [
        ("documentation", "100", "100"),
        ("documentation", "85", "50"),  # linear 70..100
        ("documentation", "70", "0"),
        ("dress_badge", "0", "10"),
        ("dress_badge", "3", "7"),
        ("dress_badge", "12", "0"),  # the floor: never below 0
        ("spares_tools", "90", "50"),  # linear 80..100
        ("spares_tools", "80", "0"),
        ("missed_inspections", "1", "0"),
    ],
)
def test_manual_values_score_through_their_rules(world, contract, template_scheme, code, value, points):
    period = open_period(world, contract)
    with at(1):
        entry = services.manual_entry_create(
            period=period,
            actor=world.users["client_supervisor"],
            indicator_code=code,
            value=D(value),
            note="spot check",
            files=[SimpleUploadedFile("sheet.pdf", b"%PDF-1.4\n1 0 obj\n", "application/pdf")],
        )
    result = reload(period).results.get(code=code)
    assert result.points == D(points)
    assert result.manual_entry == entry
    assert result.numerator_ids == [entry.pk]
    assert Evidence.objects.get(manual_entry=entry).content_type == "application/pdf"


def test_bad_manual_values_are_refused_with_nothing_stored(world, contract, template_scheme):
    period = open_period(world, contract)
    supervisor = world.users["client_supervisor"]
    for code, value in (("dress_badge", "1.5"), ("documentation", "101"), ("staff_fill_rate", "99")):
        with pytest.raises(ApplicationError):
            services.manual_entry_create(period=period, actor=supervisor, indicator_code=code, value=D(value))
    with pytest.raises(ApplicationError) as exc:
        services.manual_entry_create(
            period=period,
            actor=supervisor,
            indicator_code="dress_badge",
            value=1,
            files=[SimpleUploadedFile("x.exe", b"MZ\x90\x00\x03", "application/octet-stream")],
        )
    assert exc.value.code == "file_type"
    assert not ManualEntry.objects.exists()
    assert not Evidence.objects.exists()


def test_accepting_a_manual_dispute_takes_the_corrected_value(world, contract, template_scheme, fixture_data):
    period = open_period(world, contract)
    supervisor = world.users["client_supervisor"]
    with at(0.5):
        for code, value in (
            ("dress_badge", "4"),
            ("spares_tools", "100"),
            ("documentation", "100"),
            ("missed_inspections", "0"),
        ):
            services.manual_entry_create(period=period, actor=supervisor, indicator_code=code, value=D(value))
    period = publish(world, reload(period))
    before = period.total_score
    with at(2):
        dispute = services.dispute_open(
            period=period,
            actor=world.users["vendor_manager"],
            indicator_code="dress_badge",
            reason="Two were visitors.",
        )
    with at(3), pytest.raises(ApplicationError) as exc:
        services.dispute_accept(dispute=dispute, actor=supervisor, reason="ok")
    assert exc.value.code == "corrected_value_required"
    with at(3):
        services.dispute_accept(dispute=dispute, actor=supervisor, reason="ok", corrected_value=D("2"))
    period = reload(period)
    assert period.results.get(code="dress_badge").points == D("8")
    assert period.total_score == before + 2
    assert Dispute.objects.get(pk=dispute.pk).corrected_value == D("2")


def test_recomputing_a_draft_takes_the_newest_scheme_but_a_published_period_keeps_its_own(world, contract, q3):
    from tests.scorecards.conftest import simple_indicators

    items = simple_indicators()
    items[0] = services.IndicatorInput(**{**items[0].__dict__, "weight": D("30")})
    items[1] = services.IndicatorInput(**{**items[1].__dict__, "weight": D("40")})
    v2 = services.scheme_version_create(
        contract=contract,
        actor=world.users["client_admin"],
        settings=services.SchemeSettings(name="Simple v2"),
        indicators=items,
    )
    with at(1):
        draft = services.period_compute(period=q3, actor=world.users["client_supervisor"])
    assert draft.scheme == v2
    # 60 x 30 % + 60 x 40 % + 13.333 + 5 = 60.33 again by coincidence of equal values; check the weights moved.
    assert draft.results.get(code="response").weight == D("30")
    publish(world, draft, hours=2)
    v3 = services.scheme_version_create(
        contract=contract,
        actor=world.users["client_admin"],
        settings=services.SchemeSettings(name="Simple v3"),
        indicators=simple_indicators(),
    )
    with at(3):
        published = services.period_compute(period=reload(q3), actor=world.users["client_supervisor"])
    assert published.scheme == v2 != v3


def test_the_timeline_is_append_only(q3):
    event = PeriodEvent.objects.filter(period=q3).first()
    event.note = "rewritten"
    with pytest.raises(ValueError):
        event.save()


def test_every_service_audits(world, q3, fixture_data):
    period = publish(world, q3)
    with at(2):
        dispute = services.dispute_open(
            period=period, actor=world.users["vendor_manager"], indicator_code="resolution", reason="x"
        )
    with at(3):
        services.dispute_reject(dispute=dispute, actor=world.users["client_supervisor"], reason="y")
    actions = set(AuditEntry.objects.filter(action__startswith="scorecards.").values_list("action", flat=True))
    assert {
        "scorecards.indicatorscheme.created",
        "scorecards.evaluationperiod.created",
        "scorecards.evaluationperiod.computed",
        "scorecards.evaluationperiod.published",
        "scorecards.dispute.opened",
        "scorecards.dispute.rejected",
    } <= actions


def test_a_period_that_has_not_ended_is_published_only_with_an_explicit_confirmation(world, q3, client):
    supervisor = world.users["client_supervisor"]
    client.force_login(supervisor)
    before_end = dt.datetime(2026, 9, 20, 2, 0, tzinfo=dt.UTC)  # Q3 runs until 30 September
    with clock.frozen_at(before_end), pytest.raises(ApplicationError) as refused:
        services.period_publish(period=q3, actor=supervisor)
    assert refused.value.code == "period_not_ended"
    assert reload(q3).status == "draft"
    with clock.frozen_at(before_end), translation.override("en"):  # the requests' language does not leak
        page = client.get(f"/scorecards/periods/{q3.pk}/").content.decode()
        assert 'data-testid="publish-early-warning"' in page and 'name="early"' in page
        refused_page = client.post(f"/scorecards/periods/{q3.pk}/publish/")
        assert refused_page.status_code == 400
        assert reload(q3).status == "draft"
        confirmed = client.post(f"/scorecards/periods/{q3.pk}/publish/", {"early": "1"})
    assert confirmed.status_code == 302
    assert reload(q3).status == "published"
    entry = AuditEntry.objects.filter(action__contains="publish").order_by("-pk").first()
    assert entry is not None and entry.after.get("early") is True
    # After the end the warning and the confirmation are gone: an ordinary publication.
    with clock.frozen_at(EVAL_AT), translation.override("en"):
        assert 'name="early"' not in client.get(f"/scorecards/periods/{q3.pk}/").content.decode()
