"""Demo contracts: one realistic contract per vendor of the demo hospital, made through the real services.

`load_demo_contracts(organisation)` is idempotent (a vendor that already has its demo contract is
skipped) and dates everything relative to today in the organisation's time zone:

* 桌面运维 (vendor ``desk``): 120 000.00 CNY a month, 10 % at risk, full fee from a score of 90 and
  1 % of the base fee per point below (at most 20 %); response ≥ 95 % (30 % of the pool), resolution
  ≥ 90 % (40 %), on-site ≥ 95 % (30 %). Amended from the start of the previous quarter: a CSAT
  commitment was added (allocations then add up to 120 %: credits are capped at the pool).
* 网络运维 (``net``): 80 000.00 CNY a month with a stepped band table; its term ends within its renewal
  notice period, so the renewal reminders have something to say.
* HIS 应用支持 (``his``): 450 000.00 CNY a quarter, 15 % at risk, graduated credit shares and a complaint
  commitment; amended from the start of the previous quarter with a unit rate for service requests.
* Any other vendor gets a plain monthly contract over its services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.catalog.models import SLAPolicyVersion
from oversight.contracts import services
from oversight.contracts.models import Contract
from oversight.contracts.selectors import fee_period_bounds
from oversight.contracts.validation import (
    BandInput,
    CommitmentInput,
    ShareStepInput,
    StaffingInput,
    Terms,
    UnitRateInput,
)
from oversight.core import clock
from oversight.core.zones import local_today, zone_of
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User

D = Decimal


def _at(day: dt.date, organisation) -> dt.datetime:
    """10:00 on a day of the organisation's calendar, as an aware instant."""
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=zone_of(organisation))


def _month_end(day: dt.date) -> dt.date:
    return fee_period_bounds("monthly", day)[1] - dt.timedelta(days=1)


# The English name of each demo commitment (names that people type are kept in both languages).
COMMITMENT_NAMES_EN = {
    "响应及时率": "On-time response rate",
    "解决及时率": "On-time resolution rate",
    "到场及时率": "On-time arrival rate",
    "用户满意率": "User satisfaction rate",
    "有效投诉次数": "Valid complaints",
}


def _commitment(code, name, target, allocation, *, metric="", indicator="", versions=(), miss="100", steps=()):
    return CommitmentInput(
        code=code,
        name=name,
        name_en=COMMITMENT_NAMES_EN[name],
        sla_metric=metric,
        indicator=indicator,
        target=D(target),
        allocation_percent=D(allocation),
        miss_share_percent=D(miss),
        share_steps=tuple(ShareStepInput(D(t), D(s)) for t, s in steps),
        sla_policy_versions=tuple(versions),
    )


