"""Incidents caused by a change: linked by the client's operators once the change was implemented, once each,
audited, and unlinked when wrongly attributed."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEntry
from oversight.changes import services
from oversight.changes.models import ChangeIncident
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.tickets import services as tickets


def test_link_and_unlink_incidents(world, change, window):
    sup = world.users["client_supervisor"]
    wo = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="PC will not boot")
    other = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="No network")
    c = change()
    with pytest.raises(ApplicationError):  # not implemented yet
        services.change_link_incidents(actor=sup, change=c, work_orders=[wo])
    c = services.change_transition(actor=sup, change=c, action="record_unauthorised", note="Done on Sunday")
    with pytest.raises(NotAllowed):
        services.change_link_incidents(actor=world.users["vendor_manager"], change=c, work_orders=[wo])
    made = services.change_link_incidents(actor=sup, change=c, work_orders=[wo, other, wo])
    assert len(made) == 2
    assert services.change_link_incidents(actor=sup, change=c, work_orders=[wo]) == []  # once each
    services.change_unlink_incident(actor=sup, change=c, work_order=other)
    assert list(ChangeIncident.objects.values_list("work_order", flat=True)) == [wo.pk]
    assert AuditEntry.objects.filter(action="changes.change.incident_linked").count() == 1
    assert AuditEntry.objects.filter(action="changes.change.incident_unlinked").count() == 1
    assert [e.kind for e in c.events.order_by("seq")][-2:] == ["incident_linked", "incident_unlinked"]
