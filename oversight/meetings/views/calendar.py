"""Meetings in calendar programs: one meeting or one series as .ics (downloaded by a signed-in reader), and each
person's subscription feed of their meetings and action-item due dates, read with the person's meetings calendar
key in its address (ADR 0029, one live key per person and feed; ADR 0036), or with their change calendar key as
addresses made before the meetings calendar had its own key were."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.changes.choices import FeedKind
from oversight.changes.feed_views import FeedKeyPage
from oversight.changes.services import feed_key_owner
from oversight.core import clock
from oversight.core.files import download_response, readable_filename
from oversight.core.preferences import user_preferences_override
from oversight.core.views import RoleRequiredMixin
from oversight.meetings import ics, selectors
from oversight.meetings.choices import MeetingStatus
from oversight.meetings.presentation import person
from oversight.meetings.views.common import READERS

#: How much of the past and the future the personal feed holds.
FEED_PAST = dt.timedelta(days=92)
FEED_FUTURE = dt.timedelta(days=366)
FEED_CACHE_CONTROL = "private, max-age=300"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _url(path: str) -> str:
    return settings.OVERSIGHT_BASE_URL.rstrip("/") + path


def _domain(organisation) -> str:
    return f"{organisation.code}.oversight"


def meeting_rows(meetings) -> list[ics.MeetingRow]:
    """Meetings as calendar rows, worded in the active language."""
    rows = []
    for meeting in meetings:
        details = [
            gettext("Vendor: %(vendor)s") % {"vendor": meeting.vendor},
            gettext("Status: %(status)s") % {"status": meeting.get_status_display()},
        ]
        if meeting.online_link:
            details.append(meeting.online_link)
        rows.append(
            ics.MeetingRow(
                id=meeting.pk,
                summary=meeting.title,
                description="\n".join(details),
                start=meeting.starts_at,
                end=meeting.ends_at,
                location=meeting.location or meeting.online_link,
                url=_url(meeting.get_absolute_url()),
                cancelled=meeting.status == MeetingStatus.CANCELLED,
                version=meeting.version,
                updated_at=meeting.updated_at,
            )
        )
    return rows


def due_rows(items) -> list[ics.DueRow]:
    """Action items' due dates as calendar rows."""
    return [
        ics.DueRow(
            id=item.pk,
            summary=gettext("Action due: %(title)s") % {"title": item.title},
            description=gettext("Owner: %(owner)s") % {"owner": person(item.owner)},
            due_on=item.due_on,
            url=_url(item.get_absolute_url()),
            updated_at=item.updated_at,
        )
        for item in items
    ]


class MeetingIcsView(RoleRequiredMixin, View):
    """`/meetings/<pk>.ics`: one meeting as an iCalendar file."""

    allowed_roles = READERS

    def get(self, request, pk):
        meeting = selectors.meeting_get(user=request.user, pk=pk)
        body = ics.build(name=meeting.title, domain=_domain(meeting.organisation), meetings=meeting_rows([meeting]))
        return download_response(
            body, filename=readable_filename(meeting.title, extension="ics"), content_type=CONTENT_TYPE
        )


class SeriesIcsView(RoleRequiredMixin, View):
    """`/meetings/series/<pk>.ics`: every meeting of a series (on their working days) as an iCalendar file."""

    allowed_roles = READERS

    def get(self, request, pk):
        series = selectors.series_get(user=request.user, pk=pk)
        meetings = selectors.series_meetings(user=request.user, series=series).select_related("vendor")
        body = ics.build(name=str(series), domain=_domain(series.organisation), meetings=meeting_rows(meetings))
        return download_response(
            body, filename=readable_filename(str(series), extension="ics"), content_type=CONTENT_TYPE
        )


class MeetingFeedView(View):
    """GET `/meetings/feed/<key>.ics`: the key owner's meetings (those they are invited to) and the due dates of
    their open action items, in the owner's language; an unknown or revoked key is a 404."""

    def get(self, request, key: str):
        owner = feed_key_owner(secret=key, feeds=(FeedKind.MEETINGS, FeedKind.CHANGES))
        if owner is None:
            raise Http404
        now = clock.now()
        with user_preferences_override(owner):
            meetings = selectors.meetings_with_people(user=owner, person=owner).filter(
                starts_at__gte=now - FEED_PAST, starts_at__lt=now + FEED_FUTURE
            )
            items = selectors.action_list(user=owner).filter(owner=owner, due_at__gte=now - FEED_PAST)
            body = ics.build(
                name=gettext("Meetings: %(name)s") % {"name": person(owner)},
                domain=_domain(owner.organisation),
                meetings=meeting_rows(meetings.order_by("starts_at", "pk")),
                dues=due_rows(items.exclude(status__in=("done", "cancelled")).order_by("due_at", "pk")),
            )
        return download_response(
            body, filename="meetings.ics", content_type=CONTENT_TYPE, cache_control=FEED_CACHE_CONTROL
        )


class FeedInfoView(FeedKeyPage):
    """`/meetings/feed/`: the person's meetings calendar key: create (or re-create) it, the feed's address shown on
    this answer only, or revoke it. It is a key of its own: re-creating it leaves the change calendar's address
    working (and an address made with the change calendar's key, as before, still opens this feed)."""

    feed = FeedKind.MEETINGS
    template_name = "meetings/feed.html"
    page_url_name = "meetings:feed_info"
    feed_url_name = "meetings:feed"
    revoked_message = _("Your meetings calendar key was revoked; its address no longer works.")
