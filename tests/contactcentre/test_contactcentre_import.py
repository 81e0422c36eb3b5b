"""Importing interval data: validation report (row and reason), all-or-nothing, idempotency, revisions,
period locks and corrections, the saved column mapping, and the API's JSON rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.contactcentre import importing
from oversight.contactcentre.models import ImportStatus, IntervalFact
from oversight.contactcentre.services import imports
from oversight.core.errors import NotAllowed
from tests.contactcentre.conftest import at

pytestmark = pytest.mark.django_db

HEADER = "queue,interval_start,offered,answered,answered_within_threshold,abandoned,wait_seconds,talk_seconds\n"
GOOD = HEADER + (
    "VOICE-1,2026-03-02 09:00,60,57,50,3,570,9000\n"
    "VOICE-1,2026-03-02 09:30,40,38,30,2,380,6000.5\n"
    "CHAT-1,2026-03-02 09:00,10,10,10,0,0,1200\n"
)


def _upload(world, text, *, name="export.csv", user="vendor_manager", reason=""):
    upload = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    run = imports.import_upload(actor=world.users[user], vendor=world.vendor, upload=upload, correction_reason=reason)
    return imports.import_run(import_id=run.pk)


def _errors(run):
    return [(line, code) for line, code, _params in run.errors]


def test_a_good_file_is_taken_whole_with_utc_starts_and_decimals(world, voice, chat):
    run = _upload(world, GOOD)
    assert run.status == ImportStatus.DONE
    assert (run.rows, run.created_rows, run.revised_rows, run.unchanged_rows) == (3, 3, 0, 0)
    fact = IntervalFact.objects.get(queue=voice, interval_start=at(2026, 3, 2, 9, 30))
    assert fact.interval_start == dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai
    assert (fact.offered, fact.answered, fact.talk_seconds, fact.revision, fact.is_current) == (
        40,
        38,
        Decimal("6000.5"),
        1,
        True,
    )
    assert fact.threshold_seconds == 20  # not in the file: the default
    assert AuditEntry.objects.filter(action="contactcentre.intervalfact.imported").count() == 1


def test_the_same_file_again_changes_nothing_and_says_so(world, voice, chat):
    _upload(world, GOOD)
    again = _upload(world, GOOD)
    assert again.status == ImportStatus.UNCHANGED
    assert (again.created_rows, again.revised_rows, again.unchanged_rows) == (0, 0, 3)
    assert IntervalFact.objects.count() == 3
    assert imports.earlier_same_file(again) is not None


def test_a_changed_value_makes_a_new_revision_and_keeps_the_old_row(world, voice, chat):
    _upload(world, GOOD)
    changed = GOOD.replace("40,38,30,2,380", "41,38,30,3,380")
    run = _upload(world, changed)
    assert (run.created_rows, run.revised_rows, run.unchanged_rows) == (0, 1, 2)
    rows = IntervalFact.objects.filter(queue=voice, interval_start=at(2026, 3, 2, 9, 30)).order_by("revision")
    assert [(r.revision, r.is_current, r.offered) for r in rows] == [(1, False, 40), (2, True, 41)]


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_written(world, voice, chat):
    bad = HEADER + (
        "VOICE-1,2026-03-02 09:00,60,57,50,3,570,9000\n"  # 2: fine
        "VOICE-1,2026-03-02 09:30,40,41,30,2,380,6000\n"  # 3: answered > offered
        "NOPE,2026-03-02 09:30,40,38,30,2,380,6000\n"  # 4: unknown queue
        "VOICE-1,2026-03-02 09:15,40,38,30,2,380,6000\n"  # 5: off the 30-minute grid
        "VOICE-1,2026-03-02 10:00,forty,38,30,2,380,6000\n"  # 6: bad number
        "VOICE-1,2026-03-02 09:00,60,57,50,3,570,9000\n"  # 7: duplicate of row 2
        "VOICE-1,02/03/2026 10:30,40,38,30,2,380,6000\n"  # 8: unreadable time
        "VOICE-1,2026-03-02 11:00,40,38,39,2,380,6000\n"  # 9: within > answered
        "VOICE-1,2026-03-02 11:30,40,38,30,-2,380,6000\n"  # 10: negative
    )
    run = _upload(world, bad)
    assert run.status == ImportStatus.REFUSED
    assert _errors(run) == [
        (3, "answered_over_offered"),
        (4, "unknown_queue"),
        (5, "off_grid"),
        (6, "bad_number"),
        (7, "duplicate"),
        (8, "bad_time"),
        (9, "within_over_answered"),
        (10, "bad_number"),
    ]
    assert IntervalFact.objects.count() == 0
    with translation.override("en"):
        assert importing.reason_text(*run.errors[1][1:]) == "The queue “NOPE” is not one of the vendor's queues."
        assert importing.reason_text(*run.errors[4][1:]) == "The same queue and interval is already on row 2."


def test_a_missing_column_refuses_the_file(world, voice):
    run = _upload(world, "queue,interval_start,offered\nVOICE-1,2026-03-02 09:00,5\n")
    assert run.status == ImportStatus.REFUSED
    assert "answered" in run.failure


def test_a_saved_mapping_reads_the_vendors_own_columns_date_and_time_and_zone(world, voice):
    imports.mapping_save(
        actor=world.users["vendor_manager"],
        vendor=world.vendor,
        columns={
            "queue": "Skill",
            "interval_date": "Date",
            "interval_time": "Time",
            "offered": "Calls Offered",
            "answered": "Calls Answered",
        },
        datetime_format="%d/%m/%Y %H:%M",
        time_zone="UTC",
    )
    run = _upload(world, "Skill;Date;Time;Calls Offered;Calls Answered\nVOICE-1;02/03/2026;01:30;12;11\n")
    assert run.status == ImportStatus.DONE, (run.errors, run.failure)
    fact = IntervalFact.objects.get()
    assert fact.interval_start == dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)
    assert (fact.offered, fact.answered) == (12, 11)


def test_a_locked_month_takes_only_a_correction_with_a_reason_from_the_client(world, voice, chat):
    _upload(world, GOOD)
    imports.period_lock(actor=world.users["client_supervisor"], vendor=world.vendor, month=dt.date(2026, 3, 1))
    changed = GOOD.replace("40,38,30,2,380", "41,38,30,3,380")
    refused = _upload(world, changed)
    assert refused.status == ImportStatus.REFUSED and _errors(refused) == [(3, "locked")]
    assert _upload(world, GOOD).status == ImportStatus.UNCHANGED  # the same data again is harmless
    with pytest.raises(NotAllowed):
        _upload(world, changed, reason="Vendor recount")  # a vendor manager may not correct
    corrected = _upload(world, changed, user="client_supervisor", reason="Vendor recount of 2 March")
    assert corrected.status == ImportStatus.DONE and corrected.revised_rows == 1
    current = IntervalFact.objects.get(queue=voice, interval_start=at(2026, 3, 2, 9, 30), is_current=True)
    assert (current.revision, current.correction_reason) == (2, "Vendor recount of 2 March")
    assert AuditEntry.objects.filter(action="contactcentre.intervalfact.corrected").count() == 1


def test_the_api_rows_are_validated_like_a_file(world, voice):
    user = world.users["vendor_manager"]
    row = {"queue": "VOICE-1", "interval_start": "2026-03-02T09:00:00+08:00", "offered": 5, "answered": 4}
    outcome = imports.facts_post(actor=user, vendor=world.vendor, rows=[row])
    assert (outcome.created, outcome.unchanged) == (1, 0)
    assert imports.facts_post(actor=user, vendor=world.vendor, rows=[row]).unchanged == 1
    with pytest.raises(imports.RowsRefused) as refused:
        imports.facts_post(actor=user, vendor=world.vendor, rows=[row | {"answered": 9}, row | {"queue": "X"}])
    assert [(line, code) for line, code, _p in refused.value.errors] == [
        (1, "answered_over_offered"),
        (2, "unknown_queue"),
    ]
    with pytest.raises(NotAllowed):
        imports.facts_post(actor=world.users["other_vendor_manager"], vendor=world.vendor, rows=[row])