def _specs(vendor, today: dt.date) -> dict:
    """Number, title, terms and an optional past amendment for one vendor's demo contract."""
    services_in_scope = tuple(vendor.services.filter(is_active=True).order_by("pk"))
    policy_ids = {s.sla_policy_id for s in services_in_scope}
    versions = tuple(SLAPolicyVersion.objects.filter(policy_id__in=policy_ids).order_by("policy_id", "number"))
    term_start = dt.date(today.year - 1, 1, 1)
    previous_quarter = fee_period_bounds("quarterly", fee_period_bounds("quarterly", today)[0] - dt.timedelta(days=1))
    amended_from = previous_quarter[0]
    base = {
        "term_start": term_start,
        "services": services_in_scope,
        "renewal_notice_days": 90,
    }
    number = f"CFPH-{vendor.code.upper()}-{term_start.year}"
    if vendor.code == "desk":
        terms = Terms(
            **base,
            term_end=dt.date(today.year + 1, 12, 31),
            fee_period="monthly",
            fixed_fee=D("120000.00"),
            at_risk_percent=D("10"),
            max_deduction=D("20"),
            bands=(BandInput(upper=D("90"), per_point=D("1")),),
            commitments=(
                _commitment("response", "响应及时率", "95", "30", metric="response", versions=versions),
                _commitment("resolution", "解决及时率", "90", "40", metric="resolution", versions=versions),
                _commitment("onsite", "到场及时率", "95", "30", metric="onsite", versions=versions),
            ),
            staffing=(
                StaffingInput("project_manager", 1),
                StaffingInput("qc_manager", 1),
                StaffingInput("service_desk", 3),
                StaffingInput("onsite_engineer", 4),
            ),
        )
        amendment = {
            "effective_from": amended_from,
            "reason": "补充协议一：新增用户满意率承诺（满意率 ≥ 90 %，未达标扣减分配额的 50 %，低于 80 % 全额扣减）。",
            "commitments": (
                *terms.commitments,
                _commitment(
                    "csat",
                    "用户满意率",
                    "90",
                    "20",
                    indicator="csat_satisfied_share",
                    miss="50",
                    steps=(("80", "100"),),
                ),
            ),
        }
        return {"number": number, "title": "桌面终端与打印外设运维服务合同", "terms": terms, "amendment": amendment}
    if vendor.code == "net":
        terms = Terms(
            **base,
            term_end=_month_end(today + dt.timedelta(days=60)),
            fee_period="monthly",
            fixed_fee=D("80000.00"),
            at_risk_percent=D("8"),
            max_deduction=D("25"),
            bands=(
                BandInput(upper=D("90"), lower=D("80"), per_point=D("1")),
                BandInput(upper=D("80"), per_point=D("2"), step=D("5")),
            ),
            commitments=(
                _commitment("response", "响应及时率", "98", "40", metric="response", versions=versions),
                _commitment("onsite", "到场及时率", "95", "20", metric="onsite", versions=versions),
                _commitment("resolution", "解决及时率", "95", "40", metric="resolution", versions=versions),
            ),
            staffing=(
                StaffingInput("project_manager", 1),
                StaffingInput("onsite_engineer", 2),
                StaffingInput("specialist", 2),
            ),
        )
        return {"number": number, "title": "网络与机房基础设施运维服务合同", "terms": terms, "amendment": None}
    if vendor.code == "his":
        terms = Terms(
            **base,
            term_end=dt.date(today.year + 2, 12, 31),
            fee_period="quarterly",
            fixed_fee=D("450000.00"),
            at_risk_percent=D("15"),
            max_deduction=D("30"),
            bands=(
                BandInput(upper=D("95"), lower=D("85"), per_point=D("2")),
                BandInput(upper=D("85"), per_point=D("3")),
            ),
            commitments=(
                _commitment(
                    "response",
                    "响应及时率",
                    "98",
                    "30",
                    metric="response",
                    versions=versions,
                    miss="50",
                    steps=(("95", "100"),),
                ),
                _commitment("resolution", "解决及时率", "95", "50", metric="resolution", versions=versions),
                _commitment("complaints", "有效投诉次数", "1", "20", indicator="complaint_count"),
            ),
            staffing=(
                StaffingInput("project_manager", 1),
                StaffingInput("specialist", 3),
                StaffingInput("onsite_engineer", 1),
            ),
        )
        amendment = {
            "effective_from": amended_from,
            "reason": "补充协议一：超出每季度 60 单的服务请求按 200.00 元/单计费。",
            "unit_rates": (UnitRateInput("service_request", D("200.00"), 60),),
        }
        return {
            "number": number,
            "title": "医院信息系统（HIS/EMR/LIS/PACS）应用支持服务合同",
            "terms": terms,
            "amendment": amendment,
        }
    terms = Terms(
        **base,
        term_end=dt.date(today.year + 1, 12, 31),
        fee_period="monthly",
        fixed_fee=D("50000.00"),
        at_risk_percent=D("10"),
        max_deduction=D("20"),
        bands=(BandInput(upper=D("90"), per_point=D("1")),),
        commitments=(
            _commitment("response", "响应及时率", "95", "50", metric="response", versions=versions),
            _commitment("resolution", "解决及时率", "90", "50", metric="resolution", versions=versions),
        ),
    )
    return {"number": number, "title": f"{vendor.name} 运维服务合同", "terms": terms, "amendment": None}


def _summary(contract: Contract, terms: Terms) -> bytes:
    lines = [
        f"合同编号：{contract.number}",
        f"合同名称：{contract.title}",
        f"甲方：{contract.organisation.name}",
        f"乙方：{contract.vendor.name}",
        f"服务期限：{terms.term_start.isoformat()} 至 {terms.term_end.isoformat()}",
        f"固定服务费：{terms.fixed_fee} {contract.currency} / {'月' if terms.fee_period == 'monthly' else '季度'}",
        f"风险金比例：{terms.at_risk_percent} %",
        "（演示数据：签字盖章页扫描件摘要）",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def load_demo_contracts(organisation) -> list[Contract]:
    """Create (once) an active contract for each vendor of the organisation; return every demo contract."""
    actor = (
        User.objects.filter(organisation=organisation, role=Role.CLIENT_ADMIN, is_active=True).order_by("pk").first()
    )
    today = local_today(organisation)
    contracts = []
    for vendor in organisation.vendors.order_by("pk"):
        if not vendor.services.filter(is_active=True).exists():
            continue
        spec = _specs(vendor, today)
        existing = Contract.objects.filter(organisation=organisation, number=spec["number"]).first()
        if existing is not None:
            contracts.append(existing)
            continue
        terms = spec["terms"]
        with clock.frozen_at(_at(terms.term_start - dt.timedelta(days=20), organisation)):
            contract = services.contract_create(
                actor=actor, vendor=vendor, number=spec["number"], title=spec["title"], terms=terms
            )
            contract = services.contract_activate(actor=actor, contract=contract)
            if actor is not None:
                services.contract_document_create(
                    actor=actor,
                    contract=contract,
                    upload=SimpleUploadedFile(f"{contract.number}.txt", _summary(contract, terms), "text/plain"),
                    kind="signed_contract",
                    title=f"{contract.number} 合同正本（摘要）",
                    version=contract.versions.get(number=1),
                )
        amendment = spec["amendment"]
        if amendment is not None:
            changes = dict(amendment)
            effective_from = changes.pop("effective_from")
            with clock.frozen_at(_at(effective_from - dt.timedelta(days=10), organisation)):
                services.contract_amend(
                    actor=actor,
                    contract=contract,
                    effective_from=effective_from,
                    reason=changes.pop("reason"),
                    **changes,
                )
        contracts.append(Contract.objects.get(pk=contract.pk))
    return contracts
