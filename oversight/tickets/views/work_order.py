"""The work-order page (header, SLA clocks and why, timeline, comments, attachments) and its writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.files import download_response
from oversight.tenancy.selectors import vendor_list
from oversight.tickets import permissions
from oversight.tickets.choices import Action, Status
from oversight.tickets.forms import (
    ACTIONS_NEEDING_REASON,
    ACTIONS_WITH_NOTE,
    ACTIONS_WITH_RESOLUTION,
    PRIMARY_ACTIONS,
    ActionForm,
    AssignForm,
    AttachmentForm,
    CommentForm,
    DetailsForm,
    PriorityForm,
    TransferForm,
)
from oversight.tickets.selectors import (
    attachment_get,
    work_order_attachments,
    work_order_clocks,
    work_order_comments,
    work_order_events,
    work_order_get_by_number,
)
from oversight.tickets.services import (
    attachment_create,
    comment_create,
    work_order_assign,
    work_order_change_priority,
    work_order_transfer,
    work_order_transition,
    work_order_update_details,
)
from oversight.tickets.sla import live_sla_state
from oversight.tickets.views.display import ACTION_DONE, SLA_LABELS, clock_display, event_lines


def _versioned(form_class, current, **kwargs):
    """An unbound form carrying the version of the work order as the page shows it."""
    return form_class(initial={"expected_version": current.version, **kwargs.pop("initial", {})}, **kwargs)


def work_order_page(
    request,
    work_order,
    *,
    status: int = 200,
    bound: dict | None = None,
    open_panel: str = "",
    failed_action: tuple[str, ActionForm] | None = None,
):
    """Render the work-order page; `bound` holds forms that came back with errors (input kept)."""
    user = request.user
    bound = bound or {}
    now = clock.now()
    may = {
        "assign": permissions.may_reassign(user, work_order),
        "transfer": permissions.may_transfer(user, work_order),
        "priority": permissions.may_change_priority(user, work_order),
        "edit": permissions.may_edit_details(user, work_order),
        "comment": permissions.may_comment(user, work_order),
        "internal": permissions.may_comment(user, work_order, internal=True),
    }
    finished = work_order.status in (Status.RESOLVED, Status.CLOSED, Status.CANCELLED)
    forms = {}
    if may["assign"] and not finished:
        forms["assign"] = bound.get("assign") or _versioned(
            AssignForm,
            work_order,
            user=user,
            work_order=work_order,
            initial={"assignee": work_order.assignee_id, "team": work_order.team_id},
        )
    if may["transfer"] and not finished:
        forms["transfer"] = bound.get("transfer") or _versioned(
            TransferForm, work_order, user=user, work_order=work_order
        )
    if may["priority"] and work_order.status not in (Status.CLOSED, Status.CANCELLED):
        forms["priority"] = bound.get("priority") or _versioned(
            PriorityForm, work_order, initial={"impact": work_order.impact, "urgency": work_order.urgency}
        )
    if may["edit"]:
        forms["edit"] = bound.get("edit") or _versioned(
            DetailsForm,
            work_order,
            user=user,
            initial={name: getattr(work_order, name) for name in DetailsForm.EDITABLE if name != "site"}
            | {"site": work_order.site_id},
        )
    if may["comment"]:
        forms["comment"] = bound.get("comment") or CommentForm(may_internal=may["internal"])
        forms["attach"] = bound.get("attach") or AttachmentForm(may_internal=may["internal"])

    actions = []
    failed_name, failed_form = failed_action or ("", None)
    for action in permissions.allowed_actions(user, work_order):
        entry = {
            "value": action,
            "label": Action(action).label,
            "url": reverse("tickets:act", args=[work_order.number, action]),
            "needs_resolution": action in ACTIONS_WITH_RESOLUTION,
            "needs_reason": action in ACTIONS_NEEDING_REASON,
            "has_note": action in ACTIONS_WITH_NOTE,
            "danger": action == Action.CANCEL,
            "open": action == failed_name,
            "note": failed_form.data.get("note", "") if action == failed_name else "",
            "resolution": failed_form.data.get("resolution", "") if action == failed_name else "",
        }
        entry["has_fields"] = entry["needs_resolution"] or entry["needs_reason"] or entry["has_note"]
        actions.append(entry)
    primary = next((a for name in PRIMARY_ACTIONS for a in actions if a["value"] == name), None)
    if failed_form is not None and failed_name not in {a["value"] for a in actions}:
        # The action is no longer possible (someone else moved the work order on): do not lose what was typed.
        typed = (failed_form.data.get("resolution") or failed_form.data.get("note") or "").strip()
        if typed:
            messages.warning(request, _("Your text was not saved: %(text)s") % {"text": typed})

    vendor_names = dict(vendor_list(user=user).values_list("pk", "name"))
    events = []
    for event in work_order_events(user=user, work_order=work_order):
        headline, lines = event_lines(event, vendor_names)
        events.append({"event": event, "headline": headline, "lines": lines})

    live = live_sla_state(work_order, now)
    context = {
        "wo": work_order,
        "live_sla": live,
        "live_sla_label": SLA_LABELS.get(live, live),
        "clocks": [clock_display(row, now) for row in work_order_clocks(work_order=work_order)],
        "events": events,
        "comments": work_order_comments(user=user, work_order=work_order),
        "attachments": work_order_attachments(user=user, work_order=work_order),
        "actions": actions,
        "primary": primary,
        "secondary_actions": [a for a in actions if a is not primary],
        "forms": forms,
        "open_panel": open_panel,
        "may": may,
        "now": now,
    }
    return render(request, "tickets/work_order_detail.html", context, status=status)


class WorkOrderDetailView(LoginRequiredMixin, View):
    """`/wo/<number>/`: header, SLA clocks with their explanation, timeline, comments, attachments, actions."""

    def get(self, request, number):
        return work_order_page(request, work_order_get_by_number(user=request.user, number=number))


class WorkOrderWriteView(LoginRequiredMixin, View):
    """Base of the POST-only views of the work-order page: parse a form, call one service, map its errors."""

    panel = ""
    success_message = _("Saved.")

    def build_form(self, request, work_order, data=None):
        raise NotImplementedError

    def perform(self, request, work_order, form):
        raise NotImplementedError

    def post(self, request, number, **kwargs):
        work_order = work_order_get_by_number(user=request.user, number=number)
        form = self.build_form(request, work_order)
        if not form.is_valid():
            return self.failed(request, work_order, form, status=400)
        try:
            self.perform(request, work_order, form)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            current = work_order_get_by_number(user=request.user, number=number)
            return self.failed(request, current, form, status=exc.status_code, refresh=True)
        messages.success(request, self.get_success_message(form))
        return redirect("tickets:detail", number=work_order.number)

    def get_success_message(self, form):
        return self.success_message

    def failed(self, request, work_order, form, *, status: int, refresh: bool = False):
        """Show the page as it is now with the user's input kept (against the current version, after a conflict)."""
        if refresh and "expected_version" in form.fields:
            data = request.POST.copy()
            data["expected_version"] = str(work_order.version)
            form = self.build_form(request, work_order, data=data)
            form.is_valid()
        return work_order_page(request, work_order, status=status, bound={self.panel: form}, open_panel=self.panel)


