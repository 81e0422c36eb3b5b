"""Problems (问题) with their root-cause analysis and immutable timeline, the live links from incidents, known
errors (已知错误), the suggestions raised by recurring incidents, and the per-organisation settings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import Level, Priority
from oversight.core.concurrency import VersionETag
from oversight.core.models import TimelineEventBase
from oversight.core.numbering import YearlyCounter
from oversight.problems.choices import (
    OPEN_PROBLEM_STATUSES,
    ClusterDimension,
    ProblemEventKind,
    ProblemStatus,
    RootCauseCategory,
    SuggestionStatus,
    WorkaroundEffect,
)
from oversight.tenancy.visibility import Visibility


class ProblemSettings(models.Model):
    """An organisation's own problem settings (the suggestion rule); an empty value means the default."""

    visibility = Visibility(organisation="organisation")

    organisation = models.OneToOneField(
        "tenancy.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="problem_settings",
    )
    min_incidents = models.PositiveSmallIntegerField(
        _("incidents that suggest a problem (k)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_("This many incidents of one service, category or configuration item suggest a problem. Empty: 3."),
    )
    window_days = models.PositiveSmallIntegerField(
        _("within business days (W)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Counted on the business calendar: today's working day and the ones before it. Empty: 5."),
    )
    calendar = models.ForeignKey(
        "catalog.BusinessCalendar",
        verbose_name=_("business calendar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the calendar of the new incident's resolution target."),
    )

    class Meta:
        verbose_name = _("problem settings")
        verbose_name_plural = _("problem settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_incidents__isnull=True) | Q(min_incidents__gte=2, min_incidents__lte=100),
                name="problems_problemsettings_min_incidents_range",
            ),
            models.CheckConstraint(
                condition=Q(window_days__isnull=True) | Q(window_days__gte=1, window_days__lte=30),
                name="problems_problemsettings_window_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ProblemCounter(YearlyCounter):
    """Per organisation and year, the last problem number handed out (locked while incremented)."""

    visibility = Visibility(organisation="organisation", roles=frozenset())  # bookkeeping: nobody reads it

    class Meta(YearlyCounter.Meta):
        verbose_name = _("problem counter")
        verbose_name_plural = _("problem counters")


class Problem(VersionETag, models.Model):
    """A problem (问题): the unknown cause of one or more incidents, analysed until it is removed."""

    # Vendor staff see the problems attributed to their vendor here; `problems.selectors.problem_list` adds
    # those linked to one of their vendor's work orders (through the links' own declaration).
    visibility = Visibility(organisation="organisation", vendor="vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices, default=Level.MEDIUM)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Level.choices, default=Level.MEDIUM)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices, default=Priority.P3)
    status = models.CharField(_("status"), max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("problem owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_problems",
    )
    # Root-cause analysis (根因分析).
    root_cause_category = models.CharField(
        _("root-cause category"), max_length=20, choices=RootCauseCategory.choices, blank=True
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    # Five ordered {"why": ..., "answer": ...} pairs; fishbone: category code -> list of causes.
    five_whys = models.JSONField(_("5 whys"), default=list, blank=True)
    fishbone = models.JSONField(_("fishbone"), default=dict, blank=True)
    workaround = models.TextField(_("workaround"), blank=True)
    workaround_effect = models.CharField(
        _("does the workaround work?"),
        max_length=20,
        choices=WorkaroundEffect.choices,
        default=WorkaroundEffect.UNTESTED,
    )
    permanent_fix = models.TextField(_("permanent fix"), blank=True)
    # Vendor attribution: which vendor caused it, under which contract and commitment.
    vendor = models.ForeignKey(
        "tenancy.Vendor",
        verbose_name=_("attributable to vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    commitment = models.ForeignKey(
        "contracts.ContractCommitment",
        verbose_name=_("contract commitment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    attribution_note = models.CharField(_("contract clause"), max_length=300, blank=True)
    # The configuration items the problem concerns, and the change that caused it (if one did).
    configuration_items = models.ManyToManyField(
        "configuration.ConfigurationItem",
        verbose_name=_("configuration items"),
        blank=True,
        related_name="problems",
    )
    caused_by_change = models.ForeignKey(
        "changes.Change",
        verbose_name=_("caused by change"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="caused_problems",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    root_cause_found_at = models.DateTimeField(_("root cause found at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    workaround_communicated_at = models.DateTimeField(_("workaround communicated at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="problems_org_created_idx"),
            models.Index(fields=["organisation", "status", "-created_at"], name="problems_org_status_idx"),
            models.Index(fields=["vendor", "status", "-created_at"], name="problems_vendor_status_idx"),
            models.Index(fields=["service", "status"], name="problems_service_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=3) & Q(urgency__gte=1, urgency__lte=3),
                name="problems_problem_levels_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("problems:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Not yet resolved, closed or cancelled."""
        return self.status in OPEN_PROBLEM_STATUSES


class ProblemEvent(TimelineEventBase):
    """One immutable step of a problem's timeline: who did what, when."""

    visibility = Visibility.through("problem")

    timeline_parent = "problem"
    immutable_error = "problem events are immutable"

    problem = models.ForeignKey(Problem, verbose_name=_("problem"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=ProblemEventKind.choices)
    action = models.CharField(_("action"), max_length=30, blank=True)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        ordering = ["problem", "seq"]
        constraints = [models.UniqueConstraint(fields=["problem", "seq"], name="problems_problemevent_unique_seq")]


class ProblemIncident(models.Model):
    """A live link from an incident (a work order) to the problem behind it: who linked it, when."""

    # Vendor staff see the links of their own vendor's work orders (and through them, the problem).
    visibility = Visibility(organisation="problem__organisation", vendor="work_order__vendor")

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.PROTECT, related_name="incident_links"
    )
    work_order = models.OneToOneField(
        "tickets.WorkOrder", verbose_name=_("work order"), on_delete=models.CASCADE, related_name="problem_link"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("linked at"))
    workaround_sent_at = models.DateTimeField(_("workaround sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("linked incident")
        verbose_name_plural = _("linked incidents")
        ordering = ["problem", "linked_at", "id"]
        indexes = [models.Index(fields=["problem", "linked_at"], name="problems_link_problem_idx")]

    def __str__(self) -> str:
        return f"{self.problem_id} ← {self.work_order_id}"


class KnownError(models.Model):
    """A known error (已知错误): a problem whose cause is known, with its symptom, workaround and solution."""

    visibility = Visibility(organisation="organisation", vendor="vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    problem = models.OneToOneField(
        Problem,
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="known_error",
    )
    title = models.CharField(_("title"), max_length=200)
    symptom = models.TextField(_("symptom"))
    root_cause = models.TextField(_("root cause"), blank=True)
    workaround = models.TextField(_("workaround"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="known_errors",
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor",
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="known_errors",
    )
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("known error")
        verbose_name_plural = _("known errors")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at", "-id"], name="problems_ke_org_idx")]
        constraints = [models.CheckConstraint(condition=~Q(symptom=""), name="problems_knownerror_symptom_given")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("problems:known_error_detail", args=[self.pk])


class ProblemSuggestion(models.Model):
    """A suggestion to open a problem: k incidents of one service, category or item within W business days."""

    visibility = Visibility(organisation="organisation")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    dimension = models.CharField(_("in common"), max_length=20, choices=ClusterDimension.choices)
    # "service:12", "category:3", "ci:7": what the incidents share (one open suggestion per key).
    key = models.CharField(_("key"), max_length=60)
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "catalog.ServiceCategory",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    configuration_item = models.ForeignKey(
        "configuration.ConfigurationItem",
        verbose_name=_("configuration item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    work_order_ids = models.JSONField(_("incidents"), default=list)
    window_start = models.DateTimeField(_("window from"))
    created_at = models.DateTimeField(_("suggested at"))
    event_id = models.CharField(_("raised by event"), max_length=32, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem suggestion")
        verbose_name_plural = _("problem suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "-created_at"], name="problems_sugg_org_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"],
                condition=Q(status=SuggestionStatus.OPEN),
                name="problems_problemsuggestion_one_open_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({len(self.work_order_ids)})"

    def get_absolute_url(self) -> str:
        return reverse("problems:suggestions")
