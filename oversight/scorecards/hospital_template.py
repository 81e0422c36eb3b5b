"""The template scheme: a typical Chinese hospital IT operations and maintenance assessment (医院信息化运维考核).

Weights by dimension (GB/T 28827.1): people 20, resources 15, processes 45, technology 20 = 100. The people
dimension reads the vendor's roster (staff fill rate, certificate validity) besides the dress-code spot checks.
The processes dimension weighs the work orders' timeliness with the vendor's problem and change processes
(GB/T 28827.1 §9: problem resolution, change success, changes without authorisation); the resources dimension
counts the vendor's stock-outs of spare parts beside the spot check of parts and tools.
Deductions count in points of the total score: their rule's maximum equals the indicator's weight, so
"1 point per event" takes exactly one point off the period score, down to 0 for the indicator.
Manual indicators have no score until the supervisor enters them (even 0 events is an entry);
computed ones score full points when there is nothing to measure (no work order due, no rating).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from oversight import kpi
from oversight.changes import indicators as change_indicators
from oversight.parts import calc as parts_calc
from oversight.problems import indicators as problem_indicators
from oversight.scorecards.choices import MANUAL, Dimension, MissingPolicy, Unit
from oversight.scorecards.rules import DeductionRule, LinearRule, StepRule
from oversight.scorecards.services.schemes import IndicatorInput

D = Decimal
TEMPLATE_NAME = _("Hospital IT O&M assessment (template)")
TEMPLATE_NOTE = _("Created from the hospital O&M template.")


def _steps(*pairs, max_points=None) -> dict:
    return StepRule(tuple((D(t), D(p)) for t, p in pairs), max_points=D(max_points) if max_points else None).to_dict()


def template_indicators() -> list[IndicatorInput]:
    """The template's indicators (names in Chinese with an English name for the other language)."""
    return [
        # 人员 20
        IndicatorInput(
            code="dress_badge",
            name="着装与工牌规范",
            name_en="Dress code and badge",
            dimension=Dimension.PEOPLE,
            weight=D("10"),
            source=MANUAL,
            unit=Unit.COUNT,
            rule=DeductionRule(per_event=D("1"), max_points=D("10"), floor=D("0")).to_dict(),
            missing_policy=MissingPolicy.RAISE,
            target=D("0"),
            description="现场抽查，每发现一次未按规定着装或未佩戴工牌扣 1 分，扣完为止。",
        ),
        IndicatorInput(
            code="staff_fill_rate",
            name="人员到岗率",
            name_en="Staff fill rate",
            dimension=Dimension.PEOPLE,
            weight=D("5"),
            source=kpi.STAFF_FILL_RATE,
            rule=_steps(("100", "10"), ("90", "8"), ("80", "5")),
            missing_policy=MissingPolicy.FULL,
            target=D("100"),
            description=(
                "期末按合同约定岗位与人数核对在册在岗人员（各岗位按不超过约定人数计）：100 % 满分，"
                "≥ 90 % 得八成，≥ 80 % 得五成，其余 0 分；合同未约定人员配置时满分。"
            ),
        ),
        IndicatorInput(
            code="certificate_validity",
            name="证书有效率（持证上岗率）",
            name_en="Certificate validity",
            dimension=Dimension.PEOPLE,
            weight=D("5"),
            source=kpi.CERTIFICATE_VALIDITY,
            rule=_steps(("100", "10"), ("90", "8"), ("80", "5")),
            missing_policy=MissingPolicy.FULL,
            target=D("100"),
            description=(
                "期末在岗人员所持证书中未过期证书的比例（%）：100 % 满分，≥ 90 % 得八成，≥ 80 % 得五成，"
                "其余 0 分；30 天内到期的证书仍计为有效并提示。"
            ),
        ),
        # 资源 15
        IndicatorInput(
            code="spares_tools",
            name="备件与工具完备率",
            name_en="Spare parts and tools readiness",
            dimension=Dimension.RESOURCES,
            weight=D("6"),
            source=MANUAL,
            unit=Unit.PERCENT,
            rule=LinearRule(full_at=D("100"), zero_at=D("80")).to_dict(),
            missing_policy=MissingPolicy.RAISE,
            target=D("100"),
            description="按备件清单和工具清单抽查的完备比例（%），100 % 满分，80 % 及以下 0 分，其间线性。",
        ),
        IndicatorInput(
            code="stock_outs",
            name="备件缺货次数",
            name_en="Spare-part stock-outs",
            dimension=Dimension.RESOURCES,
            weight=D("2"),
            source=parts_calc.STOCK_OUT_COUNT,
            rule=DeductionRule(per_event=D("1"), max_points=D("2"), floor=D("0")).to_dict(),
            missing_policy=MissingPolicy.FULL,
            target=D("0"),
            description="本期备件在某一库位的库存被领用至零的次数，每次扣 1 分，扣完为止。",
        ),
        IndicatorInput(
            code="documentation",
            name="文档完整性",
            name_en="Documentation completeness",
            dimension=Dimension.RESOURCES,
            weight=D("7"),
            source=MANUAL,
            unit=Unit.PERCENT,
            rule=LinearRule(full_at=D("100"), zero_at=D("70")).to_dict(),
            missing_policy=MissingPolicy.RAISE,
            target=D("100"),
            description="巡检记录、变更记录、资产台账等运维文档齐全的比例（%），100 % 满分，70 % 及以下 0 分。",
        ),
        # 过程 45
        IndicatorInput(
            code="response_timeliness",
            name="响应及时率",
            name_en="Response timeliness",
            dimension=Dimension.PROCESSES,
            weight=D("8"),
            source=kpi.RESPONSE_TIMELINESS,
            rule=LinearRule(full_at=D("98"), zero_at=D("90")).to_dict(),
            missing_policy=MissingPolicy.FULL,
            target=D("98"),
            description="本期响应时限到期的工单中按时响应的比例；98 % 满分，90 % 及以下 0 分，其间线性。",
        ),
        IndicatorInput(
            code="onsite_timeliness",
            name="到场及时率",
            name_en="On-site timeliness",
            dimension=Dimension.PROCESSES,
            weight=D("7"),
            source=kpi.ONSITE_TIMELINESS,
            rule=LinearRule(full_at=D("95"), zero_at=D("85")).to_dict(),
            missing_policy=MissingPolicy.FULL,
            target=D("95"),
            description="本期到场时限到期的工单中按时到场的比例；95 % 满分，85 % 及以下 0 分，其间线性。",
        ),
        IndicatorInput(
            code="resolution_timeliness",
            name="解决及时率（SLA 达成率）",
            name_en="Resolution timeliness (SLA compliance)",
            dimension=Dimension.PROCESSES,
            weight=D("10"),
            source=kpi.RESOLUTION_TIMELINESS,
            rule=_steps(("95", "100"), ("90", "80"), ("85", "60"), ("80", "40")),
            missing_policy=MissingPolicy.FULL,
            target=D("95"),
            description="本期解决时限到期的工单中按时解决的比例；≥ 95 % 满分，≥ 90 % 八成，≥ 85 % 六成，≥ 80 % 四成。",
        ),
        IndicatorInput(
            code="first_time_fix",
            name="首次解决率",
            name_en="First-time fix",
            dimension=Dimension.PROCESSES,
            weight=D("5"),
            source=kpi.FIRST_TIME_FIX,
            rule=LinearRule(full_at=D("90"), zero_at=D("60")).to_dict(),
            missing_policy=MissingPolicy.FULL,
            target=D("90"),
            description="本期首次解决的工单中未转派、未升级且 7 天内未重开的比例；90 % 满分，60 % 及以下 0 分。",
        ),
        IndicatorInput(
            code="reopen_rate",
            name="重开率",
            name_en="Reopen rate",
            dimension=Dimension.PROCESSES,
            weight=D("4"),
            source=kpi.REOPEN_RATE,
            rule=LinearRule(full_at=D("2"), zero_at=D("10")).to_dict(),
            missing_policy=MissingPolicy.FULL,
            target=D("2"),
            description="本期首次解决的工单中被重开的比例；≤ 2 % 满分，≥ 10 % 0 分，其间线性。",
        ),
        IndicatorInput(
            code="problem_resolution",
            name="问题解决率",
            name_en="Problem resolution rate",
            dimension=Dimension.PROCESSES,
            weight=D("4"),
            source=problem_indicators.PROBLEM_RESOLUTION_RATE,
            rule=LinearRule(full_at=D("80"), zero_at=D("40")).to_dict(),
            missing_policy=MissingPolicy.FULL,
            target=D("80"),
            description=(
                "本期内处于未关闭状态的问题中于本期解决的比例；80 % 满分，40 % 及以下 0 分，其间线性；"
                "本期无问题时满分。"
            ),
        ),
        IndicatorInput(
            code="change_success",
            name="变更成功率",
            name_en="Change success rate",
            dimension=Dimension.PROCESSES,
            weight=D("4"),
            source=change_indicators.CHANGE_SUCCESS_RATE,
            rule=LinearRule(full_at=D("98"), zero_at=D("85")).to_dict(),
            missing_policy=MissingPolicy.FULL,
            target=D("98"),
            description=(
                "本期完成实施后评审的变更中结果为成功（含有遗留问题的成功）的比例；98 % 满分，85 % 及以下 0 分，"
                "其间线性；本期无评审时满分。"
            ),
        ),
        IndicatorInput(
            code="unauthorised_changes",
            name="未经授权变更次数",
            name_en="Unauthorised changes",
            dimension=Dimension.PROCESSES,
            weight=D("3"),
            source=change_indicators.UNAUTHORISED_CHANGES,
            rule=DeductionRule(per_event=D("3"), max_points=D("3"), floor=D("0")).to_dict(),
            missing_policy=MissingPolicy.FULL,
            target=D("0"),
            description="本期未经授权即进入实施的变更，每次扣 3 分，扣完为止。",
        ),
        # 技术 20
        IndicatorInput(
            code="csat",
            name="用户满意度（CSAT）",
            name_en="Customer satisfaction (CSAT)",
            dimension=Dimension.TECHNOLOGY,
            weight=D("10"),
            source=kpi.CSAT_MEAN,
            rule=LinearRule(full_at=D("4.8"), zero_at=D("3.5")).to_dict(),
            missing_policy=MissingPolicy.FULL,
            target=D("4.8"),
            description="本期用户评价的平均星级；4.8 星满分，3.5 星及以下 0 分，其间线性。",
        ),
        IndicatorInput(
            code="complaints",
            name="有效投诉次数",
            name_en="Complaints",
            dimension=Dimension.TECHNOLOGY,
            weight=D("5"),
            source=kpi.COMPLAINT_COUNT,
            rule=DeductionRule(per_event=D("5"), max_points=D("5"), floor=D("0")).to_dict(),
            missing_policy=MissingPolicy.FULL,
            target=D("0"),
            description="本期受理的投诉，每次扣 5 分，扣完为止。",
        ),
        IndicatorInput(
            code="missed_inspections",
            name="巡检遗漏次数",
            name_en="Missed inspections",
            dimension=Dimension.TECHNOLOGY,
            weight=D("5"),
            source=MANUAL,
            unit=Unit.COUNT,
            rule=DeductionRule(per_event=D("5"), max_points=D("5"), floor=D("0")).to_dict(),
            missing_policy=MissingPolicy.RAISE,
            target=D("0"),
            description="按巡检计划核对，每遗漏一次巡检扣 5 分，扣完为止。",
        ),
    ]
