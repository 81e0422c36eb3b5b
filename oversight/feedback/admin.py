"""Satisfaction settings per organisation (editable, audited); ratings, invitations, complaints and prize draws
for inspection only (they change through feedback.services)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from oversight.feedback.models import Complaint, ComplaintEvent, FeedbackSettings, PrizeDraw, Rating, RatingInvitation
from oversight.tenancy.admin_base import AuditedModelAdmin, ReadOnlyInlineMixin, ReadOnlyModelAdmin


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(AuditedModelAdmin):
    """An organisation's complaint threshold, rating-link validity and default number of draw winners."""

    fixed_on_change = ("organisation",)
    list_display = ("organisation", "complaint_max_stars", "rating_link_days", "draw_winners")
    list_select_related = ("organisation",)


@admin.register(RatingInvitation)
class RatingInvitationAdmin(ReadOnlyModelAdmin):
    """Rating links issued (the token itself is never stored; only its hash, not shown here)."""

    list_display = ("work_order", "channel", "created_at", "expires_at", "used_at", "revoked_at", "emailed_at")
    list_filter = ("channel",)
    list_select_related = ("work_order",)
    search_fields = ("work_order__number",)
    exclude = ("token_hash",)


@admin.register(Rating)
class RatingAdmin(ReadOnlyModelAdmin):
    """Ratings given by requesters."""

    list_display = ("work_order", "vendor", "stars", "recommend", "channel", "created_at")
    list_filter = ("stars", "channel", ("vendor", RelatedOnlyFieldListFilter))
    list_select_related = ("work_order", "vendor")
    search_fields = ("work_order__number",)


class ComplaintEventInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The immutable timeline of a complaint."""

    model = ComplaintEvent
    fields = ("seq", "at", "actor", "kind", "action", "from_status", "to_status", "body", "is_internal")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyModelAdmin):
    """Complaints for inspection; they are handled on the complaint pages and through the API."""

    inlines = [ComplaintEventInline]
    list_display = ("pk", "summary", "work_order", "vendor", "source", "status", "assignee", "opened_at")
    list_filter = ("status", "source", ("vendor", RelatedOnlyFieldListFilter))
    list_select_related = ("work_order", "vendor", "assignee")
    search_fields = ("work_order__number", "summary")


@admin.register(PrizeDraw)
class PrizeDrawAdmin(ReadOnlyModelAdmin):
    """Quarterly prize draws, as published and drawn."""

    list_display = ("year", "quarter", "organisation", "status", "winners_count", "published_at", "drawn_at")
    list_filter = ("status",)
    list_select_related = ("organisation",)
