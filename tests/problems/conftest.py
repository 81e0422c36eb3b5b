"""Fixtures for the problem tests: incidents made through the real tickets services, and a problem maker."""

from __future__ import annotations

import pytest

from oversight.problems import services as problems
from oversight.tickets import services as tickets


@pytest.fixture
def incident(world):
    """`incident(title=..., service=..., accept=True)`: an incident raised by the requester, accepted by the
    service's vendor agent unless `accept=False`."""

    def make(*, title="Printer jammed", service=None, accept=True, requester="requester", **kwargs):
        service = service or world.service
        wo = tickets.work_order_create(actor=world.users[requester], service=service, title=title, **kwargs)
        if accept:
            agent = world.users["vendor_agent" if service.vendor_id == world.vendor.pk else "other_vendor_agent"]
            wo = tickets.work_order_transition(actor=agent, work_order=wo, action="accept")
        return wo

    return make


@pytest.fixture
def problem(world):
    """`problem(**fields)`: a problem opened by the client supervisor."""

    def make(*, actor=None, title="Ward printers jam", **kwargs):
        kwargs.setdefault("service", world.service)
        return problems.problem_create(actor=actor or world.users["client_supervisor"], title=title, **kwargs)

    return make
