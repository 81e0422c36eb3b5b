"""Fixtures for the knowledge tests: articles written, and published, through the real services."""

from __future__ import annotations

import pytest

from oversight.knowledge import services as knowledge


@pytest.fixture
def article(world):
    """`article(title=..., body=..., audience=..., publish=False, actor=...)`: an article written by the client
    supervisor unless another author is given, published by the client administrator when asked."""

    def make(*, title="打印机卡纸", body="打开后盖，取出卡住的纸。", actor=None, publish=False, **kwargs):
        author = actor or world.users["client_supervisor"]
        made = knowledge.article_create(actor=author, title=title, body=body, **kwargs)
        if publish:
            made = knowledge.article_transition(actor=author, article=made, action="submit")
            approver = world.users["client_admin" if author != world.users["client_admin"] else "client_supervisor"]
            made = knowledge.article_transition(actor=approver, article=made, action="publish")
        return made

    return make


@pytest.fixture
def incident_resolved(world):
    """A work order of the desk vendor's service, resolved by its agent."""
    from oversight.tickets import services as tickets

    wo = tickets.work_order_create(
        actor=world.users["requester"], service=world.service, title="Printer jammed", description="Tray 2 jams"
    )
    agent = world.users["vendor_agent"]
    wo = tickets.work_order_transition(actor=agent, work_order=wo, action="accept")
    return tickets.work_order_transition(
        actor=agent, work_order=wo, action="resolve", resolution="Removed a torn label from the rollers"
    )
