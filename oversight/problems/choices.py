"""Problem statuses with the one table of problem transitions, root-cause categories, the fishbone's six
categories (人机料法环测), timeline kinds, suggestion states and the audit action labels of the app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine, repeat_unless


class ProblemStatus(models.TextChoices):
    """Problem status; see PROBLEM_TRANSITIONS for how one may move between them."""

    NEW = "new", _("New")
    ASSESSED = "assessed", _("Assessed")
    ANALYSIS = "analysis", _("Root-cause analysis")
    KNOWN_ERROR = "known_error", _("Known error")
    FIX_IN_CHANGE = "fix_in_change", _("Fix in change")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class ProblemAction(models.TextChoices):
    """The transitions of a problem; each is one call of `problems.services.problem_transition`."""

    ASSESS = "assess", _("Mark as assessed")
    ANALYSE = "analyse", _("Start root-cause analysis")
    RECORD_KNOWN_ERROR = "record_known_error", _("Record as known error")
    FIX_IN_CHANGE = "fix_in_change", _("Hand the fix to a change")
    RESOLVE = "resolve", _("Mark as resolved")
    CLOSE = "close", _("Close")
    CANCEL = "cancel", _("Cancel")
    REOPEN = "reopen", _("Reopen")


#: A problem is open (it explains incidents still being worked on) until it is resolved, closed or cancelled.
OPEN_PROBLEM_STATUSES = frozenset(
    {
        ProblemStatus.NEW,
        ProblemStatus.ASSESSED,
        ProblemStatus.ANALYSIS,
        ProblemStatus.KNOWN_ERROR,
        ProblemStatus.FIX_IN_CHANGE,
    }
)
#: Statuses in which the root cause has been found (the problem left the analysis with a cause).
ROOT_CAUSE_FOUND_STATUSES = frozenset({ProblemStatus.KNOWN_ERROR, ProblemStatus.FIX_IN_CHANGE})

# The one table of allowed problem transitions: action -> (statuses it may start from, status it leads to).
PROBLEM_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ProblemAction.ASSESS: (frozenset({ProblemStatus.NEW}), ProblemStatus.ASSESSED),
    ProblemAction.ANALYSE: (frozenset({ProblemStatus.NEW, ProblemStatus.ASSESSED}), ProblemStatus.ANALYSIS),
    ProblemAction.RECORD_KNOWN_ERROR: (frozenset({ProblemStatus.ANALYSIS}), ProblemStatus.KNOWN_ERROR),
    ProblemAction.FIX_IN_CHANGE: (
        frozenset({ProblemStatus.ANALYSIS, ProblemStatus.KNOWN_ERROR}),
        ProblemStatus.FIX_IN_CHANGE,
    ),
    ProblemAction.RESOLVE: (
        frozenset({ProblemStatus.ANALYSIS, ProblemStatus.KNOWN_ERROR, ProblemStatus.FIX_IN_CHANGE}),
        ProblemStatus.RESOLVED,
    ),
    ProblemAction.CLOSE: (frozenset({ProblemStatus.RESOLVED}), ProblemStatus.CLOSED),
    ProblemAction.CANCEL: (OPEN_PROBLEM_STATUSES, ProblemStatus.CANCELLED),
    ProblemAction.REOPEN: (frozenset({ProblemStatus.RESOLVED, ProblemStatus.CLOSED}), ProblemStatus.ANALYSIS),
}
# Transitions that need a text from the person asking (why a problem is cancelled or reopened).
PROBLEM_ACTIONS_NEEDING_NOTE = frozenset({ProblemAction.CANCEL, ProblemAction.REOPEN})

# The problem's state machine (oversight.core.transitions). Supervisors act for the organisation, so any of
# them repeating a step already done is harmless; "reopen" leads where "analyse" leads, so it is never a repeat.
PROBLEM_MACHINE = Machine(
    name="problems.problem",
    table=PROBLEM_TRANSITIONS,
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the problem is “%(status)s”.")
        % {"action": ProblemAction(action).label, "status": ProblemStatus(status).label}
    ),
    stale=_("This problem was changed by someone else in the meantime. Reload it and try again."),
    audit="problems.problem.{action}",
    timeline="problems.ProblemEvent",
    timeline_kind="status_changed",
    same_request=repeat_unless(ProblemAction.REOPEN),
)


class RootCauseCategory(models.TextChoices):
    """What kind of cause a problem turned out to have."""

    HARDWARE = "hardware", _("Hardware fault")
    SOFTWARE = "software", _("Software defect")
    CONFIGURATION = "configuration", _("Configuration error")
    NETWORK = "network", _("Network")
    CAPACITY = "capacity", _("Capacity or performance")
    HUMAN = "human", _("Human error")
    PROCESS = "process", _("Process or procedure")
    VENDOR = "vendor", _("Vendor or supplier")
    ENVIRONMENT = "environment", _("Environment (power, cooling, building)")
    UNKNOWN = "unknown", _("Not determined")


class FishboneCategory(models.TextChoices):
    """The six categories of a fishbone (Ishikawa) diagram, 人机料法环测."""

    MAN = "man", _("Man (people)")
    MACHINE = "machine", _("Machine (equipment)")
    MATERIAL = "material", _("Material")
    METHOD = "method", _("Method")
    ENVIRONMENT = "environment", _("Environment")
    MEASUREMENT = "measurement", _("Measurement")


#: How many why/answer pairs a 5-whys analysis has.
WHY_COUNT = 5


class WorkaroundEffect(models.TextChoices):
    """Whether the workaround works."""

    UNTESTED = "untested", _("Not yet known")
    WORKS = "works", _("Works")
    PARTLY = "partly", _("Works partly")
    FAILS = "fails", _("Does not work")


class ProblemEventKind(models.TextChoices):
    """Kinds of step in a problem's timeline."""

    CREATED = "created", _("Created")
    STATUS_CHANGED = "status_changed", _("Status changed")
    EDITED = "edited", _("Details changed")
    ANALYSIS = "analysis", _("Analysis updated")
    LINKED = "linked", _("Incident linked")
    UNLINKED = "unlinked", _("Incident unlinked")
    COMMUNICATED = "communicated", _("Workaround communicated")
    KNOWN_ERROR = "known_error", _("Known error recorded")


