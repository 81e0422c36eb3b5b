"""Earned value of a project at a status date: load the approved baseline, the progress reported up to that date
and the actual cost (entries and attributed settlement lines), and hand them to `oversight.quant.evm` and
`oversight.quant.critical_chain`. Nothing here decides a formula; it only gathers the inputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from oversight.businesstime.engine import CalendarDataMissing, CalendarSpec
from oversight.catalog.calendars import calendar_spec
from oversight.core.bilingual import BilingualName
from oversight.core.errors import ApplicationError
from oversight.projects.choices import BaselineStatus, EvMethod, FeverZone, Light
from oversight.projects.models import (
    Baseline,
    CostEntry,
    Milestone,
    ProgressLine,
    ProgressRecord,
    Project,
    SettlementLink,
)
from oversight.quant import critical_chain, evm

ZERO = Decimal(0)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass(frozen=True)
class PackageFigures(BilingualName):
    """One node of the baseline's work breakdown at the status date (a summary sums its deliverables)."""

    package_id: int
    code: str
    name: str
    name_en: str
    parent_id: int | None
    depth: int
    method: str
    budget: Decimal
    pv: Decimal
    ev: Decimal
    share: Decimal | None
    is_deliverable: bool
    start: dt.date
    finish: dt.date

    @property
    def method_label(self) -> str:
        """The earned-value method in the reader's language (a summary has none)."""
        return str(EvMethod(self.method).label) if self.method else ""


@dataclass(frozen=True)
class MilestoneFigures(BilingualName):
    """A baseline milestone: when it was planned, when it was reached, how many working days it slipped."""

    milestone_id: int
    name: str
    name_en: str
    planned_date: dt.date
    weight: Decimal
    reached_on: dt.date | None
    due: bool
    slippage_days: int


@dataclass(frozen=True)
class FeedingFigures:
    """A feeding chain at the status date: its deliverables' codes, the chain deliverable it joins, its length and
    buffer (working days), where its buffer stands and the fever-chart zone."""

    codes: tuple[str, ...]
    joins: str
    length: Decimal
    buffer: Decimal
    status: critical_chain.BufferStatus
    zone: str

    @property
    def label(self) -> str:
        return f"{' → '.join(self.codes)} → {self.joins}"

    @property
    def zone_label(self) -> str:
        return str(FeverZone(self.zone).label)

    def stored(self) -> dict:
        """As a snapshot keeps it (shares to four places, as text)."""
        burn = self.status.burn_rate
        return {
            "label": self.label,
            "buffer": str(self.buffer.quantize(Decimal("0.1"))),
            "consumed_share": str(evm.index(self.status.consumed_share)),
            "complete_share": str(evm.index(self.status.complete_share)),
            "burn_rate": None if burn is None else str(evm.index(burn)),
            "zone": self.zone,
        }


@dataclass(frozen=True)
class ChainFigures:
    """The critical chain derived from the deliverables' aggressive and safe durations (the baseline's)."""

    codes: tuple[str, ...]
    length: Decimal
    buffer: Decimal


@dataclass
class Evaluation:
    """Every figure of a project at one status date, with what it was computed from."""

    project: Project
    baseline: Baseline
    status_date: dt.date
    figures: evm.Figures
    ac_entries: Decimal
    ac_settlement: Decimal
    light_spi: str
    light_cpi: str
    light: str
    days: list[dt.date]
    planned_days: int
    pv_curve: list[Decimal]
    packages: list[PackageFigures] = field(default_factory=list)
    milestones: list[MilestoneFigures] = field(default_factory=list)
    buffer: critical_chain.BufferStatus | None = None
    fever_zone: str = ""
    chain: ChainFigures | None = None
    feeding: list[FeedingFigures] = field(default_factory=list)

    @property
    def light_label(self) -> str:
        """The overall light in the reader's language."""
        return str(Light(self.light).label)

    @property
    def fever_zone_label(self) -> str:
        """The fever-chart zone in the reader's language."""
        return str(FeverZone(self.fever_zone).label) if self.fever_zone else ""

    @property
    def rounded(self) -> dict:
        """The figures as shown and stored (cents, four places)."""
        return self.figures.rounded()

    @property
    def milestones_due(self) -> int:
        return sum(1 for m in self.milestones if m.due)

    @property
    def milestones_late(self) -> int:
        return sum(1 for m in self.milestones if m.slippage_days > 0)

    @property
    def slippage_days(self) -> int:
        return sum(m.slippage_days for m in self.milestones)


