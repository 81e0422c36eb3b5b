"""Rating invitations and ratings, complaints with their immutable timeline, the quarterly prize draw,
and the per-organisation satisfaction settings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.core.models import TimelineEventBase
from oversight.feedback.choices import (
    ComplaintEventKind,
    ComplaintSource,
    ComplaintStatus,
    DrawStatus,
    Quarter,
    RatingChannel,
)
from oversight.tenancy.visibility import Visibility


class FeedbackSettings(models.Model):
    """An organisation's own satisfaction settings; an empty value means the installation default."""

    visibility = Visibility(organisation="organisation")

    organisation = models.OneToOneField(
        "tenancy.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="feedback_settings",
    )
    complaint_max_stars = models.PositiveSmallIntegerField(
        _("complaint at or below (stars)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(5)],
        help_text=_("A rating with this many stars or fewer opens a complaint; 0 never does. Empty: default (2)."),
    )
    rating_link_days = models.PositiveSmallIntegerField(
        _("rating links valid for (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Empty: the installation default (14)."),
    )
    draw_winners = models.PositiveSmallIntegerField(
        _("winners per quarterly draw"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Proposed when a draw is published. Empty: 3."),
    )

    class Meta:
        verbose_name = _("satisfaction settings")
        verbose_name_plural = _("satisfaction settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(complaint_max_stars__isnull=True) | Q(complaint_max_stars__lte=5),
                name="feedback_feedbacksettings_max_stars_range",
            ),
            models.CheckConstraint(
                condition=Q(rating_link_days__isnull=True) | Q(rating_link_days__gte=1, rating_link_days__lte=365),
                name="feedback_feedbacksettings_link_days_range",
            ),
            models.CheckConstraint(
                condition=Q(draw_winners__isnull=True) | Q(draw_winners__gte=1),
                name="feedback_feedbacksettings_winners_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class RatingInvitation(models.Model):
    """A single-use rating link for one work order; only the SHA-256 of its token is stored."""

    visibility = Visibility(organisation="work_order__organisation")

    work_order = models.ForeignKey(
        "tickets.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT, related_name="rating_invitations"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=RatingChannel.choices, default=RatingChannel.LINK)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who asked for this link (empty: issued automatically on resolution)."),
    )
    created_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("invalidated at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    event_id = models.CharField(
        _("issued for event"),
        max_length=32,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("The resolution event that issued this link automatically: one link per resolution."),
    )

    class Meta:
        verbose_name = _("rating invitation")
        verbose_name_plural = _("rating invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["work_order", "-created_at"], name="feedback_invitation_wo_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="feedback_ratinginvitation_expiry_after_issue"
            ),
            models.CheckConstraint(condition=~Q(token_hash=""), name="feedback_ratinginvitation_hash_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id} {self.get_channel_display()} {self.created_at:%Y-%m-%d}"


class Rating(models.Model):
    """A requester's rating of a resolved work order (1–5 stars, optional comment and 0–10 recommendation)."""

    visibility = Visibility(organisation="organisation", vendor="vendor", requester="requester")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    work_order = models.ForeignKey(
        "tickets.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT, related_name="ratings"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="ratings"
    )
    invitation = models.OneToOneField(
        RatingInvitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="ratings"
    )
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    recommend = models.PositiveSmallIntegerField(
        _("would recommend (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    channel = models.CharField(_("channel"), max_length=20, choices=RatingChannel.choices)
    created_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["work_order"], name="feedback_rating_one_per_work_order"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="feedback_rating_stars_range"),
            models.CheckConstraint(
                condition=Q(recommend__isnull=True) | Q(recommend__lte=10), name="feedback_rating_recommend_range"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="feedback_rating_org_idx"),
            models.Index(fields=["vendor", "-created_at"], name="feedback_rating_vendor_idx"),
            models.Index(fields=["requester", "-created_at"], name="feedback_rating_requester_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id}: {self.stars}★"


class Complaint(models.Model):
    """A complaint (投诉) about a work order, from a low rating or entered by the client, with its own lifecycle."""

    visibility = Visibility(organisation="organisation", vendor="vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="complaints"
    )
    work_order = models.ForeignKey(
        "tickets.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT, related_name="complaints"
    )
    rating = models.OneToOneField(
        Rating, verbose_name=_("rating"), null=True, blank=True, on_delete=models.PROTECT, related_name="complaint"
    )
    source = models.CharField(_("source"), max_length=20, choices=ComplaintSource.choices)
    status = models.CharField(_("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_complaints",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))
    updated_at = models.DateTimeField(_("updated at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "-opened_at"], name="feedback_cmp_org_idx"),
            models.Index(fields=["vendor", "status", "-opened_at"], name="feedback_cmp_vendor_idx"),
            models.Index(fields=["assignee", "status"], name="feedback_cmp_assignee_idx"),
            models.Index(fields=["organisation", "-opened_at", "-id"], name="feedback_cmp_opened_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:complaint_detail", args=[self.pk])

    @property
    def title(self) -> str:
        """The summary, or for a complaint opened by a low rating "Rated n of 5 stars" in the reader's language."""
        if self.summary:
            return self.summary
        if self.rating_id is not None:
            return gettext("Rated %(stars)d of 5 stars") % {"stars": self.rating.stars}
        return gettext("Complaint")


class ComplaintEvent(TimelineEventBase):
    """One immutable step of a complaint's timeline: who did what, when (internal notes hidden from the vendor)."""

    visibility = Visibility.through("complaint")

    timeline_parent = "complaint"
    immutable_error = "complaint events are immutable"

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ComplaintEventKind.choices)
    action = models.CharField(_("action"), max_length=30, blank=True)
    body = models.TextField(_("text"), blank=True)
    is_internal = models.BooleanField(_("internal"), default=False)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["complaint", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "seq"], name="feedback_complaintevent_unique_seq"),
        ]


class PrizeDraw(models.Model):
    """The quarterly prize draw (抽奖) among the requesters who rated: participants and seed source published first,
    then drawn with the seed; everything needed to re-run it is stored."""

    visibility = Visibility(organisation="organisation")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=Quarter.choices)
    period_start = models.DateTimeField(_("ratings from"))
    period_end = models.DateTimeField(_("ratings before"))
    winners_count = models.PositiveSmallIntegerField(_("number of winners"), validators=[MinValueValidator(1)])
    seed_source = models.TextField(
        _("seed source"),
        help_text=_("The public value, not yet known, that will be the seed (e.g. a named future lottery draw)."),
    )
    participants = models.JSONField(_("participants"), default=list, blank=True)
    participants_digest = models.CharField(_("participants digest (SHA-256)"), max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=DrawStatus.choices, default=DrawStatus.PUBLISHED)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    seed = models.CharField(_("seed"), max_length=500, blank=True)
    winners = models.JSONField(_("winners"), default=list, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("prize draw")
        verbose_name_plural = _("prize draws")
        ordering = ["organisation", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "quarter"], name="feedback_prizedraw_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="feedback_prizedraw_quarter_range"
            ),
            models.CheckConstraint(condition=Q(winners_count__gte=1), name="feedback_prizedraw_winners_positive"),
            models.CheckConstraint(
                condition=Q(status=DrawStatus.PUBLISHED) | (Q(drawn_at__isnull=False) & ~Q(seed="")),
                name="feedback_prizedraw_drawn_has_seed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:draw_detail", args=[self.pk])
