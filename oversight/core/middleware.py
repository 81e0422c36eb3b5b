"""Middleware: request ids for the audit trail, and each user's language and time zone."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

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


class PasswordChangeRequiredMiddleware:
    """Send a signed-in user whose password someone else chose (`must_change_password`) to the change page first.

    Only that page, signing out, the language switch and static files stay open; the API answers 403 with the
    same reason. Token clients are not affected (they are authenticated later, by DRF).
    """

    OPEN_URL_NAMES = ("password_change", "logout", "set_language", "preferences_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            path = request.path_info
            open_paths = {reverse(name) for name in self.OPEN_URL_NAMES}
            if path not in open_paths and not path.startswith(settings.STATIC_URL):
                message = gettext("Choose a new password before you continue.")
                if path.startswith("/api/"):
                    return JsonResponse({"error": {"code": "password_change_required", "message": message}}, status=403)
                return redirect(f"{reverse('password_change')}?required=1")
        return self.get_response(request)
