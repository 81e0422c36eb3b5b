"""What the change pages share: who writes, the version a form carries, how a service's refusal becomes a
403 or a form error (409 when stale), and the list page with its add form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.core.errors import ApplicationError, Conflict, NotAllowed
from oversight.core.views import RoleRequiredMixin
from oversight.tenancy.roles import (
    CLIENT_OPERATORS,
    VENDOR_ROLES,
)

WRITERS = CLIENT_OPERATORS | VENDOR_ROLES


def posted_version(request) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def refuse_if_not_allowed(exc: ApplicationError):
    """A refusal of the rights (not of the input) is a 403, whatever page it came from."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc


def form_error(form, exc: ApplicationError) -> None:
    """A service's refusal as a form error; a stale version says so (the page answers 409) and keeps what was
    typed, so nothing is lost."""
    refuse_if_not_allowed(exc)
    form.add_error(None, exc.message)
    form.stale = isinstance(exc, Conflict)


def form_status(form) -> int:
    return 409 if getattr(form, "stale", False) else 400


class ListAddView(RoleRequiredMixin, View):
    """A list page with, beside it, the form to add one more (GET lists; POST adds through a service, whose
    refusals become form errors; a role that may read but not add gets 403 on POST).

    A page defines ``may_add(user) -> bool``, ``list_context(request) -> dict`` and ``add(user, data)`` (calls the
    service with the cleaned data and returns where to go next) besides the class attributes below."""

    template_name = ""
    form_class = None
    done_message = ""

    def make_form(self, user, data=None):
        return self.form_class(data, user=user) if data is not None else self.form_class(user=user)

    def render_page(self, request, form=None, status=200):
        user = request.user
        may_add = self.may_add(user)
        context = {**self.list_context(request), "may_add": may_add}
        context["form"] = form or (self.make_form(user) if may_add else None)
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        if not self.may_add(request.user):
            raise PermissionDenied(_("You are not allowed to do this."))
        form = self.make_form(request.user, request.POST)
        if form.is_valid():
            try:
                target = self.add(request.user, form.cleaned_data)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, self.done_message)
                return redirect(target)
        return self.render_page(request, form, status=400)
