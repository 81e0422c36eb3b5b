"""The main navigation: which sections each role works in (``{% load oversight_nav %}``, used by base.html)."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oversight.tenancy.choices import Role
from oversight.tenancy.roles import (
    ADMINISTRATORS,
    AUDIT_READERS,
    CLIENT_OPERATORS,
    CLIENT_ROLES,
    MANAGEMENT_ROLES,
    READ_ONLY_ROLES,
    STAFF_ROLES,
    VENDOR_ROLES,
)

register = template.Library()


def _nav_spec(user) -> list[tuple[str, object]]:
    """(URL name, label) of each section the user's role works in, in menu order."""
    if not user.is_authenticated:
        return []
    role = user.role
    items: list[tuple[str, object]] = []
    if user.is_superuser or role in VENDOR_ROLES:
        items.append(("tickets:workbench", _("Workbench")))
    if user.is_superuser or role in MANAGEMENT_ROLES:
        items.append(("tickets:board", _("Supervision board")))
    if role == Role.REQUESTER:
        items.append(("tickets:portal", _("My requests")))
    if user.is_superuser or role not in READ_ONLY_ROLES:
        items.append(("tickets:create", _("New request")))
    if user.is_superuser or role != Role.REQUESTER:
        items.append(("feedback:complaints", _("Complaints")))
    items.append(("knowledge:list", _("Knowledge base")))
    if user.is_superuser or role in CLIENT_ROLES:
        items.append(("feedback:draws", _("Prize draws")))
    if user.is_superuser or role in MANAGEMENT_ROLES:
        items.append(("contracts:list", _("Contracts")))
        items.append(("scorecards:list", _("Evaluations")))
        items.append(("settlement:list", _("Settlements")))
        items.append(("reports:index", _("Service reports")))
    if user.is_superuser or role in CLIENT_ROLES | VENDOR_ROLES:
        items.append(("problems:list", _("Problems")))
        items.append(("changes:list", pgettext_lazy("change management", "Changes")))
        items.append(("projects:list", _("Projects")))
        items.append(("improvement:list", _("Improvements")))
        items.append(("meetings:list", _("Meetings")))
        items.append(("contactcentre:dashboard", _("Contact centre")))
    if user.is_superuser or role in STAFF_ROLES:
        items.append(("configuration:list", _("Configuration items")))
        items.append(("parts:overview", _("Spare parts")))
        items.append(("liaisons:liaison-list", _("Liaisons")))
    if user.is_superuser or role in CLIENT_ROLES:
        items.append(("portfolio:overview", _("Vendor portfolio")))
        items.append(("risks:list", _("Risks")))
        items.append(("reports:dashboard", _("Vendor dashboard")))
        items.append(("sourcing:scenario_list", _("Sourcing scenarios")))
    if user.is_superuser or role == Role.CLIENT_ADMIN:
        items.append(("tickets:intake_points", _("QR codes")))
    if user.is_superuser or role in CLIENT_OPERATORS:
        items.append(("mailintake:log", _("E-mail intake")))
        items.append(("notifications:channel_list", _("Notification channels")))
    if user.is_superuser or role in AUDIT_READERS:
        items.append(("audit:list", _("Audit trail")))
    if role in ADMINISTRATORS:
        items.append((SETUP_ITEM, _("Setup")))
    return items


#: The menu entry of the administrator's setup pages; every page of these namespaces marks it as current.
SETUP_ITEM = "catalog:services"
SETUP_NAMESPACES = ("catalog", "people")


@register.simple_tag(takes_context=True)
def nav_items(context) -> list[dict]:
    """The main navigation for the signed-in user's role, with the current section marked."""
    request = context.get("request")
    if request is None:
        return []
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    items = []
    for name, label in _nav_spec(request.user):
        url = reverse(name)
        active = current == name or (name == "tickets:portal" and current == "tickets:detail")
        if name == SETUP_ITEM and match is not None and match.namespace in SETUP_NAMESPACES:
            active = True
        items.append({"url": url, "label": label, "active": active})
    return items
