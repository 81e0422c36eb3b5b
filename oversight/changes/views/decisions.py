"""The decisions taken on a change's page: a vote on the open approval step, an exception for a soft blackout,
the post-implementation review, and the incidents the change caused (linked and unlinked)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.changes import selectors, services
from oversight.changes.forms import (
    ExceptionForm,
    LinkForm,
    ReviewForm,
    VoteForm,
)
from oversight.changes.views.change import change_page
from oversight.changes.views.common import form_error, form_status, posted_version, refuse_if_not_allowed
from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, show_error
from oversight.tenancy.roles import (
    CLIENT_OPERATORS,
    CLIENT_ROLES,
)


class ChangeVoteView(RoleRequiredMixin, View):
    """`/changes/<number>/vote/` (POST `approve`, `comment`): the reader's vote on the open approval step (as
    approver, or as the substitute once asked). Approvers are the client's staff."""

    allowed_roles = CLIENT_ROLES

    def post(self, request, number):
        change = selectors.change_get(user=request.user, number=number)
        request_ = selectors.vote_request_for(user=request.user, change=change)
        if request_ is None:
            raise PermissionDenied(_("You are not asked to vote on this change."))
        form = VoteForm(request.POST)
        if not form.is_valid():
            return change_page(request, change, status=400, forms={"vote": form})
        try:
            services.approval_vote(
                actor=request.user,
                request=request_,
                approve=form.cleaned_data["approve"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            form_error(form, exc)
            return change_page(request, change, status=400, forms={"vote": form})
        messages.success(request, _("Your vote was recorded."))
        return redirect(change)


class ChangeExceptionView(RoleRequiredMixin, View):
    """`/changes/<number>/exception/` (POST `note`, `version`): approve the change's window in a soft blackout."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, number):
        change = selectors.change_get(user=request.user, number=number)
        form = ExceptionForm(request.POST)
        if not form.is_valid():
            return change_page(request, change, status=400, forms={"exception": form})
        try:
            services.change_approve_exception(
                actor=request.user,
                change=change,
                note=form.cleaned_data["note"],
                expected_version=posted_version(request),
            )
        except ApplicationError as exc:
            form_error(form, exc)
            return change_page(request, change, status=form_status(form), forms={"exception": form})
        messages.success(request, _("The exception was approved."))
        return redirect(change)


class ChangeReviewView(RoleRequiredMixin, View):
    """`/changes/<number>/review/` (POST `outcome`, `notes`, `version`): record the post-implementation review."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, number):
        change = selectors.change_get(user=request.user, number=number)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.change_review(
                    actor=request.user,
                    change=change,
                    outcome=form.cleaned_data["outcome"],
                    notes=form.cleaned_data["notes"],
                    expected_version=posted_version(request),
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The review was recorded."))
                return redirect(change)
        return change_page(request, change, status=form_status(form), forms={"review": form})


class ChangeLinkView(RoleRequiredMixin, View):
    """`/changes/<number>/link/` (POST `numbers`): record incidents caused by the change."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, number):
        change = selectors.change_get(user=request.user, number=number)
        form = LinkForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                made = services.change_link_incidents(
                    actor=request.user, change=change, work_orders=form.cleaned_data["numbers"]
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("%(count)s incident(s) linked.") % {"count": len(made)})
                return redirect(change)
        return change_page(request, change, status=400, forms={"link": form})


class ChangeUnlinkView(RoleRequiredMixin, View):
    """`/changes/<number>/unlink/` (POST `work_order`): remove an incident wrongly attributed to the change."""

    allowed_roles = CLIENT_OPERATORS

    def post(self, request, number):
        change = selectors.change_get(user=request.user, number=number)
        raw = str(request.POST.get("work_order", ""))
        link = None
        if raw.isdigit() and len(raw) < 19:
            link = selectors.change_incidents(user=request.user, change=change).filter(work_order_id=raw).first()
        if link is None:
            messages.error(request, _("This incident is not linked to the change."))
            return redirect(change)
        try:
            services.change_unlink_incident(actor=request.user, change=change, work_order=link.work_order)
        except ApplicationError as exc:
            refuse_if_not_allowed(exc)
            show_error(request, exc)
        else:
            messages.success(request, _("Incident %(number)s unlinked.") % {"number": link.work_order.number})
        return redirect(change)
