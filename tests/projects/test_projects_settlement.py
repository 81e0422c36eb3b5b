"""Actual cost from the fee settlement: approved statement lines of the project's vendor attributed with a share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oversight.core.errors import ApplicationError, NotAllowed
from oversight.projects import evaluation, services
from oversight.settlement import services as settlement
from tests.projects.conftest import day
from tests.settlement.conftest import make_contract, signed_period

D = Decimal
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def statement(world):
    contract = make_contract(world, vendor=world.vendor, service=world.service, number="HT-P1")
    period = signed_period(world, contract, score="95")
    draft = settlement.statement_prepare(actor=world.users["client_admin"], period=period)
    return draft


def test_settlement_line_counts_as_actual_cost(world, started, statement):
    with pytest.raises(ApplicationError, match="approved"):
        services.settlement_link_create(
            actor=world.users["client_admin"], project=started.project, line=statement.lines.first(), share=D(1)
        )
    approved = settlement.statement_approve(actor=world.users["client_supervisor"], statement=statement)
    line = approved.lines.order_by("position").first()
    link = services.settlement_link_create(
        actor=world.users["client_admin"], project=started.project, line=line, share=D("0.25")
    )
    assert link.amount == (line.amount * D("0.25")).quantize(D("0.01"))
    assert link.incurred_on == approved.period.ends_on  # 2026-09-30, before the project's status dates
    result = evaluation.evaluate(started.project, day(11, 11))
    assert result.ac_settlement == link.amount and result.figures.ac == link.amount
    # the rest of the line may go to other projects, never more than the whole line
    with pytest.raises(ApplicationError, match="already"):
        services.settlement_link_create(actor=world.users["client_admin"], project=started.project, line=line)
    other = services.project_create(
        actor=world.users["client_admin"], name="Other", vendor=world.vendor, calendar=started.project.calendar, bac=1
    )
    other.status = "active"
    other.save(update_fields=["status"])
    with pytest.raises(ApplicationError, match="0.75"):
        services.settlement_link_create(actor=world.users["client_admin"], project=other, line=line, share=D("0.8"))
    with pytest.raises(NotAllowed):
        services.settlement_link_create(actor=world.users["vendor_manager"], project=other, line=line, share=D("0.5"))
    services.settlement_link_delete(actor=world.users["client_admin"], link=link)
    assert evaluation.evaluate(started.project, day(11, 11)).figures.ac == 0


def test_other_vendors_line_refused(world, started):
    contract = make_contract(world, vendor=world.other_vendor, service=world.other_service, number="HT-P2")
    period = signed_period(world, contract, score="95")
    draft = settlement.statement_prepare(actor=world.users["client_admin"], period=period)
    approved = settlement.statement_approve(actor=world.users["client_supervisor"], statement=draft)
    with pytest.raises(ApplicationError, match="vendor"):
        services.settlement_link_create(
            actor=world.users["client_admin"], project=started.project, line=approved.lines.first(), share=D(1)
        )
    assert list(services.attributable_lines(started.project)) == []
