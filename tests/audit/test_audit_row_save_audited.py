"""`row_save_audited`: the entity services' one save-then-audit sequence for admin writes."""

import pytest

from oversight.audit.models import AuditEntry
from oversight.audit.services import row_save_audited
from oversight.tenancy.models import Vendor
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _entries(vendor):
    return AuditEntry.objects.filter(object_type="tenancy.vendor", object_id=str(vendor.pk)).order_by("pk")


def test_a_new_row_is_saved_and_recorded_as_created_with_what_it_holds():
    organisation = OrganisationFactory()
    vendor = Vendor(organisation=organisation, name="Acme", code="acme")

    returned = row_save_audited(actor=None, obj=vendor, fields=None, organisation=organisation)

    assert returned is vendor and vendor.pk is not None
    [entry] = _entries(vendor)
    assert entry.action == "tenancy.vendor.created"
    assert entry.organisation_id == organisation.pk
    assert entry.before is None
    assert entry.after["name"] == "Acme"


def test_a_change_writes_only_the_named_fields_and_records_only_what_changed():
    organisation = OrganisationFactory()
    vendor = row_save_audited(
        actor=None, obj=Vendor(organisation=organisation, name="Acme", code="acme"), fields=None, organisation=None
    )
    vendor.name = "Acme Facilities"
    vendor.code = "not-written"

    row_save_audited(actor=None, obj=vendor, fields=["name"], organisation=organisation)

    stored = Vendor.objects.get(pk=vendor.pk)
    assert (stored.name, stored.code) == ("Acme Facilities", "acme")
    changed = _entries(vendor).last()
    assert changed.action == "tenancy.vendor.changed"
    assert changed.before == {"name": "Acme"}
    assert changed.after == {"name": "Acme Facilities"}


def test_a_save_that_changes_nothing_records_nothing():
    organisation = OrganisationFactory()
    vendor = row_save_audited(
        actor=None, obj=Vendor(organisation=organisation, name="Acme", code="acme"), fields=None, organisation=None
    )

    row_save_audited(actor=None, obj=vendor, fields=["name"], organisation=organisation)

    assert [e.action for e in _entries(vendor)] == ["tenancy.vendor.created"]
