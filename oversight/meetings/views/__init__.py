"""Web pages of the meetings app, by part: plans and series, meetings, action items, calendar files and feed.

Views only parse input and call meetings.services; what anyone may see comes from meetings.selectors (404 for
what a reader may not see). Pages are for client and vendor staff; requesters see no meeting."""

from oversight.meetings.views.actions import ActionDetailView, ActionListView, ActionTransitionView
from oversight.meetings.views.calendar import FeedInfoView, MeetingFeedView, MeetingIcsView, SeriesIcsView
from oversight.meetings.views.meetings import (
    ActionItemCreateView,
    AgendaItemCreateView,
    AttendanceView,
    DecisionCreateView,
    MeetingDetailView,
    MeetingListView,
    MeetingPrefillView,
    MeetingSignView,
    MeetingTransitionView,
    MinutesPdfView,
    MinutesView,
    ParticipantsView,
)
from oversight.meetings.views.plans import (
    MeetingCreateView,
    PlanCreateView,
    PlanDetailView,
    PlanListView,
    PlanRowCreateView,
    SeriesCreateView,
    SeriesDetailView,
    SeriesScheduleView,
)

__all__ = [
    "ActionDetailView",
    "ActionItemCreateView",
    "ActionListView",
    "ActionTransitionView",
    "AgendaItemCreateView",
    "AttendanceView",
    "DecisionCreateView",
    "FeedInfoView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingFeedView",
    "MeetingIcsView",
    "MeetingListView",
    "MeetingPrefillView",
    "MeetingSignView",
    "MeetingTransitionView",
    "MinutesPdfView",
    "MinutesView",
    "ParticipantsView",
    "PlanCreateView",
    "PlanDetailView",
    "PlanListView",
    "PlanRowCreateView",
    "SeriesCreateView",
    "SeriesDetailView",
    "SeriesIcsView",
    "SeriesScheduleView",
]
