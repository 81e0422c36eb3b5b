"""Liaisons (联络人) per vendor and per client organisation, the escalation matrix (升级矩阵) as data, the
escalation episodes and the levels sent for each, and the public supervision hotline (监管热线).

Who sees what: a vendor's staff see their own vendor's liaisons, matrix and escalations and the client's (rows
without a vendor: the selectors add those, see `selectors.client_side_q`); another vendor's rows are a 404. The
hotline's pages and reports are the client's alone."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import Priority
from oversight.core.bilingual import pick_name
from oversight.liaisons.choices import Delivery, EscalationStatus, HotlineStatus, LiaisonRole, Trigger
from oversight.tenancy.roles import CLIENT_ROLES
from oversight.tenancy.visibility import Visibility

#: Rows of one vendor or of the client side (vendor empty): the client's roles see all of them, a vendor's staff
#: their own vendor's through the gate (the selectors add the client side's rows for them).
VENDOR_OR_CLIENT = Visibility(organisation="organisation", vendor="vendor")
#: The hotline is the client's: vendors and requesters see none of it.
CLIENT_ONLY = Visibility(organisation="organisation", roles=CLIENT_ROLES)


def new_token() -> str:
    """An unguessable token for a public page address."""
    return secrets.token_urlsafe(16)


class Contact(models.Model):
    """A person to reach: an account of the organisation, or a name, phone and e-mail for people without one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        """The name to show: the given name, else the account's."""
        if self.name:
            return self.name
        if self.user_id:
            return self.user.get_full_name() or self.user.username
        return ""

    @property
    def display_email(self) -> str:
        """The e-mail to show: the given one, else the account's."""
        return self.email or (self.user.email if self.user_id else "")

    @property
    def display_phone(self) -> str:
        """The phone to show: the given one, else the account's."""
        return self.phone or (getattr(self.user, "phone", "") if self.user_id else "")


