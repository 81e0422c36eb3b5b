"""Web pages of the evaluation app, by topic: periods (list, page, workflow actions), disputes, manual entries and
evidence, drill-down pages, schemes (versions, editor, template) and trend charts.

Views only parse input and call scorecards.services; what anyone may see comes from scorecards.selectors
(an invisible object is a 404; an action the role may not take is a 403 from the service).
"""

from oversight.scorecards.views.disputes import DisputeCreateView, DisputeDecideView
from oversight.scorecards.views.drilldown import CommitmentDrilldownView, ResultDrilldownView
from oversight.scorecards.views.entries import EvidenceDownloadView, ManualEntryView
from oversight.scorecards.views.periods import (
    LockView,
    PeriodDetailView,
    PeriodListView,
    PeriodOpenView,
    PublishView,
    RecomputeView,
    ReviseView,
    SignView,
)
from oversight.scorecards.views.schemes import SchemeEditView, SchemeTemplateView, SchemeView
from oversight.scorecards.views.trends import TrendView

__all__ = [
    "CommitmentDrilldownView",
    "DisputeCreateView",
    "DisputeDecideView",
    "EvidenceDownloadView",
    "LockView",
    "ManualEntryView",
    "PeriodDetailView",
    "PeriodListView",
    "PeriodOpenView",
    "PublishView",
    "RecomputeView",
    "ResultDrilldownView",
    "ReviseView",
    "SchemeEditView",
    "SchemeTemplateView",
    "SchemeView",
    "SignView",
    "TrendView",
]
