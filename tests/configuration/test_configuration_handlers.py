"""The CMDB's reaction to a new organisation: the built-in classes and relation types, once."""

from __future__ import annotations

from oversight.audit.models import AuditEntry
from oversight.configuration.choices import BUILTIN_CLASSES, BUILTIN_RELATION_TYPES
from oversight.configuration.handlers import seed_builtin_classes
from oversight.configuration.models import CIClass, RelationType
from oversight.core.events import handlers_for
from oversight.tenancy import services as tenancy
from oversight.tenancy.models import Organisation


def test_a_new_organisation_gets_the_built_in_classes_and_relation_types(db, django_capture_on_commit_callbacks):
    RelationType.objects.all().delete()  # as after a flush: the migration's rows are gone
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        clinic = tenancy.organisation_save(
            actor=None, organisation=Organisation(name="Clinic", code="cl", work_order_prefix="CL"), fields=None
        )
    assert len(callbacks) == 1  # one handler of tenancy.organisation.created
    classes = CIClass.objects.filter(organisation=clinic)
    assert sorted(classes.values_list("code", flat=True)) == sorted(str(kind) for kind in BUILTIN_CLASSES)
    assert list(classes.filter(is_business_service=True).values_list("code", flat=True)) == ["business_service"]
    assert sorted(RelationType.objects.values_list("code", flat=True)) == sorted(BUILTIN_RELATION_TYPES)
    [seeded] = AuditEntry.objects.filter(action="configuration.ciclass.seeded")
    assert seeded.organisation == clinic and seeded.actor is None
    assert sorted(seeded.after["codes"]) == sorted(str(kind) for kind in BUILTIN_CLASSES)


def test_the_handler_run_twice_adds_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        clinic = tenancy.organisation_save(
            actor=None, organisation=Organisation(name="Clinic", code="cl", work_order_prefix="CL"), fields=None
        )
    CIClass.objects.filter(organisation=clinic, code="server").update(name="服务器（本院）")
    seed_builtin_classes(organisation_id=clinic.pk, actor_id=None, event_id="again")
    assert CIClass.objects.filter(organisation=clinic).count() == len(BUILTIN_CLASSES)
    assert CIClass.objects.get(organisation=clinic, code="server").name == "服务器（本院）"  # an edit is kept
    assert AuditEntry.objects.filter(action="configuration.ciclass.seeded").count() == 1
    seed_builtin_classes(organisation_id=clinic.pk + 1000, actor_id=None, event_id="gone")  # deleted since: nothing
    assert CIClass.objects.count() == len(BUILTIN_CLASSES)


def test_changing_an_organisation_announces_no_creation(world, django_capture_on_commit_callbacks):
    organisation = Organisation.objects.get(pk=world.org.pk)
    organisation.name = "General Hospital (East)"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tenancy.organisation_save(actor=None, organisation=organisation, fields=["name"])
    assert callbacks == [] and not CIClass.objects.filter(organisation=world.org).exists()
    assert seed_builtin_classes in handlers_for("tenancy.organisation.created")