def thresholds_of(project: Project) -> evm.Thresholds:
    """The project's traffic-light thresholds."""
    return evm.Thresholds(green_tolerance=project.green_tolerance, red_deviation=project.red_deviation)


def fever_zones_of(project: Project) -> critical_chain.FeverZones:
    """The project's fever-chart boundaries."""
    return critical_chain.FeverZones(
        yellow_start=project.fever_yellow_start,
        yellow_end=project.fever_yellow_end,
        red_start=project.fever_red_start,
        red_end=project.fever_red_end,
    )


def current_baseline(project: Project) -> Baseline | None:
    """The latest approved baseline (the plan measured against), or None before the project starts."""
    return project.baselines.filter(status=BaselineStatus.APPROVED).order_by("-number").first()


def plan_span(plan: dict) -> tuple[dt.date, dt.date]:
    """First planned start and last planned finish (or milestone) of a plan."""
    starts = [_day(p["start"]) for p in plan["packages"]]
    finishes = [_day(p["finish"]) for p in plan["packages"]] + [_day(m["planned_date"]) for m in plan["milestones"]]
    return min(starts), max(finishes)


def _working_days(spec: CalendarSpec, start: dt.date, end: dt.date) -> list[dt.date]:
    try:
        return evm.working_days(spec, start, end)
    except CalendarDataMissing as exc:
        raise ApplicationError(
            _("The business calendar has no holiday data for %(year)s; the plan cannot be measured on it.")
            % {"year": exc.year}
        ) from exc


def leaves(plan: dict) -> list[dict]:
    """The deliverables of a plan: the packages no other package is part of."""
    parents = {p["parent_id"] for p in plan["packages"] if p.get("parent_id")}
    return [p for p in plan["packages"] if p["id"] not in parents]


def evaluate(project: Project, status_date: dt.date, *, baseline: Baseline | None = None) -> Evaluation | None:
    """The project's figures at a status date against its current (or the given) baseline; None without one."""
    baseline = baseline or current_baseline(project)
    if baseline is None:
        return None
    plan = baseline.plan
    spec = calendar_spec(project.calendar)
    first, last = plan_span(plan)
    days = _working_days(spec, first, max(last, status_date))
    planned_days = sum(1 for d in days if d <= last)
    deliverables = leaves(plan)
    planned = {
        p["id"]: evm.PlannedPackage(Decimal(p["budget"]), _day(p["start"]), _day(p["finish"])) for p in deliverables
    }
    curve = evm.pv_curve(planned.values(), days)
    pv, at = evm.planned_value_at(curve, days, status_date)

    progress = _progress_at(project, status_date)
    reached = dict(Milestone.objects.filter(project=project).values_list("pk", "reached_on"))
    reached = {pk: on for pk, on in reached.items() if on is not None and on <= status_date}
    weights: dict[int, tuple[Decimal, Decimal]] = {}
    for m in plan["milestones"]:
        if m.get("work_package_id"):
            total, done = weights.get(m["work_package_id"], (ZERO, ZERO))
            weight = Decimal(m["weight"])
            weights[m["work_package_id"]] = (total + weight, done + (weight if m["id"] in reached else ZERO))

    own: dict[int, tuple[Decimal, Decimal, Decimal | None]] = {}
    for p in deliverables:
        line = progress.get(p["id"])
        total, done = weights.get(p["id"], (ZERO, ZERO))
        state = evm.DeliverableProgress(
            started=bool(line and (line.started or line.finished)),
            finished=bool(line and line.finished),
            percent_complete=line.percent_complete if line else None,
            milestone_weight_reached=done,
            milestone_weight_total=total,
            units_done=(line.units_done or ZERO) if line else ZERO,
            units_total=Decimal(p.get("units_total") or 0),
        )
        share = evm.earned_share(p["method"], state)
        budget = Decimal(p["budget"])
        package_pv = evm.planned_value_at(evm.pv_curve([planned[p["id"]]], days), days, status_date)[0]
        own[p["id"]] = (package_pv, budget * share, share)
    ev = sum((v[1] for v in own.values()), ZERO)

    ac_entries = CostEntry.objects.filter(project=project, incurred_on__lte=status_date).aggregate(s=Sum("amount"))[
        "s"
    ] or Decimal(0)
    ac_settlement = SettlementLink.objects.filter(project=project, incurred_on__lte=status_date).aggregate(
        s=Sum("amount")
    )["s"] or Decimal(0)
    bac = Decimal(baseline.bac)
    result = evm.figures(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=max(ZERO, ac_entries + ac_settlement),
        pv_curve=curve[:planned_days],
        at=at,
    )
    thresholds = thresholds_of(project)
    evaluation = Evaluation(
        project=project,
        baseline=baseline,
        status_date=status_date,
        figures=result,
        ac_entries=ac_entries,
        ac_settlement=ac_settlement,
        light_spi=evm.light(result.spi, thresholds),
        light_cpi=evm.light(result.cpi, thresholds),
        light=evm.project_light(result, thresholds),
        days=days,
        planned_days=planned_days,
        pv_curve=curve,
        packages=_tree(plan, own),
        milestones=_milestones(plan, reached, status_date, spec),
    )
    if project.critical_chain and _chain_tasks(plan):
        _derived_chain(evaluation, plan, progress, status_date, at)
    elif project.critical_chain and project.chain_days and project.buffer_days:
        remaining = _remaining_at(project, status_date)
        if remaining is not None:
            evaluation.buffer = critical_chain.buffer_status(
                chain_length=project.chain_days,
                buffer=project.buffer_days,
                elapsed=Decimal(at),
                remaining=remaining,
            )
            evaluation.fever_zone = critical_chain.fever_zone(
                evaluation.buffer.consumed_share, evaluation.buffer.complete_share, fever_zones_of(project)
            )
    return evaluation


