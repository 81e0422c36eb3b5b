"""Every model of every Oversight app declares how its rows belong (``tenancy.visibility``), and every lookup a
declaration names resolves to the kind of object it claims: a model that reaches an organisation without a
declaration fails the suite, so a new app cannot forget the gate."""

from __future__ import annotations

from collections import deque

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from oversight.feedback.models import Complaint
from oversight.tenancy.models import Organisation, Site, User, Vendor
from oversight.tenancy.visibility import WHOLE_ORGANISATION, Visibility, declaration_of


def oversight_models() -> list:
    """Every concrete model of the project's own apps."""
    return [m for m in apps.get_models() if m.__module__.startswith("oversight.")]


def reaches_organisation(model) -> bool:
    """Whether a chain of foreign keys (or one-to-one fields) leads from the model to an organisation."""
    seen, queue = {model}, deque([model])
    while queue:
        current = queue.popleft()
        if current is Organisation:
            return True
        for field in current._meta.get_fields():
            if field.concrete and field.is_relation and (field.many_to_one or field.one_to_one):
                target = field.related_model
                if target is not None and target not in seen:
                    seen.add(target)
                    queue.append(target)
    return False


def undeclared(models) -> list[str]:
    """Labels of the models that reach an organisation but declare nothing (or only a global declaration)."""
    found = []
    for model in models:
        declared = declaration_of(model)
        if reaches_organisation(model) and (declared is None or declared.is_global):
            found.append(model._meta.label_lower)
    return found


def target_of(model, path: str):
    """The model a lookup path ends at ("pk" is the model itself); raises FieldDoesNotExist when it breaks."""
    current = model
    for part in path.split("__"):
        if part == "pk":
            continue
        current = current._meta.get_field(part).related_model
        if current is None:
            raise FieldDoesNotExist(f"{path} does not end at a model")
    return current


@pytest.fixture
def fresh_declarations():
    """Forget resolved declarations before and after a test that changes one."""
    declaration_of.cache_clear()
    yield
    declaration_of.cache_clear()


def test_the_project_has_models_to_check():
    assert len(oversight_models()) > 50


def test_every_model_that_belongs_to_an_organisation_declares_how():
    assert undeclared(oversight_models()) == []


def test_every_model_declares_something_even_when_it_belongs_to_no_organisation():
    missing = [m._meta.label_lower for m in oversight_models() if declaration_of(m) is None]
    assert missing == []


def test_a_model_without_a_declaration_is_caught_and_so_are_its_parts(monkeypatch, fresh_declarations):
    monkeypatch.delattr(Complaint, "visibility")
    found = undeclared(oversight_models())
    # The complaint itself, and its timeline which is declared "through" the complaint.
    assert "feedback.complaint" in found
    assert "feedback.complaintevent" in found


@pytest.mark.parametrize("model", oversight_models(), ids=lambda m: m._meta.label_lower)
def test_each_declared_lookup_compiles(model):
    declared = declaration_of(model)
    for path in declared.paths():
        sql = str(model._default_manager.filter(**{path: None}).query)
        assert "WHERE" in sql


@pytest.mark.parametrize("model", oversight_models(), ids=lambda m: m._meta.label_lower)
def test_each_declared_lookup_ends_at_what_it_names(model):
    declared = declaration_of(model)
    if declared.is_global:
        return
    assert target_of(model, declared.organisation) is Organisation
    if declared.vendor not in (None, WHOLE_ORGANISATION):
        assert target_of(model, declared.vendor) is Vendor
    if declared.requester not in (None, WHOLE_ORGANISATION):
        assert target_of(model, declared.requester) is User
    if declared.person is not None:
        assert target_of(model, declared.person) is User
    for path in declared.department:
        assert target_of(model, path) is Site


def test_a_part_is_declared_through_its_parent_with_the_parent_paths_prefixed():
    from oversight.tickets.models import SLAClock

    clock = declaration_of(SLAClock)
    assert clock.organisation == "work_order__organisation"
    assert clock.vendor == "work_order__vendor"
    assert clock.requester == "work_order__requester"
    assert clock.department == ("work_order__site", "work_order__requester__department")


def test_prefixing_a_primary_key_path_names_the_foreign_key_itself():
    declared = Visibility(organisation="organisation", vendor="pk").prefixed("vendor")
    assert declared.organisation == "vendor__organisation"
    assert declared.vendor == "vendor"


def test_the_global_declaration_belongs_to_no_organisation():
    assert Visibility.GLOBAL.is_global
    assert Visibility.GLOBAL.paths() == []
    assert not Visibility(organisation="organisation").is_global
