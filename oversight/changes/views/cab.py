"""CAB meetings: the list with the form to plan one (its agenda is every change awaiting authorisation), and a
meeting with the decision on each change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.changes import selectors, services
from oversight.changes.choices import CabDecision
from oversight.changes.forms import (
    CabDecisionForm,
    CabMeetingForm,
)
from oversight.changes.views.common import ListAddView, form_error
from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.tenancy.roles import (
    CLIENT_ROLES,
    is_client_operator,
)


class CabListView(ListAddView):
    """`/changes/cab/`: CAB meetings (the client's side) and, for its operators, the form to plan one whose agenda
    is every change awaiting authorisation."""

    allowed_roles = CLIENT_ROLES
    template_name = "changes/cab_list.html"
    form_class = CabMeetingForm
    done_message = _("The CAB meeting was planned.")

    def may_add(self, user) -> bool:
        return is_client_operator(user, user.organisation_id)

    def list_context(self, request) -> dict:
        user = request.user
        return {
            "page": paginate(selectors.cab_list(user=user), request),
            "awaiting": list(selectors.changes_awaiting_authorisation(user=user)[:50]),
        }

    def add(self, user, data):
        return services.cab_meeting_create(actor=user, **data)


class CabDetailView(RoleRequiredMixin, View):
    """`/changes/cab/<pk>/`: a meeting with its agenda and the decision on each change; operators decide (POST
    `item`, `decision`, `note`)."""

    allowed_roles = CLIENT_ROLES
    template_name = "changes/cab_detail.html"

    def render_page(self, request, meeting, errors=None, status=200):
        user = request.user
        context = {
            "meeting": meeting,
            "agenda": list(selectors.cab_items(user=user, meeting=meeting)),
            "may_decide": is_client_operator(user, meeting.organisation_id),
            "decisions": CabDecision.choices,
            "errors": errors or {},
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(request, selectors.cab_get(user=request.user, pk=pk))

    def post(self, request, pk):
        meeting = selectors.cab_get(user=request.user, pk=pk)
        if not is_client_operator(request.user, meeting.organisation_id):
            raise PermissionDenied(_("You are not allowed to do this."))
        raw = str(request.POST.get("item", ""))
        item = selectors.cab_item_get(
            user=request.user, meeting=meeting, pk=raw if raw.isdigit() and len(raw) < 19 else 0
        )
        form = CabDecisionForm(request.POST)
        if form.is_valid():
            try:
                services.cab_decide(actor=request.user, item=item, **form.cleaned_data)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request, _("The CAB's decision on %(number)s was recorded.") % {"number": item.change.number}
                )
                return redirect(meeting)
        errors = {item.pk: [e for errs in form.errors.values() for e in errs]}
        return self.render_page(request, meeting, errors=errors, status=400)
