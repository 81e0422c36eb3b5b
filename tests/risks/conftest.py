"""Fixtures for the risk register tests: a risk maker through the real services."""

from __future__ import annotations

import pytest
from django.utils import translation

from oversight.risks import services


@pytest.fixture(autouse=True)
def _english():
    """Refusals are matched by their English words (the default language is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def make_risk(world):
    """`make_risk(**fields)`: a risk recorded by the client supervisor, owned by them unless told."""

    def make(*, actor=None, title="Desk vendor under-staffed at night", **kwargs):
        actor = actor or world.users["client_supervisor"]
        kwargs.setdefault("cause", "The vendor's night roster has two people")
        kwargs.setdefault("event", "Night incidents wait past their response target")
        kwargs.setdefault("consequence", "Ward systems stay down overnight")
        kwargs.setdefault("category", "vendor")
        kwargs.setdefault("owner", actor)
        return services.risk_create(actor=actor, title=title, **kwargs)

    return make


from tests.api.conftest import api  # noqa: E402, F401 - fixture
from tests.risks.triggers_fixtures import no_service_kri, rated_risk  # noqa: E402, F401 - the trigger part's fixtures
from tests.web.conftest import web  # noqa: E402, F401 - fixture
