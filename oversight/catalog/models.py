"""Service catalog, business calendars and versioned SLA policies."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import CalendarYearSource, HolidaySource, Level, Priority, SLAMetric, Weekday
from oversight.core.bilingual import BilingualName
from oversight.tenancy.visibility import WHOLE_ORGANISATION, Visibility


class BilingualNameMixin(BilingualName, models.Model):
    """A name in the organisation's language plus an optional English one for English users."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.localized_name


class ServiceCategory(BilingualNameMixin):
    """A reporting category for services (desktop, network, clinical applications...)."""

    visibility = Visibility(organisation="organisation", vendor=WHOLE_ORGANISATION, requester=WHOLE_ORGANISATION)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="catalog_servicecategory_unique_code")
        ]


class BusinessCalendar(models.Model):
    """Working hours in a time zone, with public holidays and adjusted working days."""

    visibility = Visibility(organisation="organisation", vendor=WHOLE_ORGANISATION)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="calendars"
    )
    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    holiday_source = models.CharField(
        _("public holidays"), max_length=20, choices=HolidaySource.choices, default=HolidaySource.CHINA
    )
    # Bumped by every change so cached engine specs are rebuilt. The random token makes the cache key
    # unique even when a rolled-back transaction lets SQLite hand the same primary key out again.
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    revision_token = models.UUIDField(_("revision token"), default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="catalog_businesscalendar_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CalendarRevision(models.Model):
    """A calendar as it stood from one edit until the next (docs/adr/0015-effective-dated-calendars.md).

    Written by every change (``calendar_bump_revision``): SLA clocks measure each instant on the calendar in
    force at that instant, so time already counted keeps the calendar it was counted on.
    """

    visibility = Visibility.through("calendar")

    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="revisions"
    )
    revision = models.PositiveIntegerField(_("revision"))
    effective_from = models.DateTimeField(_("in force from"))
    # The engine's CalendarSpec as data: time zone, weekly hours, date overrides, covered years.
    spec = models.JSONField(_("calendar as it stood"))

    class Meta:
        verbose_name = _("calendar revision")
        verbose_name_plural = _("calendar revisions")
        ordering = ["calendar", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "revision"], name="catalog_calendarrevision_unique_revision")
        ]

    def __str__(self) -> str:
        return f"{self.calendar} #{self.revision}"


class CalendarInterval(models.Model):
    """One working interval of a weekday, in the calendar's local time (e.g. 08:00–12:00)."""

    visibility = Visibility.through("calendar")

    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="intervals"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_minute = models.PositiveSmallIntegerField(_("start (minutes after midnight)"))
    end_minute = models.PositiveSmallIntegerField(_("end (minutes after midnight)"))

    class Meta:
        verbose_name = _("working interval")
        verbose_name_plural = _("working intervals")
        ordering = ["calendar", "weekday", "start_minute"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_minute__lt=F("end_minute")) & Q(end_minute__lte=1440),
                name="catalog_calendarinterval_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_minute // 60:02d}:{self.start_minute % 60:02d}"


class CalendarYear(models.Model):
    """A year whose public holidays and adjusted working days are known for this calendar."""

    visibility = Visibility.through("calendar")

    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=20, choices=CalendarYearSource.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))

    class Meta:
        verbose_name = _("covered year")
        verbose_name_plural = _("covered years")
        ordering = ["calendar", "year"]
        constraints = [models.UniqueConstraint(fields=["calendar", "year"], name="catalog_calendaryear_unique")]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A date that departs from the weekly pattern: a holiday, or a working day (调休) with its hours."""

    visibility = Visibility.through("calendar")

    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"))
    is_working = models.BooleanField(_("working day"))
    # Working intervals as [[start_minute, end_minute], ...]; empty = the calendar's Monday hours.
    intervals = models.JSONField(_("working intervals"), default=list, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=CalendarYearSource.choices)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["calendar", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="catalog_calendarday_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class SLAPolicy(models.Model):
    """A named SLA policy; its terms live in immutable versions so history is never rewritten."""

    visibility = Visibility(organisation="organisation", vendor="services__vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="sla_policies"
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["organisation", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="catalog_slapolicy_unique_code")]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> "SLAPolicyVersion | None":
        """The newest version, which new work orders use."""
        return self.versions.order_by("-number").first()


class SLAPolicyVersion(models.Model):
    """One immutable version of an SLA policy: warning threshold, pauses and targets."""

    visibility = Visibility.through("policy")

    policy = models.ForeignKey(SLAPolicy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)
    warning_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("warning at (% of target)"),
        default=75,
        help_text=_("Escalate when this share of the target has elapsed."),
    )
    # Work-order statuses that pause each clock, e.g. {"resolution": ["pending_requester", ...]}.
    pause_statuses = models.JSONField(_("statuses that pause each clock"), default=dict, blank=True)

    class Meta:
        verbose_name = _("SLA policy version")
        verbose_name_plural = _("SLA policy versions")
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="catalog_slapolicyversion_unique_number"),
            models.CheckConstraint(
                condition=Q(warning_percent__gte=1) & Q(warning_percent__lte=99),
                name="catalog_slapolicyversion_warning_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"


class SLATarget(models.Model):
    """The business time allowed for one metric at one priority, counted on a calendar."""

    visibility = Visibility.through("version")

    version = models.ForeignKey(
        SLAPolicyVersion, verbose_name=_("policy version"), on_delete=models.CASCADE, related_name="targets"
    )
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    metric = models.CharField(_("metric"), max_length=20, choices=SLAMetric.choices)
    target_minutes = models.PositiveIntegerField(_("target (business minutes)"))
    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["version", "priority", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["version", "priority", "metric"], name="catalog_slatarget_unique"),
            models.CheckConstraint(condition=Q(target_minutes__gt=0), name="catalog_slatarget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.priority} {self.metric} {self.target_minutes}"


class PriorityRule(models.Model):
    """One cell of an organisation's impact × urgency → priority matrix."""

    visibility = Visibility(organisation="organisation")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="priority_rules"
    )
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Level.choices)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)

    class Meta:
        verbose_name = _("priority rule")
        verbose_name_plural = _("priority matrix")
        ordering = ["organisation", "impact", "urgency"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "impact", "urgency"], name="catalog_priorityrule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.impact}×{self.urgency}→{self.priority}"


class Service(BilingualNameMixin):
    """A service in the catalog, run by one vendor, with a default SLA policy."""

    visibility = Visibility(organisation="organisation", vendor="vendor", requester=WHOLE_ORGANISATION)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="services"
    )
    code = models.SlugField(_("code"), max_length=40)
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="services"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("owning vendor"), on_delete=models.PROTECT, related_name="services"
    )
    sla_policy = models.ForeignKey(
        SLAPolicy, verbose_name=_("default SLA policy"), on_delete=models.PROTECT, related_name="services"
    )
    description = models.TextField(_("description"), blank=True)
    is_critical = models.BooleanField(_("critical"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["organisation", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="catalog_service_unique_code")]


class Offering(BilingualNameMixin):
    """A concrete thing a requester can ask for under a service (e.g. "printer jam")."""

    visibility = Visibility.through("service")

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="offerings")
    kind = models.CharField(
        _("default work order type"),
        max_length=20,
        choices=[("incident", _("Incident")), ("service_request", _("Service request"))],
        default="incident",
    )
    requires_onsite = models.BooleanField(_("needs on-site visit"), default=False)
    sla_policy = models.ForeignKey(
        SLAPolicy,
        verbose_name=_("SLA policy override"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offerings",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["service", "name"]
