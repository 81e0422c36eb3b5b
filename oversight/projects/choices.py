"""Project kinds and statuses with the project's state machine, baseline statuses with theirs, earned-value
methods, traffic lights and the audit action labels of the app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oversight.core.transitions import Machine
from oversight.quant import critical_chain, evm


class ProjectKind(models.TextChoices):
    """What an outsourcing project does."""

    VENDOR_ONBOARDING = "vendor_onboarding", _("Vendor onboarding")
    SYSTEM_MIGRATION = "system_migration", _("System migration")
    VENDOR_TRANSITION = "vendor_transition", _("Vendor transition")
    OTHER = "other", _("Other project")


class ProjectStatus(models.TextChoices):
    """A project is planned, runs (or is on hold), is closed out and closed."""

    PLANNING = "planning", _("Planning")
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")


class ProjectAction(models.TextChoices):
    """The transitions of a project; each is one call of `projects.services.project_transition`."""

    START = "start", _("Start the project (sets the first baseline)")
    HOLD = "hold", _("Put on hold")
    RESUME = "resume", _("Resume")
    CLOSE_OUT = "close_out", _("Begin closing")
    CLOSE = "close", _("Close")


# The one table of project transitions: action -> (statuses it may start from, status it leads to).
PROJECT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ProjectAction.START: (frozenset({ProjectStatus.PLANNING}), ProjectStatus.ACTIVE),
    ProjectAction.HOLD: (frozenset({ProjectStatus.ACTIVE}), ProjectStatus.ON_HOLD),
    ProjectAction.RESUME: (frozenset({ProjectStatus.ON_HOLD}), ProjectStatus.ACTIVE),
    ProjectAction.CLOSE_OUT: (frozenset({ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD}), ProjectStatus.CLOSING),
    ProjectAction.CLOSE: (frozenset({ProjectStatus.CLOSING}), ProjectStatus.CLOSED),
}
#: Statuses in which progress and cost are reported.
REPORTING_STATUSES = frozenset({ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD, ProjectStatus.CLOSING})

PROJECT_MACHINE = Machine(
    name="projects.project",
    table=PROJECT_TRANSITIONS,
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the project is “%(status)s”.")
        % {"action": ProjectAction(action).label, "status": ProjectStatus(status).label}
    ),
    stale=_("This project was changed by someone else in the meantime. Reload it and try again."),
    audit="projects.project.{action}",
)


class BaselineStatus(models.TextChoices):
    """A re-baseline is requested, then approved (it becomes the plan measured against) or rejected."""

    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class BaselineAction(models.TextChoices):
    """The decisions on a requested baseline (a client supervisor's)."""

    APPROVE = "approve", _("Approve the baseline")
    REJECT = "reject", _("Reject the baseline")


BASELINE_MACHINE = Machine(
    name="projects.baseline",
    table={
        BaselineAction.APPROVE: (frozenset({BaselineStatus.REQUESTED}), BaselineStatus.APPROVED),
        BaselineAction.REJECT: (frozenset({BaselineStatus.REQUESTED}), BaselineStatus.REJECTED),
    },
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the baseline is “%(status)s”.")
        % {"action": BaselineAction(action).label, "status": BaselineStatus(status).label}
    ),
    audit="projects.baseline.{action}",
)


class EvMethod(models.TextChoices):
    """How a deliverable earns its budget (oversight.quant.evm)."""

    FIXED_0_100 = evm.METHOD_FIXED_0_100, _("0/100 (all when finished)")
    FIXED_50_50 = evm.METHOD_FIXED_50_50, _("50/50 (half when started)")
    FIXED_20_80 = evm.METHOD_FIXED_20_80, _("20/80 (a fifth when started)")
    PERCENT = evm.METHOD_PERCENT, _("Percent complete (entered)")
    MILESTONES = evm.METHOD_MILESTONES, _("Weighted milestones")
    UNITS = evm.METHOD_UNITS, _("Units complete")


class Light(models.TextChoices):
    """A traffic light (green on plan, yellow under the red deviation, red at or above it)."""

    GREEN = evm.LIGHT_GREEN, pgettext_lazy("traffic light", "Green")
    YELLOW = evm.LIGHT_YELLOW, pgettext_lazy("traffic light", "Yellow")
    RED = evm.LIGHT_RED, pgettext_lazy("traffic light", "Red")
    UNKNOWN = evm.LIGHT_UNKNOWN, _("Not yet measurable")


class FeverZone(models.TextChoices):
    """A zone of the critical-chain fever chart."""

    GREEN = critical_chain.ZONE_GREEN, pgettext_lazy("traffic light", "Green")
    YELLOW = critical_chain.ZONE_YELLOW, pgettext_lazy("traffic light", "Yellow")
    RED = critical_chain.ZONE_RED, pgettext_lazy("traffic light", "Red")


class CostSource(models.TextChoices):
    """Where an actual cost comes from."""

    ENTRY = "entry", _("Cost entry")
    SETTLEMENT = "settlement", _("Settlement line")


# Readable names of the audit actions this app writes (oversight.audit.actions collects them).
AUDIT_ACTIONS = {
    "projects.project.created": _("Project created"),
    "projects.project.updated": _("Project details changed"),
    "projects.project.start": _("Project started"),
    "projects.project.hold": _("Project put on hold"),
    "projects.project.resume": _("Project resumed"),
    "projects.project.close_out": _("Project closing begun"),
    "projects.project.close": _("Project closed"),
    "projects.workpackage.created": _("Work package added"),
    "projects.workpackage.changed": _("Work package changed"),
    "projects.workpackage.deleted": _("Work package deleted"),
    "projects.milestone.created": _("Milestone added"),
    "projects.milestone.changed": _("Milestone changed"),
    "projects.milestone.deleted": _("Milestone deleted"),
    "projects.baseline.created": _("Baseline set"),
    "projects.baseline.requested": _("Re-baseline requested"),
    "projects.baseline.approve": _("Baseline approved"),
    "projects.baseline.reject": _("Baseline rejected"),
    "projects.progressrecord.recorded": _("Project progress recorded"),
    "projects.costentry.created": _("Project cost entered"),
    "projects.settlementlink.created": _("Settlement line attributed to a project"),
    "projects.settlementlink.deleted": _("Settlement line detached from a project"),
}