class ClusterDimension(models.TextChoices):
    """What the incidents of a suggested problem have in common."""

    SERVICE = "service", _("Same service")
    CATEGORY = "category", _("Same category")
    CI = "ci", _("Same configuration item")


class SuggestionStatus(models.TextChoices):
    """A suggestion is open until a supervisor turns it into a problem or dismisses it."""

    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Problem created")
    DISMISSED = "dismissed", _("Dismissed")


#: The defaults of the suggestion rule: k incidents within W business days.
DEFAULT_MIN_INCIDENTS = 3
DEFAULT_WINDOW_DAYS = 5


# Readable names of the audit actions this app writes (oversight.audit.actions collects them); the transitions
# are named `problems.problem.<action>` by PROBLEM_MACHINE.
AUDIT_ACTIONS = {
    "problems.problem.created": _("Problem created"),
    "problems.problem.updated": _("Problem details changed"),
    "problems.problem.analysis_updated": _("Problem root-cause analysis updated"),
    "problems.problem.assess": _("Problem assessed"),
    "problems.problem.analyse": _("Problem root-cause analysis started"),
    "problems.problem.record_known_error": _("Problem recorded as known error"),
    "problems.problem.fix_in_change": _("Problem fix handed to a change"),
    "problems.problem.resolve": _("Problem resolved"),
    "problems.problem.close": _("Problem closed"),
    "problems.problem.cancel": _("Problem cancelled"),
    "problems.problem.reopen": _("Problem reopened"),
    "problems.problem.incident_linked": _("Incident linked to a problem"),
    "problems.problem.incident_unlinked": _("Incident unlinked from a problem"),
    "problems.problem.workaround_communicated": _("Workaround communicated to the linked incidents"),
    "problems.knownerror.created": _("Known error recorded"),
    "problems.knownerror.updated": _("Known error changed"),
    "problems.problemsuggestion.created": _("Problem suggested from recurring incidents"),
    "problems.problemsuggestion.dismissed": _("Problem suggestion dismissed"),
    "problems.problemsuggestion.accepted": _("Problem suggestion turned into a problem"),
    "problems.problemsettings.changed": _("Problem settings changed"),
}
