"""The audit trail is append-only (ADR 0039). On PostgreSQL a trigger refuses UPDATE and DELETE of an audit entry
whatever sends them (raw SQL, a queryset), and lets through only the unlinking of a deleted person (actor set to
NULL, nothing else changed). On SQLite there is no trigger by decision: the ORM guard refuses, raw SQL is not
stopped. Either way a new entry can still be written."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from oversight.audit.models import AuditEntry
from oversight.audit.services import audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _entry(actor):
    audit_record(action="test.append_only", obj=actor, actor=actor, before={"x": 1}, after={"x": 2})
    return AuditEntry.objects.filter(action="test.append_only").latest("id")


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_orm_refuses_to_change_or_delete_an_entry_on_every_database():
    entry = _entry(UserFactory())
    entry.action = "test.rewritten"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_raw_update_and_delete_are_refused_by_postgresql_and_not_by_sqlite():
    actor, other = UserFactory(), UserFactory()
    entry = _entry(actor)
    writes = [
        ("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["test.rewritten", entry.pk]),
        ("UPDATE audit_auditentry SET after = NULL WHERE id = %s", [entry.pk]),
        ("UPDATE audit_auditentry SET actor_id = %s WHERE id = %s", [other.pk, entry.pk]),
        # The person's link dropped together with another column: not the deletion of a person, refused.
        ("UPDATE audit_auditentry SET actor_id = NULL, actor_repr = %s WHERE id = %s", ["nobody", entry.pk]),
        ("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk]),
    ]
    if connection.vendor == "postgresql":
        for sql, params in writes:
            with pytest.raises(IntegrityError, match="append-only"):
                _raw(sql, params)
        with pytest.raises(IntegrityError, match="append-only"):
            with transaction.atomic():
                AuditEntry.objects.filter(pk=entry.pk).update(action="test.rewritten")
        with pytest.raises(IntegrityError, match="append-only"):
            with transaction.atomic():
                AuditEntry.objects.filter(pk=entry.pk)._raw_delete(using="default")
        entry.refresh_from_db()
        assert (entry.action, entry.actor_id, entry.after) == ("test.append_only", actor.pk, {"x": 2})
    else:
        # The embedded default has no trigger (ADR 0039): raw SQL goes through; only the ORM guards.
        _raw(writes[0][0], writes[0][1])
        entry.refresh_from_db()
        assert entry.action == "test.rewritten"
    # Appending still works.
    _entry(actor)
    assert AuditEntry.objects.filter(actor=actor).count() == 2


def test_deleting_a_person_unlinks_their_entries_and_keeps_everything_else():
    actor = UserFactory(first_name="Leaving")
    entry = _entry(actor)
    before = AuditEntry.objects.filter(pk=entry.pk).values().get()
    actor.delete()  # on_delete=SET_NULL: the one UPDATE the trigger lets through
    after = AuditEntry.objects.filter(pk=entry.pk).values().get()
    assert after["actor_id"] is None
    assert {k: v for k, v in after.items() if k != "actor_id"} == {k: v for k, v in before.items() if k != "actor_id"}
    assert after["actor_repr"]  # who it was stays readable
