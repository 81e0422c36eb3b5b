"""Demo sourcing data for the BPO demo organisation: a commercial model for every version of its two BPO vendors'
contracts, and two saved scenarios (bring the contact centre back in-house; a mixed model) whose volume and handle
time are the last twelve months of the demo's own interval facts.

Called by `manage.py demo_load` after the contact-centre and workforce loaders; running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Sum

from oversight.contactcentre.models import IntervalFact, Queue
from oversight.contracts.models import ContractVersion
from oversight.core import clock
from oversight.sourcing import services
from oversight.sourcing.models import CommercialModel, Scenario
from oversight.tenancy.choices import Role

D = Decimal
#: The in-house centre would open 08:00–22:00 every day (the demo queues' hours) and plan 1 650 productive hours per
#: FTE-year at 85 % occupancy; the required FTE are left to Erlang C (`ccmath.finance.erlang_staffing`).
OPEN_HOURS_PER_YEAR = D(14 * 365)
PRODUCTIVE_HOURS_PER_FTE_YEAR = D(1650)
# Pricing per vendor code: basis, rate, outcome KPI, target, bonus %, malus %; a later version costs 3 % more.
PRICING = {
    "voxlink": ("handled_contact", D("3.20"), "abandonment_rate", D(5), D(2), D(3)),
    "cloudsail": ("productive_hour", D("27.00"), "asa_seconds", D(40), D(2), D(3)),
}


def _models(organisation, admin) -> None:
    versions = (
        ContractVersion.objects.filter(contract__organisation=organisation, contract__contact_queues__isnull=False)
        .select_related("contract", "contract__vendor")
        .distinct()
        .order_by("contract__number", "number")
    )
    for version in versions:
        if CommercialModel.objects.filter(contract_version=version).exists():
            continue
        basis, rate, kpi, target, bonus, malus = PRICING.get(version.contract.vendor.code, PRICING["voxlink"])
        rate = (rate * D("1.03") ** (version.number - 1)).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        services.commercial_model_create(
            actor=admin,
            contract_version=version,
            basis=basis,
            rate=rate,
            outcome_kpi=kpi,
            outcome_target=target,
            bonus_percent=bonus,
            malus_percent=malus,
            note="按合同附件三《计费与奖惩办法》。",
        )


def _last_year(organisation) -> tuple[Decimal, Decimal]:
    """Answered contacts and their mean handle time (seconds) over the last 365 days of current facts."""
    end = clock.now()
    facts = IntervalFact.objects.filter(
        queue__in=Queue.objects.filter(organisation=organisation),
        is_current=True,
        interval_start__gte=end - dt.timedelta(days=365),
        interval_start__lt=end,
    ).aggregate(answered=Sum("answered"), handle=Sum(F("talk_seconds") + F("hold_seconds") + F("acw_seconds")))
    answered = D(facts["answered"] or 0)
    if answered == 0:
        return D(0), D(0)
    return answered, (D(facts["handle"]) / answered).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def _scenarios(organisation, admin) -> None:
    contacts, aht = _last_year(organisation)
    if contacts == 0:
        return
    common = {
        "currency": "CNY",
        "horizon_years": 5,
        "discount_rate": D(8),
        "annual_contacts": contacts,
        "volume_growth": D(5),
        "aht_seconds": aht,
        "service_level_target": D(80),
        "service_level_seconds": 20,
        "required_fte": None,
        "open_hours_per_year": OPEN_HOURS_PER_YEAR,
        "productive_hours_per_fte": PRODUCTIVE_HOURS_PER_FTE_YEAR,
        "max_occupancy": D(85),
        "shrinkage": D(30),
        "annual_wage_per_fte": D(96000),
        "wage_growth": D(6),
        "seat_cost_per_fte": D(12000),
        "technology_cost": D(1200000),
        "price_per_contact": D("3.30"),
        "price_growth": D(3),
        "governance_cost": D(600000),
        "baseline_in_house_share": D(0),
    }
    plans = (
        (
            "全部收回自营",
            "Bring the contact centre back in-house",
            "in_house",
            D(100),
            D(3500000),
            "两家外包商合同到期后自建呼叫中心：招聘与培训、座席与系统建设计入一次性过渡成本。",
        ),
        (
            "混合模式：售后热线自营",
            "Mixed: after-sales line in-house",
            "mixed",
            D(35),
            D(1600000),
            "售后热线（约三成半话务）收回自营，售前与在线客服继续外包。",
        ),
    )
    for name, name_en, kind, share, transition, description in plans:
        if Scenario.objects.filter(organisation=organisation, name=name).exists():
            continue
        services.scenario_create(
            actor=admin,
            organisation=organisation,
            name=name,
            name_en=name_en,
            kind=kind,
            in_house_share=share,
            transition_cost=transition,
            description=description,
            **common,
        )


def load_demo_sourcing(organisation) -> None:
    """Commercial models for the BPO contracts and two saved scenarios (once)."""
    admin = organisation.users.filter(role=Role.CLIENT_ADMIN, is_active=True).order_by("pk").first()
    if admin is None:
        return
    _models(organisation, admin)
    _scenarios(organisation, admin)
