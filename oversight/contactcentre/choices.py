"""Choices of the contact-centre app and the labels of its audit actions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: Every action code the contact-centre services write to the audit trail, with its label.
AUDIT_ACTIONS = {
    "contactcentre.queue.created": _("Contact queue created"),
    "contactcentre.queue.changed": _("Contact queue changed"),
    "contactcentre.servicelevelterm.created": _("Service-level term created"),
    "contactcentre.servicelevelterm.changed": _("Service-level term changed"),
    "contactcentre.servicelevelterm.deleted": _("Service-level term removed"),
    "contactcentre.intervalfact.imported": _("Interval data imported"),
    "contactcentre.intervalfact.corrected": _("Interval data corrected"),
    "contactcentre.periodlock.created": _("Interval period locked"),
    "contactcentre.periodlock.deleted": _("Interval period unlocked"),
    "contactcentre.columnmapping.changed": _("Import column mapping saved"),
}
