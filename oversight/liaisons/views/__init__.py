"""Pages of the liaisons app: liaisons and the escalation matrix (`contacts`), escalations (`escalations`), the
hotline's settings and reports and its public page (`hotline`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from oversight.core.errors import ApplicationError, NotAllowed


def submit(request, form, save: Callable[[dict], Any], message) -> Any:
    """The one way a page's form reaches a service: when the form is valid, ``save(cleaned_data)``; a refusal
    of the actor is 403, any other domain error a form error. Returns what ``save`` returned (after a success
    message), or None when the form must be shown again."""
    if not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return None
    messages.success(request, message)
    return result if result is not None else True
