"""The service facts: one row per work order (its contributions) and one row per day and key (their sums).

``WorkOrderFact`` records, for every work order that counts (not cancelled, consistent records), the key it is
counted under and the local day of each thing the indicators count: its receipt, each SLA target's deadline and
outcome, its current resolution, its first resolution. ``DailyFact`` holds the sums per organisation-local day and
key (vendor, service, site, priority, category), plus the ratings and complaints of the day, and
``VendorDailyFact`` their totals per day and vendor (what vendor-wide reads sum: a few hundred rows for half a year,
however many work orders). A contract is not a
column: its scope is a set of services and sites, which are, so a report reads a contract's figures by filtering
on them (and a new contract version never makes the stored rows stale).

Both tables are derived data: ``oversight.facts.services`` writes them (domain-event handlers refresh the rows a
work order touches; ``manage.py facts_rebuild`` recomputes them), nothing else does.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import Priority
from oversight.facts.choices import Outcome
from oversight.tenancy.roles import MANAGEMENT_ROLES
from oversight.tenancy.visibility import Visibility

# Read like the service reports they feed: the client side of the organisation and the vendor's own manager.
FACTS_VISIBILITY = Visibility(organisation="organisation", vendor="vendor", roles=MANAGEMENT_ROLES)


class WorkOrderFact(models.Model):
    """What one work order contributes to the daily facts (the indicators' reading of it, with local days)."""

    visibility = FACTS_VISIBILITY

    # No database constraint: when a work order is deleted its fact stays until the refresh, which reads it to
    # know which daily rows the work order was counted in, then removes it.
    work_order = models.OneToOneField(
        "tickets.WorkOrder",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("work order"),
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    vendor = models.ForeignKey("tenancy.Vendor", on_delete=models.CASCADE, related_name="+", verbose_name=_("vendor"))
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, related_name="+", verbose_name=_("service")
    )
    site = models.ForeignKey(
        "tenancy.Site", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    category = models.ForeignKey(
        "catalog.ServiceCategory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("category"),
    )
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("received on"))
    response_outcome = models.CharField(_("response"), max_length=10, choices=Outcome.choices, blank=True)
    response_due_at = models.DateTimeField(_("response due at"), null=True, blank=True)
    response_due_on = models.DateField(_("response due on"), null=True, blank=True)
    onsite_outcome = models.CharField(_("on-site arrival"), max_length=10, choices=Outcome.choices, blank=True)
    onsite_due_at = models.DateTimeField(_("on-site arrival due at"), null=True, blank=True)
    onsite_due_on = models.DateField(_("on-site arrival due on"), null=True, blank=True)
    resolution_outcome = models.CharField(_("resolution"), max_length=10, choices=Outcome.choices, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due at"), null=True, blank=True)
    resolution_due_on = models.DateField(_("resolution due on"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution_ms = models.BigIntegerField(_("time to resolve (ms)"), null=True, blank=True)
    calendar_time = models.BooleanField(_("measured in calendar time"), default=False)
    first_resolved_on = models.DateField(_("first resolved on"), null=True, blank=True)
    first_time_fixed = models.BooleanField(_("fixed the first time"), default=False)
    reopened = models.BooleanField(_("reopened"), default=False)

    class Meta:
        verbose_name = _("work-order fact")
        verbose_name_plural = _("work-order facts")
        indexes = [
            models.Index(fields=["vendor", "received_on"], name="facts_wof_vendor_received_idx"),
            models.Index(fields=["vendor", "resolved_at"], name="facts_wof_vendor_resolved_idx"),
            models.Index(fields=["organisation", "vendor", "service"], name="facts_wof_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id} {self.received_on}"


class DailyCounters(models.Model):
    """The counters of one organisation-local day (what the indicators sum); the concrete tables add their key."""

    received = models.PositiveIntegerField(_("received"), default=0)
    response_met = models.PositiveIntegerField(_("responses met"), default=0)
    response_missed = models.PositiveIntegerField(_("responses missed"), default=0)
    response_running = models.PositiveIntegerField(_("responses running"), default=0)
    response_pending = models.PositiveIntegerField(_("responses not decided"), default=0)
    onsite_met = models.PositiveIntegerField(_("on-site arrivals met"), default=0)
    onsite_missed = models.PositiveIntegerField(_("on-site arrivals missed"), default=0)
    onsite_running = models.PositiveIntegerField(_("on-site arrivals running"), default=0)
    onsite_pending = models.PositiveIntegerField(_("on-site arrivals not decided"), default=0)
    resolution_met = models.PositiveIntegerField(_("resolutions met"), default=0)
    resolution_missed = models.PositiveIntegerField(_("resolutions missed"), default=0)
    resolution_running = models.PositiveIntegerField(_("resolutions running"), default=0)
    resolution_pending = models.PositiveIntegerField(_("resolutions not decided"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    resolution_ms = models.BigIntegerField(_("time to resolve, sum (ms)"), default=0)
    resolved_calendar = models.PositiveIntegerField(_("resolved, measured in calendar time"), default=0)
    first_resolved = models.PositiveIntegerField(_("first resolved"), default=0)
    first_time_fixed = models.PositiveIntegerField(_("fixed the first time"), default=0)
    reopened = models.PositiveIntegerField(_("first resolved and reopened"), default=0)
    ratings = models.PositiveIntegerField(_("ratings"), default=0)
    rating_stars = models.PositiveIntegerField(_("stars, sum"), default=0)
    ratings_satisfied = models.PositiveIntegerField(_("ratings of 4–5 stars"), default=0)
    ratings_answered = models.PositiveIntegerField(_("ratings answering the recommend question"), default=0)
    promoters = models.PositiveIntegerField(_("promoters (9–10)"), default=0)
    detractors = models.PositiveIntegerField(_("detractors (0–6)"), default=0)
    complaints = models.PositiveIntegerField(_("complaints"), default=0)

    class Meta:
        abstract = True


COUNTERS = tuple(f.name for f in DailyCounters._meta.fields)


class DailyFact(DailyCounters):
    """The sums of one organisation-local day for one key (vendor, service, site, priority, category)."""

    visibility = FACTS_VISIBILITY

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    day = models.DateField(_("day"))
    vendor = models.ForeignKey("tenancy.Vendor", on_delete=models.CASCADE, related_name="+", verbose_name=_("vendor"))
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, related_name="+", verbose_name=_("service")
    )
    site = models.ForeignKey(
        "tenancy.Site", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    category = models.ForeignKey(
        "catalog.ServiceCategory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("category"),
    )

    class Meta:
        verbose_name = _("daily service fact")
        verbose_name_plural = _("daily service facts")
        indexes = [
            models.Index(fields=["organisation", "vendor", "day"], name="facts_daily_vendor_day_idx"),
            models.Index(fields=["organisation", "day"], name="facts_daily_org_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.vendor_id}/{self.service_id}/{self.site_id}/{self.priority}"


class VendorDailyFact(DailyCounters):
    """The sums of one organisation-local day for one vendor: its daily facts added up (vendor-wide reads)."""

    visibility = FACTS_VISIBILITY

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    day = models.DateField(_("day"))
    vendor = models.ForeignKey("tenancy.Vendor", on_delete=models.CASCADE, related_name="+", verbose_name=_("vendor"))

    class Meta:
        verbose_name = _("daily vendor fact")
        verbose_name_plural = _("daily vendor facts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "vendor", "day"], name="%(app_label)s_%(class)s_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.vendor_id}"
