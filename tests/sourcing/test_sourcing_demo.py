"""The sourcing demo loader on a contact-centre organisation: a commercial model per contract version of a contract
with queues, and two scenarios sized from the last 365 days of current interval facts; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core import clock
from oversight.sourcing import scenarios
from oversight.sourcing.demo import load_demo_sourcing
from oversight.sourcing.models import CommercialModel, Scenario

D = Decimal


def test_demo_models_and_scenarios(world, cc):
    with clock.frozen_at(dt.datetime(2026, 10, 15, tzinfo=dt.UTC)):
        load_demo_sourcing(world.org)
        load_demo_sourcing(world.org)
    model = CommercialModel.objects.get()
    assert (model.contract_version, model.basis, model.rate) == (cc["version"], "handled_contact", D("3.20"))
    assert Scenario.objects.count() == 2
    in_house = Scenario.objects.get(kind="in_house")
    # the conftest's current facts of the last 365 days: 180 answered in Q3 + 500 on 1 October; handle 54 000 +
    # 99 999 s -> AHT 153 999 / 680 = 226.47 s; the required FTE are left to Erlang C
    assert (in_house.annual_contacts, in_house.aht_seconds, in_house.required_fte) == (D(680), D("226.47"), None)
    result = scenarios.evaluate(in_house)
    # 680 contacts over 5 110 open hours is a trickle: A = 680 / (5 110 × 3 600) × 226.47 = 0.0083714 erlang; one
    # agent reaches SL = 1 − A·e^(−(1 − A)·20/226.47) = 0.992331, so the fractional requirement (interpolated from
    # 0 agents) is 0.8 / 0.992331 = 0.806183 and FTE = 0.806183 × 5 110 / 1 650 = 2.4967
    assert len(result.proposal) == 6 and result.proposal[1].productive_fte == D("2.50")
