"""Middleware: request ids for the audit trail, and each user's language and time zone."""

from __future__ import annotations

import uuid

from django.utils import timezone

from oversight.core.preferences import activate_user_preferences
from oversight.core.request_context import request_id_var


class RequestIdMiddleware:
    """Give every request an id (honouring a sane X-Request-ID) so audit entries can be grouped."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class UserPreferencesMiddleware:
    """Activate the signed-in user's chosen language and time zone for the whole request.

    API clients signed in with a token are not known yet here: `tenancy.api.authentication.ApiTokenAuthentication`
    does the same for them once DRF has authenticated the token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_user_preferences(request, user)
        else:
            timezone.deactivate()
        return self.get_response(request)
