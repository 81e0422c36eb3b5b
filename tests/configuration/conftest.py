"""Fixtures for the configuration tests: the built-in classes of the world's organisation and a CI maker."""

from __future__ import annotations

import pytest

from oversight.configuration import services as cmdb
from oversight.configuration.models import CIClass, RelationType


@pytest.fixture
def classes(world):
    """The world's organisation with its eight built-in classes, by code."""
    cmdb.ci_classes_seed(actor=world.users["client_admin"], organisation=world.org)
    return {c.code: c for c in CIClass.objects.filter(organisation=world.org)}


@pytest.fixture
def relation(db):
    """The built-in relation types (seeded by the migration), by code."""
    return {t.code: t for t in RelationType.objects.all()}


@pytest.fixture
def ci(world, classes):
    """`ci(name, kind="server", vendor=world.vendor, **fields)`: a CI recorded by the client supervisor."""

    def make(name, kind="server", *, actor=None, **kwargs):
        kwargs.setdefault("vendor", world.vendor)
        return cmdb.ci_create(
            actor=actor or world.users["client_supervisor"], ci_class=classes[kind], name=name, **kwargs
        )

    return make