class ActionView(WorkOrderWriteView):
    """`/wo/<number>/act/<action>/`: one transition, guarded by the version the page showed."""

    def post(self, request, number, action):
        if action not in Action.values or action == Action.AUTO_CLOSE:
            raise Http404
        self.action = action
        return super().post(request, number)

    def build_form(self, request, work_order, data=None):
        return ActionForm(data if data is not None else request.POST)

    def perform(self, request, work_order, form):
        work_order_transition(
            actor=request.user,
            work_order=work_order,
            action=self.action,
            expected_version=form.cleaned_data["expected_version"],
            note=form.cleaned_data["note"],
            resolution=form.cleaned_data["resolution"],
        )

    def get_success_message(self, form):
        return ACTION_DONE[self.action]

    def failed(self, request, work_order, form, *, status: int, refresh: bool = False):
        if refresh:
            data = request.POST.copy()
            data["expected_version"] = str(work_order.version)
            form = ActionForm(data)
            form.is_valid()
        elif form.errors:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return work_order_page(request, work_order, status=status, failed_action=(self.action, form))


class AssignView(WorkOrderWriteView):
    """Dispatch or hand over within the work order's vendor."""

    panel = "assign"
    success_message = _("Assignment saved.")

    def build_form(self, request, work_order, data=None):
        return AssignForm(data if data is not None else request.POST, user=request.user, work_order=work_order)

    def perform(self, request, work_order, form):
        work_order_assign(
            actor=request.user,
            work_order=work_order,
            assignee=form.cleaned_data["assignee"],
            team=form.cleaned_data["team"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["expected_version"],
        )


class TransferView(WorkOrderWriteView):
    """Move to another service / vendor (client side only)."""

    panel = "transfer"
    success_message = _("The work order was transferred.")

    def build_form(self, request, work_order, data=None):
        return TransferForm(data if data is not None else request.POST, user=request.user, work_order=work_order)

    def perform(self, request, work_order, form):
        work_order_transfer(
            actor=request.user,
            work_order=work_order,
            service=form.cleaned_data["service"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["expected_version"],
        )


class PriorityView(WorkOrderWriteView):
    """Change impact and urgency (and so the priority and the SLA targets)."""

    panel = "priority"
    success_message = _("Priority updated; the SLA clocks were recalculated.")

    def build_form(self, request, work_order, data=None):
        return PriorityForm(data if data is not None else request.POST)

    def perform(self, request, work_order, form):
        work_order_change_priority(
            actor=request.user,
            work_order=work_order,
            impact=form.cleaned_data["impact"],
            urgency=form.cleaned_data["urgency"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["expected_version"],
        )


class DetailsView(WorkOrderWriteView):
    """Correct the title, description and location."""

    panel = "edit"
    success_message = _("Details saved.")

    def build_form(self, request, work_order, data=None):
        return DetailsForm(data if data is not None else request.POST, user=request.user)

    def perform(self, request, work_order, form):
        work_order_update_details(
            actor=request.user,
            work_order=work_order,
            changes=form.changes(),
            expected_version=form.cleaned_data["expected_version"],
        )


class CommentView(WorkOrderWriteView):
    """Add a public comment or an internal note."""

    panel = "comment"
    success_message = _("Comment added.")

    def build_form(self, request, work_order, data=None):
        internal = permissions.may_comment(request.user, work_order, internal=True)
        return CommentForm(data if data is not None else request.POST, may_internal=internal)

    def perform(self, request, work_order, form):
        comment_create(
            actor=request.user,
            work_order=work_order,
            body=form.cleaned_data["body"],
            is_internal=form.cleaned_data.get("is_internal", False),
        )


class AttachmentUploadView(WorkOrderWriteView):
    """Attach files (type checked from their bytes, size limited)."""

    panel = "attach"
    success_message = _("Files attached.")

    def build_form(self, request, work_order, data=None):
        internal = permissions.may_comment(request.user, work_order, internal=True)
        return AttachmentForm(data if data is not None else request.POST, request.FILES, may_internal=internal)

    def perform(self, request, work_order, form):
        with transaction.atomic():
            for upload in form.cleaned_data["files"]:
                attachment_create(
                    actor=request.user,
                    work_order=work_order,
                    upload=upload,
                    is_internal=form.cleaned_data.get("is_internal", False),
                )


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Send a file only after the visibility check; always as a download, never rendered by the browser."""

    def get(self, request, pk):
        attachment = attachment_get(user=request.user, pk=pk)
        return download_response(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )
