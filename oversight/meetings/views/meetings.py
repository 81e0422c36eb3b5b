"""Pages of meetings: the list, a meeting with its agenda (prefilled from the service data), participants and
attendance, minutes, decisions, action items and both sides' sign-off; the minutes as PDF and the meeting as
.ics."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.files import download_response
from oversight.core.views import RoleRequiredMixin, paginate, show_error
from oversight.meetings import documents, permissions, selectors, services
from oversight.meetings.choices import (
    EDITABLE_STATUSES,
    MEETING_MACHINE,
    Attendance,
    MeetingAction,
    MeetingStatus,
    Side,
)
from oversight.meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    DecisionForm,
    MinutesForm,
    ParticipantsForm,
    people_of,
)
from oversight.meetings.presentation import agenda_rows
from oversight.meetings.views.common import READERS, RUNNERS, post_form, version_of


class MeetingListView(RoleRequiredMixin, TemplateView):
    """`/meetings/` (`?when=past`): coming meetings (or past ones) the user may see."""

    allowed_roles = READERS
    template_name = "meetings/meeting_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        past = self.request.GET.get("when") == "past"
        now = clock.now()
        qs = selectors.meeting_list_annotated(user=user)
        qs = (
            qs.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
            if past
            else qs.filter(starts_at__gte=now).order_by("starts_at", "pk")
        )
        context.update(page=paginate(qs, self.request), past=past, may_plan=permissions.may_plan(user))
        return context


def _people(request, meeting):
    return people_of(user=request.user, organisation_id=meeting.organisation_id, vendor_id=meeting.vendor_id).order_by(
        "username"
    )


def meeting_page(request, meeting, *, status: int = 200, forms: dict | None = None):
    """A meeting with everything recorded for it and the forms of those who may act."""
    user = request.user
    forms = forms or {}
    may_manage = permissions.may_manage(user, meeting)
    editable = meeting.status in EDITABLE_STATUSES
    if may_manage and editable:
        people = _people(request, meeting)
        forms.setdefault("agenda", AgendaItemForm())
        forms.setdefault("minutes", MinutesForm(initial={"minutes": meeting.minutes, "version": meeting.version}))
        forms.setdefault("decision", DecisionForm())
        forms.setdefault("participants", ParticipantsForm(people=people))
    if may_manage and meeting.status not in (MeetingStatus.CANCELLED, MeetingStatus.SIGNED):
        forms.setdefault("action", ActionItemForm(people=_people(request, meeting)))
    awaiting = meeting.status == MeetingStatus.MINUTES_DRAFTED
    context = {
        "meeting": meeting,
        "participants": selectors.participants(user=user, meeting=meeting),
        "agenda": agenda_rows(selectors.agenda(user=user, meeting=meeting), meeting.organisation),
        "decisions": selectors.decisions(user=user, meeting=meeting),
        "actions": selectors.meeting_actions(user=user, meeting=meeting),
        "forms": forms,
        "may_manage": may_manage,
        "editable": may_manage and editable,
        "transitions": (
            [
                {"code": a, "label": MeetingAction(a).label}
                for a in MEETING_MACHINE.actions_from(meeting.status)
                if a != MeetingAction.SIGN
            ]
            if may_manage
            else []
        ),
        "sign_client": awaiting and not meeting.client_signer_id and permissions.may_sign_client(user, meeting),
        "sign_vendor": awaiting and not meeting.vendor_signer_id and permissions.may_sign_vendor(user, meeting),
        "attendance_choices": Attendance.choices,
        "now": clock.now(),
    }
    return render(request, "meetings/meeting_detail.html", context, status=status)


class MeetingDetailView(RoleRequiredMixin, View):
    """`/meetings/<pk>/`: a meeting."""

    allowed_roles = READERS

    def get(self, request, pk):
        return meeting_page(request, selectors.meeting_get(user=request.user, pk=pk))


class MeetingTransitionView(RoleRequiredMixin, View):
    """`/meetings/<pk>/transition/` (POST `action`, `version`): hold, submit the minutes, cancel."""

    allowed_roles = RUNNERS

    def post(self, request, pk):
        meeting = selectors.meeting_get(user=request.user, pk=pk)
        action = request.POST.get("action", "")
        if action not in MeetingAction.values:
            messages.error(request, _("Choose an action."))
            return redirect(meeting)
        try:
            services.meeting_transition(
                actor=request.user, meeting=meeting, action=action, expected_version=version_of(request)
            )
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": MeetingAction(action).label})
        return redirect(meeting)


class MeetingSignView(RoleRequiredMixin, View):
    """`/meetings/<pk>/sign/` (POST `side`): sign the submitted minutes for the client or the vendor."""

    allowed_roles = RUNNERS

    def post(self, request, pk):
        meeting = selectors.meeting_get(user=request.user, pk=pk)
        side = request.POST.get("side", "")
        try:
            services.meeting_sign(actor=request.user, meeting=meeting, side=side)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Minutes signed for the %(side)s.") % {"side": Side(side).label})
        return redirect(meeting)


class MeetingPrefillView(RoleRequiredMixin, View):
    """`/meetings/<pk>/prefill/`: fill (or refresh) the agenda from the service data."""

    allowed_roles = RUNNERS

    def post(self, request, pk):
        meeting = selectors.meeting_get(user=request.user, pk=pk)
        try:
            counts = services.meeting_prefill_agenda(actor=request.user, meeting=meeting)
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Agenda refreshed: %(added)s added, %(dropped)s no longer current.") % counts)
        return redirect(meeting)


def _form_view(form_class, key: str, success, call, *, people: bool = False):
    """A view class for a form posted from the meeting page to one service."""

    class FormView(RoleRequiredMixin, View):
        allowed_roles = RUNNERS

        def post(self, request, pk):
            meeting = selectors.meeting_get(user=request.user, pk=pk)
            kwargs = {"people": _people(request, meeting)} if people else {}
            form = form_class(request.POST, **kwargs)
            return post_form(
                request,
                meeting,
                form,
                call=lambda data: call(request.user, meeting, data),
                success=success,
                page=lambda status, form: meeting_page(request, meeting, status=status, forms={key: form}),
            )

    return FormView


def _minutes(actor, meeting, data):
    services.minutes_save(actor=actor, meeting=meeting, minutes=data["minutes"], expected_version=data.get("version"))


AgendaItemCreateView = _form_view(
    AgendaItemForm,
    "agenda",
    _("Agenda item added."),
    lambda actor, meeting, data: services.agenda_item_add(actor=actor, meeting=meeting, **data),
)
AgendaItemCreateView.__doc__ = "`/meetings/<pk>/agenda/`: add a typed agenda line."
MinutesView = _form_view(MinutesForm, "minutes", _("Minutes saved."), _minutes)
MinutesView.__doc__ = "`/meetings/<pk>/minutes/`: save the minutes."
DecisionCreateView = _form_view(
    DecisionForm,
    "decision",
    _("Decision recorded."),
    lambda actor, meeting, data: services.decision_add(actor=actor, meeting=meeting, text=data["text"]),
)
DecisionCreateView.__doc__ = "`/meetings/<pk>/decisions/`: record a decision."
ParticipantsView = _form_view(
    ParticipantsForm,
    "participants",
    _("Participants invited."),
    lambda actor, meeting, data: services.participants_add(actor=actor, meeting=meeting, people=data["people"]),
    people=True,
)
ParticipantsView.__doc__ = "`/meetings/<pk>/participants/`: invite more people."
ActionItemCreateView = _form_view(
    ActionItemForm,
    "action",
    _("Action item added."),
    lambda actor, meeting, data: services.action_item_create(actor=actor, meeting=meeting, **data),
    people=True,
)
ActionItemCreateView.__doc__ = "`/meetings/<pk>/actions/`: give someone an action item."


class AttendanceView(RoleRequiredMixin, View):
    """`/meetings/<pk>/attendance/` (POST `attendance_<participant id>`): record who attended."""

    allowed_roles = RUNNERS

    def post(self, request, pk):
        meeting = selectors.meeting_get(user=request.user, pk=pk)
        values = {}
        for participant in selectors.participants(user=request.user, meeting=meeting):
            value = request.POST.get(f"attendance_{participant.pk}")
            if value:
                values[participant.pk] = value
        try:
            services.attendance_record(actor=request.user, meeting=meeting, attendance=values)
        except ApplicationError as exc:
            show_error(request, exc)
            return meeting_page(request, meeting, status=exc.status_code)
        messages.success(request, _("Attendance recorded."))
        return redirect(meeting)


class MinutesPdfView(RoleRequiredMixin, View):
    """`/meetings/<pk>/minutes.pdf`: the minutes as PDF, in the reader's language."""

    allowed_roles = READERS

    def get(self, request, pk):
        user = request.user
        meeting = selectors.meeting_get(user=user, pk=pk)
        body = documents.minutes_pdf(
            meeting=meeting,
            participants=list(selectors.participants(user=user, meeting=meeting)),
            agenda=list(selectors.agenda(user=user, meeting=meeting)),
            decisions=list(selectors.decisions(user=user, meeting=meeting)),
            actions=list(selectors.meeting_actions(user=user, meeting=meeting)),
        )
        return download_response(body, filename=documents.minutes_filename(meeting), content_type="application/pdf")
