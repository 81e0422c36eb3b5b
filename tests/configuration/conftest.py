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


@pytest.fixture
def estate(world, ci, relation):
    """A business service (the client's own) on an application of the desk vendor that runs on a server of the
    net vendor; a database pair (at least 1 up) of the desk vendor behind the application."""
    supervisor = world.users["client_supervisor"]
    service = ci("门诊挂号", kind="business_service", vendor=None)
    app = ci("HIS", kind="application")
    server = ci("HIS-APP-01", vendor=world.other_vendor)
    db1, db2 = ci("DB-01", kind="database"), ci("DB-02", kind="database")
    cmdb.redundancy_group_create(actor=supervisor, name="DB pair", min_up=1, members=[db1, db2])
    for source, kind, target in (
        (service, "depends_on", app),
        (app, "runs_on", server),
        (app, "depends_on", db1),
        (app, "depends_on", db2),
    ):
        cmdb.ci_relation_create(actor=supervisor, source=source, relation_type=relation[kind], target=target)
    return {"service": service, "app": app, "server": server, "db1": db1, "db2": db2}


@pytest.fixture
def api(world):
    """`api(role)`: a DRF test client signed in as the world's user of that role."""
    from rest_framework.test import APIClient

    def make(role):
        client = APIClient()
        client.force_authenticate(user=world.users[role])
        return client

    return make
