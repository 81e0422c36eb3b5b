"""What the meeting pages share: who may open them, and a form posted from an object's page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from oversight.core.errors import ApplicationError
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import CLIENT_OPERATORS, STAFF_ROLES, VENDOR_ROLES

#: Who reads meetings (requesters see none).
READERS = STAFF_ROLES
#: Who runs meetings: the client's operators and the vendor's manager.
RUNNERS = CLIENT_OPERATORS | {Role.VENDOR_MANAGER}
#: Who moves action items along (their owners may be vendor agents).
MOVERS = CLIENT_OPERATORS | VENDOR_ROLES


def version_of(request) -> int | None:
    """The version the page was showing (optimistic locking), if it sent one."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def post_form(request, obj, form, *, call, success, page):
    """A form posted from an object's page: valid → the service, then back to the page; else the page again with
    the form's errors (400) or the service's refusal (its status), nothing written."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return page(status=exc.status_code, form=form)
        messages.success(request, success)
        return redirect(obj)
    return page(status=400, form=form)
