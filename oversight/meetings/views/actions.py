"""Pages of action items: the list (open, overdue, per vendor) and one item with its history and its moves."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate, show_error
from oversight.meetings import permissions, selectors, services
from oversight.meetings.choices import ACTION_MACHINE, OPEN_ACTION_STATUSES, ActionAction, ActionStatus
from oversight.meetings.forms import ActionFilterForm
from oversight.meetings.views.common import MOVERS, READERS, version_of


class ActionListView(RoleRequiredMixin, TemplateView):
    """`/meetings/actions/` (`?vendor=`, `?overdue=1`, `?open=1`): action items, the overdue ones per vendor."""

    allowed_roles = READERS
    template_name = "meetings/action_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = clock.now()
        form = ActionFilterForm(self.request.GET or None, user=user)
        qs = selectors.action_list(user=user).order_by("due_at", "pk")
        if form.is_valid():
            if form.cleaned_data.get("vendor") is not None:
                qs = qs.filter(vendor_id=form.cleaned_data["vendor"])
            if form.cleaned_data.get("overdue"):
                qs = qs.filter(selectors.overdue_q(now))
            elif form.cleaned_data.get("open"):
                qs = qs.filter(status__in=OPEN_ACTION_STATUSES)
        context.update(form=form, page=paginate(qs, self.request), now=now, open_statuses=OPEN_ACTION_STATUSES)
        return context


class ActionDetailView(RoleRequiredMixin, TemplateView):
    """`/meetings/actions/<pk>/`: an action item, its history and the moves open to the reader."""

    allowed_roles = READERS
    template_name = "meetings/action_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        item = selectors.action_get(user=user, pk=kwargs["pk"])
        may_move = permissions.may_move_action(user, item)
        context.update(
            item=item,
            events=[
                {"event": e, "status": ActionStatus(e.to_status).label if e.to_status else ""}
                for e in selectors.action_events(user=user, item=item)
            ],
            moves=[{"code": a, "label": ActionAction(a).label} for a in ACTION_MACHINE.actions_from(item.status)]
            if may_move
            else [],
            overdue=item.status in OPEN_ACTION_STATUSES and item.due_at <= clock.now(),
        )
        return context


class ActionTransitionView(RoleRequiredMixin, View):
    """`/meetings/actions/<pk>/transition/` (POST `action`, `note`, `version`): start, complete, cancel."""

    allowed_roles = MOVERS

    def post(self, request, pk):
        item = selectors.action_get(user=request.user, pk=pk)
        action = request.POST.get("action", "")
        if action not in ActionAction.values:
            messages.error(request, _("Choose an action."))
            return redirect(item)
        try:
            services.action_item_transition(
                actor=request.user,
                item=item,
                action=action,
                note=request.POST.get("note", ""),
                expected_version=version_of(request),
            )
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ActionAction(action).label})
        return redirect(item)