def _chain_tasks(plan: dict) -> list[critical_chain.Task]:
    """The baseline's deliverables that have aggressive and safe durations, as the chain's tasks (keyed by id)."""
    timed = {p["id"]: p for p in leaves(plan) if p.get("aggressive") and p.get("safe")}
    return [
        critical_chain.Task(
            key=str(pk),
            aggressive=Decimal(p["aggressive"]),
            safe=Decimal(p["safe"]),
            predecessors=tuple(str(d) for d in p.get("depends_on", []) if d in timed),
        )
        for pk, p in timed.items()
    ]


def _derived_chain(evaluation: Evaluation, plan: dict, progress: dict, status_date: dt.date, at: int) -> None:
    """Critical-chain figures from the deliverables' durations: the chain, its project buffer and every feeding
    buffer (root square error), each with its burn and zone (`oversight.quant.critical_chain`)."""
    tasks = _chain_tasks(plan)
    try:
        chain = critical_chain.plan_chain(tasks)
    except ValueError as exc:
        why = {"why": exc}
        raise ApplicationError(_("The critical chain cannot be planned from these durations: %(why)s") % why) from exc
    codes = {str(p["id"]): p["code"] for p in leaves(plan)}
    remaining = {str(pk): _remaining_of_line(line) for pk, line in progress.items()}
    remaining = {k: v for k, v in remaining.items() if v is not None}
    days = evaluation.days
    finished = _finish_offsets(evaluation.project, status_date, days)
    zones = fever_zones_of(evaluation.project)

    def status(keys, *, length, buffer, start):
        left = critical_chain.remaining_of(keys, remaining, tasks)
        ends = [finished.get(k) for k in keys]
        done_at = max(ends) if left == 0 and all(e is not None for e in ends) else None
        return critical_chain.chain_status(
            length=length, buffer=buffer, start=start, now=Decimal(at), remaining=left, finished_at=done_at
        )

    evaluation.chain = ChainFigures(tuple(codes[k] for k in chain.chain), chain.length, chain.buffer)
    evaluation.buffer = status(chain.chain, length=chain.length, buffer=chain.buffer, start=Decimal(0))
    evaluation.fever_zone = critical_chain.fever_zone(
        evaluation.buffer.consumed_share, evaluation.buffer.complete_share, zones
    )
    for f in chain.feeding:
        s = status(f.tasks, length=f.length, buffer=f.buffer, start=f.planned_start)
        evaluation.feeding.append(
            FeedingFigures(
                codes=tuple(codes[k] for k in f.tasks),
                joins=codes[f.joins],
                length=f.length,
                buffer=f.buffer,
                status=s,
                zone=critical_chain.fever_zone(s.consumed_share, s.complete_share, zones),
            )
        )