class Liaison(Contact):
    """A named liaison (联络人) of a vendor or of the client organisation (vendor empty), by role, with working
    hours on a business calendar and ordered deputies."""

    visibility = VENDOR_OR_CLIENT

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor",
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaisons",
        help_text=_("Empty for the client organisation's own liaisons."),
    )
    role = models.CharField(_("role"), max_length=30, choices=LiaisonRole.choices)
    calendar = models.ForeignKey(
        "catalog.BusinessCalendar",
        verbose_name=_("working hours"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Outside these hours the deputies are notified too."),
    )
    on_hotline = models.BooleanField(
        _("listed on the supervision hotline"),
        default=False,
        help_text=_("Shown with phone and e-mail on the public hotline page."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        ordering = ["organisation", "vendor", "role", "position", "id"]
        indexes = [models.Index(fields=["organisation", "vendor", "role"], name="liaisons_liaison_org_role_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(user__isnull=True, name=""), name="liaisons_liaison_user_or_name"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("liaisons:liaison-detail", args=[self.pk])


class LiaisonDeputy(Contact):
    """One deputy (代理人) of a liaison, in order: the first reachable one stands in outside working hours."""

    visibility = Visibility.through("liaison")

    liaison = models.ForeignKey(Liaison, verbose_name=_("liaison"), on_delete=models.CASCADE, related_name="deputies")
    position = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["liaison", "position"]
        constraints = [
            models.UniqueConstraint(fields=["liaison", "position"], name="liaisons_liaisondeputy_unique_position"),
            models.CheckConstraint(
                condition=~Q(user__isnull=True, name=""), name="liaisons_liaisondeputy_user_or_name"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class EscalationMatrix(models.Model):
    """An organisation's escalation matrix (vendor empty), or one vendor's override of it: its levels are
    counted in business hours on its calendar."""

    visibility = VENDOR_OR_CLIENT

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor",
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalation_matrices",
        help_text=_("Empty for the organisation's matrix; a vendor's own matrix overrides it per trigger."),
    )
    calendar = models.ForeignKey(
        "catalog.BusinessCalendar", verbose_name=_("business calendar"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("escalation matrix")
        verbose_name_plural = _("escalation matrices")
        ordering = ["organisation", "vendor"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "vendor"], name="liaisons_escalationmatrix_one_per_vendor"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(vendor__isnull=True),
                name="liaisons_escalationmatrix_one_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return str(self.vendor) if self.vendor_id else str(self.organisation)

    def get_absolute_url(self) -> str:
        return reverse("liaisons:matrix-detail", args=[self.pk])


class EscalationRule(models.Model):
    """One row of a matrix: for a trigger (and priority), the level that fires a number of business hours after
    the trigger's start, who hears of it and how."""

    visibility = Visibility.through("matrix")

    matrix = models.ForeignKey(
        EscalationMatrix, verbose_name=_("matrix"), on_delete=models.CASCADE, related_name="rules"
    )
    trigger = models.CharField(_("trigger"), max_length=30, choices=Trigger.choices)
    priority = models.CharField(
        _("priority"),
        max_length=5,
        choices=Priority.choices,
        blank=True,
        help_text=_("For SLA breaches: only work orders of this priority (empty: every priority)."),
    )
    level = models.PositiveSmallIntegerField(_("level"))
    wait_hours = models.DecimalField(
        _("wait (business hours)"),
        max_digits=7,
        decimal_places=2,
        help_text=_("Business hours after the trigger's start before this level fires."),
    )
    roles = models.JSONField(_("liaison roles"), default=list, blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("people"), blank=True, related_name="+")
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IN_APP)
    channel = models.ForeignKey(
        "notifications.Channel",
        verbose_name=_("group chat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Also post this level to a group-chat robot or webhook."),
    )

    class Meta:
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation levels")
        ordering = ["matrix", "trigger", "priority", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["matrix", "trigger", "priority", "level"], name="liaisons_escalationrule_unique_level"
            ),
            models.CheckConstraint(condition=Q(level__gte=1), name="liaisons_escalationrule_level_positive"),
            models.CheckConstraint(condition=Q(wait_hours__gte=0), name="liaisons_escalationrule_wait_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} L{self.level}"


class Escalation(models.Model):
    """One escalation episode (升级): a trigger on one subject from its start until the subject is resolved."""

    visibility = VENDOR_OR_CLIENT

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor",
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    trigger = models.CharField(_("trigger"), max_length=30, choices=Trigger.choices)
    priority = models.CharField(_("priority"), max_length=5, blank=True)
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.PositiveBigIntegerField(_("subject"))
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("address"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("started at"))
    status = models.CharField(
        _("status"), max_length=10, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    level = models.PositiveSmallIntegerField(_("highest level sent"), default=0)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-started_at", "-id"], name="liaisons_esc_org_started_idx"),
            models.Index(fields=["status", "started_at"], name="liaisons_esc_status_idx"),
            models.Index(fields=["subject_type", "subject_id", "trigger"], name="liaisons_esc_subject_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["trigger", "subject_type", "subject_id", "started_at"],
                name="liaisons_escalation_once_per_episode",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("liaisons:escalation-detail", args=[self.pk])


class EscalationStep(models.Model):
    """One level of an episode, sent exactly once: when it fell due, when it was sent, to whom."""

    visibility = Visibility.through("escalation")

    escalation = models.ForeignKey(
        Escalation, verbose_name=_("escalation"), on_delete=models.CASCADE, related_name="steps"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    rule = models.ForeignKey(
        EscalationRule, verbose_name=_("matrix row"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"))
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    # [{"user_id": 3, "name": "…", "via": "in_app"}, {"user_id": null, "name": "…", "phone": "…"}]
    recipients = models.JSONField(_("recipients"), default=list)

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["escalation", "level"]
        constraints = [
            models.UniqueConstraint(fields=["escalation", "level"], name="liaisons_escalationstep_once_per_level"),
        ]

    def __str__(self) -> str:
        return f"{self.escalation} L{self.level}"


class HotlinePage(models.Model):
    """An organisation's public supervision hotline page (监管热线), reached without login by its token."""

    visibility = CLIENT_ONLY

    organisation = models.OneToOneField(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="hotline"
    )
    token = models.CharField(_("address token"), max_length=40, unique=True, default=new_token)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)
    phone = models.CharField(_("hotline phone"), max_length=40, blank=True)
    email = models.EmailField(_("hotline e-mail"), blank=True)
    is_active = models.BooleanField(_("open to the public"), default=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("hotline page")
        verbose_name_plural = _("hotline pages")
        ordering = ["organisation"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("liaisons:hotline-settings")

    def public_url(self) -> str:
        """The page's public address (no login)."""
        return reverse("liaisons:hotline-public", args=[self.token])

    @property
    def localized_title(self) -> str:
        return pick_name(self.title, self.title_en)

    @property
    def localized_intro(self) -> str:
        return pick_name(self.intro, self.intro_en)


class HotlineArea(models.Model):
    """A service area on the hotline page: a short text and the liaisons to contact (of its vendor, if any)."""

    visibility = Visibility.through("page")

    page = models.ForeignKey(
        HotlinePage, verbose_name=_("hotline page"), on_delete=models.CASCADE, related_name="areas"
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    text = models.TextField(_("text"), blank=True)
    text_en = models.TextField(_("text in English"), blank=True)
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("hotline service area")
        verbose_name_plural = _("hotline service areas")
        ordering = ["page", "position", "id"]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        return pick_name(self.name, self.name_en)

    @property
    def localized_text(self) -> str:
        return pick_name(self.text, self.text_en)


class HotlineReport(models.Model):
    """A report to the supervision hotline: anonymous unless the reporter leaves a contact; the supervisor passes
    it on as a complaint or a work order (the link is kept) and its resolution time is measured."""

    visibility = CLIENT_ONLY

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        HotlineArea, verbose_name=_("service area"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(_("what happened"))
    contact = models.CharField(_("contact (optional)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=HotlineStatus.choices, default=HotlineStatus.NEW)
    received_at = models.DateTimeField(_("received at"))
    triaged_at = models.DateTimeField(_("passed on at"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("passed on by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    complaint = models.ForeignKey(
        "feedback.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_order = models.ForeignKey(
        "tickets.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("hotline report")
        verbose_name_plural = _("hotline reports")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-received_at", "-id"], name="liaisons_hotline_org_idx"),
            models.Index(fields=["organisation", "status"], name="liaisons_hotline_status_idx"),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return reverse("liaisons:hotline-report-detail", args=[self.pk])
