"""term_for(queue, day): the term of the contract version in force that day, for the channel or blank-channel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.contactcentre.models import ServiceLevelTerm
from oversight.contactcentre.terms import term_for, terms_for_days
from oversight.contracts import services as contract_services
from oversight.core import clock
from tests.contactcentre.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def amended(world, contract):
    """Version 2 from 2026-07-01 (amended on 2026-06-10)."""
    with clock.frozen_at(at(2026, 6, 10, 10)):
        return contract_services.contract_amend(
            actor=world.users["client_admin"],
            contract=contract,
            effective_from=dt.date(2026, 7, 1),
            reason="Service-level definition changed",
            fixed_fee=Decimal("130000.00"),
        )


def test_the_channel_term_wins_over_the_blank_one_and_a_new_version_brings_its_own(
    world, contract, voice, chat, amended
):
    v1 = contract.versions.get(number=1)
    all_channels = ServiceLevelTerm.objects.create(contract_version=v1, channel="", variant="w_over_a")
    voice_v1 = ServiceLevelTerm.objects.create(contract_version=v1, channel="voice", variant="w_over_a_plus_b")
    voice_v2 = ServiceLevelTerm.objects.create(contract_version=amended, channel="voice", variant="w_over_offered")

    assert term_for(voice, dt.date(2026, 3, 1)) == voice_v1
    assert term_for(chat, dt.date(2026, 3, 1)) == all_channels
    assert term_for(voice, dt.date(2026, 6, 30)) == voice_v1
    assert term_for(voice, dt.date(2026, 7, 1)) == voice_v2
    # Version 2 has no chat term and no blank one: nothing applies to chat from July.
    assert term_for(chat, dt.date(2026, 7, 1)) is None
    # Before the contract's term and for a queue without contract: no term.
    assert term_for(voice, dt.date(2025, 12, 31)) is None
    days = [dt.date(2026, 6, 30), dt.date(2026, 7, 1), dt.date(2026, 7, 2)]
    assert terms_for_days(voice, days) == {days[0]: voice_v1, days[1]: voice_v2, days[2]: voice_v2}


def test_a_queue_without_a_contract_has_no_term(other_queue):
    assert term_for(other_queue, dt.date(2026, 3, 1)) is None
    assert terms_for_days(other_queue, [dt.date(2026, 3, 1)]) == {dt.date(2026, 3, 1): None}