def _remaining_of_line(line: ProgressLine) -> Decimal | None:
    """A deliverable's remaining duration as reported: nothing once finished; None when not reported."""
    if line.finished:
        return Decimal(0)
    return line.remaining_days


def _finish_offsets(project: Project, status_date: dt.date, days: list[dt.date]) -> dict[str, Decimal]:
    """Per deliverable, the working-day offset of the first status date it was reported finished."""
    lines = (
        ProgressLine.objects.filter(record__project=project, record__status_date__lte=status_date)
        .filter(Q(finished=True) | Q(remaining_days=0))
        .order_by("record__status_date")
        .values_list("work_package_id", "record__status_date")
    )
    out: dict[str, Decimal] = {}
    for pk, on in lines:
        out.setdefault(str(pk), Decimal(sum(1 for d in days if d <= on)))
    return out


def _progress_at(project: Project, status_date: dt.date) -> dict[int, ProgressLine]:
    """Per deliverable, its line of the latest progress record at or before the status date."""
    lines = (
        ProgressLine.objects.filter(record__project=project, record__status_date__lte=status_date)
        .select_related("record")
        .order_by("record__status_date")
    )
    return {line.work_package_id: line for line in lines}


def _remaining_at(project: Project, status_date: dt.date) -> Decimal | None:
    """The chain's remaining duration as last reported at or before the status date."""
    return (
        ProgressRecord.objects.filter(project=project, status_date__lte=status_date, remaining_days__isnull=False)
        .order_by("-status_date")
        .values_list("remaining_days", flat=True)
        .first()
    )


def _tree(plan: dict, own: dict[int, tuple[Decimal, Decimal, Decimal | None]]) -> list[PackageFigures]:
    """The work breakdown in code order, summaries carrying the sums of their deliverables."""
    packages = sorted(plan["packages"], key=lambda p: [int(x) if x.isdigit() else x for x in p["code"].split(".")])
    children: dict[int | None, list[dict]] = {}
    for p in packages:
        children.setdefault(p.get("parent_id"), []).append(p)
    out: list[PackageFigures] = []

    def total(p: dict) -> tuple[Decimal, Decimal, Decimal]:
        if p["id"] in own:
            pv, ev, _share = own[p["id"]]
            return Decimal(p["budget"]), pv, ev
        sums = [total(c) for c in children.get(p["id"], [])]
        return tuple(sum((s[i] for s in sums), ZERO) for i in range(3))  # type: ignore[return-value]

    def walk(parent: int | None, depth: int) -> None:
        for p in children.get(parent, []):
            budget, pv, ev = total(p)
            leaf = p["id"] in own
            out.append(
                PackageFigures(
                    package_id=p["id"],
                    code=p["code"],
                    name=p["name"],
                    name_en=p.get("name_en", ""),
                    parent_id=p.get("parent_id"),
                    depth=depth,
                    method=p["method"] if leaf else "",
                    budget=budget,
                    pv=pv,
                    ev=ev,
                    share=own[p["id"]][2] if leaf else (ev / budget if budget else None),
                    is_deliverable=leaf,
                    start=_day(p["start"]),
                    finish=_day(p["finish"]),
                )
            )
            walk(p["id"], depth + 1)

    walk(None, 0)
    return out


def _milestones(
    plan: dict, reached: dict[int, dt.date], status_date: dt.date, spec: CalendarSpec
) -> list[MilestoneFigures]:
    def count(a: dt.date, b: dt.date) -> int:
        return len(_working_days(spec, a + dt.timedelta(days=1), b))

    out = []
    for m in sorted(plan["milestones"], key=lambda m: (m["planned_date"], m["id"])):
        planned = _day(m["planned_date"])
        actual = reached.get(m["id"])
        out.append(
            MilestoneFigures(
                milestone_id=m["id"],
                name=m["name"],
                name_en=m.get("name_en", ""),
                planned_date=planned,
                weight=Decimal(m["weight"]),
                reached_on=actual,
                due=planned <= status_date,
                slippage_days=evm.slippage_days(planned, actual, status_date, count),
            )
        )
    return out
