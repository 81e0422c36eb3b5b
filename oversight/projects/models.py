"""Outsourcing projects (项目) with their work breakdown, milestones, immutable baselines, progress per status
date, actual cost (entries and attributed settlement lines) and the snapshot of every figure per status date."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.bilingual import BilingualName
from oversight.core.concurrency import VersionETag
from oversight.core.numbering import YearlyCounter
from oversight.projects.choices import BaselineStatus, EvMethod, FeverZone, Light, ProjectKind, ProjectStatus
from oversight.tenancy.visibility import Visibility

MONEY = {"max_digits": 14, "decimal_places": 2}
HOURS = {"max_digits": 10, "decimal_places": 1}
SHARE = {"max_digits": 5, "decimal_places": 4}
INDEX = {"max_digits": 10, "decimal_places": 4}
DAYS = {"max_digits": 8, "decimal_places": 1}


class ProjectCounter(YearlyCounter):
    """Per organisation and year, the last project number handed out (locked while incremented)."""

    visibility = Visibility(organisation="organisation", roles=frozenset())  # bookkeeping: nobody reads it

    class Meta(YearlyCounter.Meta):
        verbose_name = _("project counter")
        verbose_name_plural = _("project counters")


class Project(VersionETag, BilingualName, models.Model):
    """An outsourcing project of one vendor, measured by earned value against its approved baseline."""

    # Client roles see their organisation's projects; vendor staff only their own vendor's; requesters none.
    visibility = Visibility(organisation="organisation", vendor="vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices, default=ProjectKind.OTHER)
    description = models.TextField(_("description"), blank=True)
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="projects"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    client_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("client owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    vendor_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vendor owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    calendar = models.ForeignKey(
        "catalog.BusinessCalendar", verbose_name=_("business calendar"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNING)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    bac = models.DecimalField(_("budget at completion (BAC)"), **MONEY, validators=[MinValueValidator(0)])
    budget_hours = models.DecimalField(
        _("budget in hours"), **HOURS, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    status_date = models.DateField(_("status date"), null=True, blank=True)
    green_tolerance = models.DecimalField(
        _("green tolerance"),
        **SHARE,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(Decimal("0.5"))],
        help_text=_("An index this far below 1 still counts as on plan (0 = only 1 or more is green)."),
    )
    red_deviation = models.DecimalField(
        _("red at a deviation of"),
        **SHARE,
        default=Decimal("0.10"),
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(1)],
        help_text=_("SPI or CPI this far below 1 or more is red; less is yellow (the seeds' rule: 10 %)."),
    )
    critical_chain = models.BooleanField(_("critical-chain mode"), default=False)
    chain_days = models.DecimalField(
        _("critical chain length (working days)"), **DAYS, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    buffer_days = models.DecimalField(
        _("project buffer (working days)"), **DAYS, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    fever_yellow_start = models.DecimalField(
        _("yellow boundary at the chain's start"), **SHARE, default=Decimal("0.15")
    )
    fever_yellow_end = models.DecimalField(_("yellow boundary at the chain's end"), **SHARE, default=Decimal("0.75"))
    fever_red_start = models.DecimalField(_("red boundary at the chain's start"), **SHARE, default=Decimal("0.30"))
    fever_red_end = models.DecimalField(_("red boundary at the chain's end"), **SHARE, default=Decimal("0.90"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"], name="projects_project_org_status")]
        constraints = [
            models.CheckConstraint(condition=Q(bac__gte=0), name="projects_project_bac_not_negative"),
            models.CheckConstraint(
                condition=Q(green_tolerance__gte=0) & Q(red_deviation__gt=models.F("green_tolerance")),
                name="projects_project_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])


class WorkPackage(BilingualName, models.Model):
    """A node of the work breakdown: a summary (it has children) or a deliverable with budget and EV method."""

    visibility = Visibility.through("project")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="work_packages"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("WBS code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    budget = models.DecimalField(_("budget"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)])
    budget_hours = models.DecimalField(
        _("budget in hours"), **HOURS, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    ev_method = models.CharField(
        _("earned-value method"), max_length=20, choices=EvMethod.choices, default=EvMethod.PERCENT
    )
    units_total = models.DecimalField(
        _("units planned"), max_digits=12, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    # Critical-chain mode: the 50 % (aggressive) and 90 % (safe) estimates; the buffers pool the difference.
    aggressive_days = models.DecimalField(
        _("aggressive duration (working days)"), **DAYS, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    safe_days = models.DecimalField(
        _("safe duration (working days)"), **DAYS, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("starts after (finish-to-start)"),
        symmetrical=False,
        blank=True,
        related_name="successors",
    )

    class Meta:
        verbose_name = _("work package")
        verbose_name_plural = _("work packages")
        ordering = ["project", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="projects_workpackage_unique_code"),
            models.CheckConstraint(
                condition=Q(planned_finish__gte=models.F("planned_start")), name="projects_workpackage_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="projects_workpackage_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.project_id]) + "#wbs"


class Milestone(BilingualName, models.Model):
    """A milestone: a planned date, a weight (for weighted-milestone deliverables) and the date it was reached."""

    visibility = Visibility.through("project")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones")
    work_package = models.ForeignKey(
        WorkPackage,
        verbose_name=_("deliverable"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    planned_date = models.DateField(_("planned date"))
    weight = models.DecimalField(
        _("weight"), max_digits=8, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(0)]
    )
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "planned_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="projects_milestone_weight_not_negative")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.project_id]) + "#milestones"


class Baseline(models.Model):
    """An immutable snapshot of the plan (budgets, dates, methods, milestones) that progress is measured against.

    The first is set when the project starts; a later one is requested with a reason and becomes the plan only
    when a client supervisor approves it. Its plan never changes once stored (`save` refuses it)."""

    visibility = Visibility.through("project")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="baselines")
    number = models.PositiveSmallIntegerField(_("baseline number"))
    status = models.CharField(_("status"), max_length=20, choices=BaselineStatus.choices)
    bac = models.DecimalField(_("budget at completion (BAC)"), **MONEY)
    plan = models.JSONField(_("plan"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="projects_baseline_unique_number"),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status=BaselineStatus.REQUESTED),
                name="projects_baseline_one_request",
            ),
        ]

    #: What never changes once a baseline is stored.
    FROZEN_FIELDS = ("project_id", "number", "bac", "plan", "reason", "requested_by_id", "requested_at")

    def __str__(self) -> str:
        return f"{self.project_id} baseline {self.number}"

    def save(self, *args, **kwargs):
        # Immutability is a property of the stored row, not a business rule: whoever writes, the plan stays.
        if self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
            if stored is not None and any(stored[f] != getattr(self, f) for f in self.FROZEN_FIELDS):
                raise ValidationError(_("A baseline is immutable: request a new one instead."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.project_id]) + "#baselines"

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A baseline is immutable: request a new one instead."))


class ProgressRecord(models.Model):
    """What was reported at one status date: per deliverable in its lines, milestones reached, remaining duration."""

    visibility = Visibility.through("project")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="progress_records"
    )
    status_date = models.DateField(_("status date"))
    remaining_days = models.DecimalField(
        _("remaining duration of the chain (working days)"),
        **DAYS,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("progress record")
        verbose_name_plural = _("progress records")
        ordering = ["project", "-status_date"]
        constraints = [
            models.UniqueConstraint(fields=["project", "status_date"], name="projects_progressrecord_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} @ {self.status_date}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.project_id]) + "#progress"


class ProgressLine(models.Model):
    """A deliverable's reported state at a status date (what its EV method reads)."""

    visibility = Visibility.through("record")

    record = models.ForeignKey(
        ProgressRecord, verbose_name=_("progress record"), on_delete=models.CASCADE, related_name="lines"
    )
    work_package = models.ForeignKey(
        WorkPackage, verbose_name=_("deliverable"), on_delete=models.CASCADE, related_name="progress_lines"
    )
    started = models.BooleanField(_("started"), default=False)
    finished = models.BooleanField(_("finished"), default=False)
    percent_complete = models.DecimalField(
        _("percent complete"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    units_done = models.DecimalField(
        _("units done"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    remaining_days = models.DecimalField(
        _("remaining duration (working days)"), **DAYS, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("progress line")
        verbose_name_plural = _("progress lines")
        ordering = ["record", "work_package__code"]
        constraints = [
            models.UniqueConstraint(fields=["record", "work_package"], name="projects_progressline_unique"),
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True) | Q(percent_complete__gte=0, percent_complete__lte=100),
                name="projects_progressline_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id}/{self.work_package_id}"


class CostEntry(models.Model):
    """An actual cost entered by hand (an invoice, hours at a rate, a purchase)."""

    visibility = Visibility.through("project")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="cost_entries"
    )
    work_package = models.ForeignKey(
        WorkPackage,
        verbose_name=_("work package"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cost_entries",
    )
    incurred_on = models.DateField(_("incurred on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    hours = models.DecimalField(_("hours"), **HOURS, default=Decimal(0), validators=[MinValueValidator(0)])
    description = models.CharField(_("description"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("cost entry")
        verbose_name_plural = _("cost entries")
        ordering = ["project", "-incurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.incurred_on} {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.project_id]) + "#cost"


class SettlementLink(models.Model):
    """A share of an approved settlement statement line counted as the project's actual cost.

    The cost falls on the last day of the statement's period (``incurred_on``, copied when linked)."""

    visibility = Visibility.through("project")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="settlement_links"
    )
    line = models.ForeignKey(
        "settlement.StatementLine",
        verbose_name=_("statement line"),
        on_delete=models.PROTECT,
        related_name="project_links",
    )
    share = models.DecimalField(
        _("share"), **SHARE, validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(1)]
    )
    amount = models.DecimalField(_("amount attributed"), **MONEY)
    incurred_on = models.DateField(_("incurred on"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        verbose_name = _("settlement line attribution")
        verbose_name_plural = _("settlement line attributions")
        ordering = ["project", "-incurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "line"], name="projects_settlementlink_unique"),
            models.CheckConstraint(condition=Q(share__gt=0, share__lte=1), name="projects_settlementlink_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} ← {self.line_id} × {self.share}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.project_id]) + "#cost"


class Snapshot(models.Model):
    """Every figure of a project at one status date, as computed then (for reports, trends and indicators)."""

    visibility = Visibility.through("project")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="snapshots")
    status_date = models.DateField(_("status date"))
    baseline = models.ForeignKey(
        Baseline, verbose_name=_("baseline"), on_delete=models.PROTECT, related_name="snapshots"
    )
    computed_at = models.DateTimeField(_("computed at"))
    bac = models.DecimalField(_("BAC"), **MONEY)
    pv = models.DecimalField(_("planned value (PV)"), **MONEY)
    ev = models.DecimalField(_("earned value (EV)"), **MONEY)
    ac = models.DecimalField(_("actual cost (AC)"), **MONEY)
    ac_settlement = models.DecimalField(_("actual cost from settlement"), **MONEY, default=Decimal(0))
    sv = models.DecimalField(_("schedule variance (SV)"), **MONEY)
    cv = models.DecimalField(_("cost variance (CV)"), **MONEY)
    spi = models.DecimalField(_("SPI"), **INDEX, null=True, blank=True)
    cpi = models.DecimalField(_("CPI"), **INDEX, null=True, blank=True)
    eac = models.DecimalField(_("EAC (BAC/CPI)"), **MONEY, null=True, blank=True)
    eac_atypical = models.DecimalField(_("EAC (AC + BAC − EV)"), **MONEY)
    eac_cpi_spi = models.DecimalField(_("EAC (CPI·SPI)"), **MONEY, null=True, blank=True)
    etc = models.DecimalField(_("ETC"), **MONEY, null=True, blank=True)
    vac = models.DecimalField(_("VAC"), **MONEY, null=True, blank=True)
    tcpi = models.DecimalField(_("TCPI"), **INDEX, null=True, blank=True)
    es = models.DecimalField(_("earned schedule (working days)"), **INDEX, null=True, blank=True)
    at = models.PositiveIntegerField(_("actual time (working days)"), null=True, blank=True)
    spi_t = models.DecimalField(_("SPI(t)"), **INDEX, null=True, blank=True)
    light_spi = models.CharField(_("SPI light"), max_length=10, choices=Light.choices)
    light_cpi = models.CharField(_("CPI light"), max_length=10, choices=Light.choices)
    light = models.CharField(_("light"), max_length=10, choices=Light.choices)
    milestones_due = models.PositiveIntegerField(_("milestones due"), default=0)
    milestones_late = models.PositiveIntegerField(_("milestones late"), default=0)
    slippage_days = models.PositiveIntegerField(_("milestone slippage (working days)"), default=0)
    buffer_consumed_share = models.DecimalField(_("buffer consumed"), **INDEX, null=True, blank=True)
    chain_complete_share = models.DecimalField(_("chain complete"), **INDEX, null=True, blank=True)
    burn_rate = models.DecimalField(_("buffer burn rate"), **INDEX, null=True, blank=True)
    fever_zone = models.CharField(_("fever-chart zone"), max_length=10, choices=FeverZone.choices, blank=True)
    # Per feeding chain: its tasks, the chain task it joins, its buffer and where it stood (shares as text).
    feeding_buffers = models.JSONField(_("feeding buffers"), default=list, blank=True)

    class Meta:
        verbose_name = _("project snapshot")
        verbose_name_plural = _("project snapshots")
        ordering = ["project", "status_date"]
        constraints = [models.UniqueConstraint(fields=["project", "status_date"], name="projects_snapshot_unique_date")]

    def __str__(self) -> str:
        return f"{self.project_id} @ {self.status_date}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.project_id]) + "#trend"
