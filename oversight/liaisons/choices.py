"""Choices of the liaisons app: liaison roles, escalation triggers and channels, the escalation's and the hotline
report's state machines, and the audit action labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine


class LiaisonRole(models.TextChoices):
    """The role a named liaison holds for a vendor or for the client organisation."""

    PROJECT_MANAGER = "project_manager", _("Project manager")
    QC_MANAGER = "qc_manager", _("Quality manager")
    ONSITE_LEAD = "onsite_lead", _("On-site lead")
    CLIENT_SUPERVISOR = "client_supervisor", _("Client supervisor")
    IT_DIRECTOR = "it_director", _("IT director")


class Trigger(models.TextChoices):
    """What starts an escalation episode."""

    PRIORITY_BREACH = "priority_breach", _("Work-order SLA breach")
    OPEN_COMPLAINT = "open_complaint", _("Open complaint")
    OVERDUE_ACTION = "overdue_action", _("Overdue action item")
    RED_KRI = "red_kri", _("Red key risk indicator")
    STALLED_CHANGE = "stalled_change", _("Stalled change")


class Delivery(models.TextChoices):
    """How a level's recipients hear of it: in the application only, or also by e-mail."""

    IN_APP = "in_app", _("In the application")
    EMAIL = "email", _("In the application and by e-mail")


class EscalationStatus(models.TextChoices):
    """An escalation episode runs until its subject is resolved."""

    OPEN = "open", _("Open")
    SETTLED = "settled", _("Settled")


class EscalationAction(models.TextChoices):
    """What can happen to an escalation episode."""

    SETTLE = "settle", _("Settle")


ESCALATION_MACHINE = Machine(
    name="liaisons.escalation",
    table={EscalationAction.SETTLE: (frozenset({EscalationStatus.OPEN}), EscalationStatus.SETTLED)},
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the escalation is “%(status)s”.")
        % {"action": EscalationAction(action).label, "status": EscalationStatus(status).label}
    ),
    audit="liaisons.escalation.{action}",
)


class HotlineStatus(models.TextChoices):
    """Where a report to the supervision hotline stands."""

    NEW = "new", _("New")
    CONVERTED = "converted", _("Passed on")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


class HotlineAction(models.TextChoices):
    """What the supervisor does with a hotline report."""

    CONVERT = "convert", _("Pass on")
    RESOLVE = "resolve", _("Resolve")
    DISMISS = "dismiss", _("Dismiss")


HOTLINE_MACHINE = Machine(
    name="liaisons.hotlinereport",
    table={
        HotlineAction.CONVERT: (frozenset({HotlineStatus.NEW}), HotlineStatus.CONVERTED),
        HotlineAction.RESOLVE: (frozenset({HotlineStatus.CONVERTED}), HotlineStatus.RESOLVED),
        HotlineAction.DISMISS: (frozenset({HotlineStatus.NEW}), HotlineStatus.DISMISSED),
    },
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the report is “%(status)s”.")
        % {"action": HotlineAction(action).label, "status": HotlineStatus(status).label}
    ),
    audit="liaisons.hotlinereport.{action}",
)

#: Statuses of a report still waiting for the supervisor or for the subject it was passed on to.
OPEN_HOTLINE_STATUSES = frozenset({HotlineStatus.NEW, HotlineStatus.CONVERTED})

AUDIT_ACTIONS = {
    "liaisons.liaison.created": _("Liaison added"),
    "liaisons.liaison.changed": _("Liaison changed"),
    "liaisons.liaison.deleted": _("Liaison removed"),
    "liaisons.escalationmatrix.created": _("Escalation matrix created"),
    "liaisons.escalationmatrix.changed": _("Escalation matrix changed"),
    "liaisons.escalationrule.created": _("Escalation level added"),
    "liaisons.escalationrule.changed": _("Escalation level changed"),
    "liaisons.escalationrule.deleted": _("Escalation level removed"),
    "liaisons.escalation.raised": _("Escalation raised"),
    "liaisons.escalation.stepped": _("Escalation level sent"),
    "liaisons.escalation.settle": _("Escalation settled"),
    "liaisons.hotlinepage.created": _("Hotline page created"),
    "liaisons.hotlinepage.changed": _("Hotline page changed"),
    "liaisons.hotlinearea.created": _("Hotline service area added"),
    "liaisons.hotlinearea.changed": _("Hotline service area changed"),
    "liaisons.hotlinereport.created": _("Hotline report received"),
    "liaisons.hotlinereport.convert": _("Hotline report passed on"),
    "liaisons.hotlinereport.resolve": _("Hotline report resolved"),
    "liaisons.hotlinereport.dismiss": _("Hotline report dismissed"),
}
