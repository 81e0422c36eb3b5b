"""Web pages for changes, by topic: the list and a change's page with the forms that request, edit, assess and
move it (`change`), the decisions taken on it (`decisions`: votes, exceptions, the review, incidents caused),
CAB meetings (`cab`), the template catalogue and approval policies (`catalogue`), and the change calendar with
its windows (`calendar`); `common` holds what they share.

Views only parse input and call changes.services; what anyone may see comes from changes.selectors (404 for what
a reader may not see). Pages are for client and vendor staff; requesters see no change.
"""

from oversight.changes.views.cab import CabDetailView, CabListView
from oversight.changes.views.calendar import CalendarView, WindowDeactivateView, WindowListView
from oversight.changes.views.catalogue import PolicyView, TemplateEditView, TemplateListView
from oversight.changes.views.change import (
    ChangeCreateView,
    ChangeDetailView,
    ChangeEditView,
    ChangeListView,
    ChangeRiskView,
    ChangeTransitionView,
    change_page,
)
from oversight.changes.views.decisions import (
    ChangeExceptionView,
    ChangeLinkView,
    ChangeReviewView,
    ChangeUnlinkView,
    ChangeVoteView,
)

__all__ = [
    "CabDetailView",
    "CabListView",
    "CalendarView",
    "ChangeCreateView",
    "ChangeDetailView",
    "ChangeEditView",
    "ChangeExceptionView",
    "ChangeLinkView",
    "ChangeListView",
    "ChangeReviewView",
    "ChangeRiskView",
    "ChangeTransitionView",
    "ChangeUnlinkView",
    "ChangeVoteView",
    "PolicyView",
    "TemplateEditView",
    "TemplateListView",
    "WindowDeactivateView",
    "WindowListView",
    "change_page",
]
