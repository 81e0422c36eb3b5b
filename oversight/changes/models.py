"""Changes (变更) with their risk, immutable timeline and post-implementation review, and the catalogue of
pre-approved standard changes (标准变更模板)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.changes.choices import (
    AWAITING_AUTHORISATION,
    FINAL_STATUSES,
    ChangeEventKind,
    ChangeStatus,
    ChangeType,
    ReviewOutcome,
    RiskLevel,
)
from oversight.core.models import TimelineEventBase
from oversight.tenancy.visibility import WHOLE_ORGANISATION, Visibility


class ChangeTemplate(models.Model):
    """A pre-approved standard change (标准变更): its plans and risk were agreed once, so a change made from it
    skips assessment and authorisation."""

    # The catalogue is shared reference data of the organisation: every vendor may raise a standard change.
    visibility = Visibility(organisation="organisation", vendor=WHOLE_ORGANISATION)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_templates",
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor",
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_templates",
        help_text=_("Empty: any vendor may use the template."),
    )
    implementation_plan = models.TextField(_("implementation plan"))
    backout_plan = models.TextField(_("backout plan"))
    test_plan = models.TextField(_("test plan"), blank=True)
    expected_outage_minutes = models.PositiveIntegerField(_("expected outage (minutes)"), default=0)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("standard change template")
        verbose_name_plural = _("standard change templates")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="changes_changetemplate_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ChangeCounter(models.Model):
    """Per organisation and year, the last change number handed out (locked while incremented)."""

    visibility = Visibility(organisation="organisation", roles=frozenset())  # bookkeeping: nobody reads it

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("change counter")
        verbose_name_plural = _("change counters")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="changes_changecounter_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class Change(models.Model):
    """A change (变更) a vendor makes to the client's services: planned, risk-assessed, authorised, scheduled,
    implemented and reviewed."""

    # Vendor staff see the changes their vendor implements; requesters see none.
    visibility = Visibility(organisation="organisation", vendor="implementer")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=ChangeType.choices, default=ChangeType.NORMAL)
    template = models.ForeignKey(
        ChangeTemplate,
        verbose_name=_("standard change template"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.NEW)
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("affected services"), blank=True, related_name="changes"
    )
    implementation_plan = models.TextField(_("implementation plan"), blank=True)
    backout_plan = models.TextField(_("backout plan"), blank=True)
    test_plan = models.TextField(_("test plan"), blank=True)
    expected_outage_minutes = models.PositiveIntegerField(_("expected outage (minutes)"), default=0)
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    implementer = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("implementer"), on_delete=models.PROTECT, related_name="changes"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    # Risk (ADR 0022): both scores with how they were computed, and the higher of the two.
    risk_rule_score = models.PositiveSmallIntegerField(_("rule-based risk score"), default=0)
    risk_rule_level = models.PositiveSmallIntegerField(
        _("rule-based risk"), choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    risk_rule_factors = models.JSONField(_("rule-based risk factors"), default=list, blank=True)
    risk_answers = models.JSONField(_("risk questionnaire answers"), default=dict, blank=True)
    risk_questionnaire_percent = models.DecimalField(
        _("risk questionnaire (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    risk_questionnaire_level = models.PositiveSmallIntegerField(
        _("questionnaire risk"), choices=RiskLevel.choices, null=True, blank=True
    )
    risk_level = models.PositiveSmallIntegerField(_("risk"), choices=RiskLevel.choices, default=RiskLevel.LOW)
    # Implemented without authorisation (recorded by the supervisor): counted by the unauthorised-changes KPI.
    unauthorised = models.BooleanField(_("implemented without authorisation"), default=False)
    # Post-implementation review.
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices, blank=True)
    review_notes = models.TextField(_("review notes"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    authorised_at = models.DateTimeField(_("authorised at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="changes_org_created_idx"),
            models.Index(fields=["organisation", "status", "-created_at"], name="changes_org_status_idx"),
            models.Index(fields=["implementer", "status", "-created_at"], name="changes_vendor_status_idx"),
            models.Index(fields=["organisation", "planned_start"], name="changes_org_window_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_end__gt=models.F("planned_start")),
                name="changes_change_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(risk_level__gte=models.F("risk_rule_level")), name="changes_change_risk_is_the_higher"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("changes:detail", args=[self.number])

    @property
    def is_final(self) -> bool:
        """Closed, rejected or cancelled."""
        return self.status in FINAL_STATUSES

    @property
    def awaits_authorisation(self) -> bool:
        """A normal or emergency change not yet authorised nor rejected."""
        return self.type != ChangeType.STANDARD and self.status in AWAITING_AUTHORISATION

    @property
    def etag(self) -> str:
        """The value clients send back in If-Match to prove they saw the latest version."""
        return f'"{self.pk}-{self.version}"'


class ChangeEvent(TimelineEventBase):
    """One immutable step of a change's timeline: who did what, when."""

    visibility = Visibility.through("change")

    timeline_parent = "change"
    immutable_error = "change events are immutable"

    change = models.ForeignKey(Change, verbose_name=_("change"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=ChangeEventKind.choices)
    action = models.CharField(_("action"), max_length=30, blank=True)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("change event")
        verbose_name_plural = _("change events")
        ordering = ["change", "seq"]
        constraints = [models.UniqueConstraint(fields=["change", "seq"], name="changes_changeevent_unique_seq")]
