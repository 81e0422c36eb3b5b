"""API authentication by personal token (`Authorization: Token <secret>` or `Bearer <secret>`), then the user's
own language and time zone."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from oversight.core.preferences import activate_user_preferences
from oversight.tenancy.services import TokenRefused, api_token_authenticate

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    """A personal API token (tenancy.ApiToken, stored hashed); expired or revoked tokens get a 401 that says so.

    `UserPreferencesMiddleware` runs before DRF knows who a token belongs to, so the user's saved language and
    zone are activated here; without it a token client would get its Accept-Language and the server's zone.
    """

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: send 'Token <secret>'."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        try:
            token = api_token_authenticate(secret=secret)
        except TokenRefused as exc:
            raise exceptions.AuthenticationFailed(exc.message, code=exc.code) from exc
        activate_user_preferences(getattr(request, "_request", request), token.owner)
        return token.owner, token

    def authenticate_header(self, request) -> str:
        return 'Token realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token header (the name `tokenAuth` is the one authtoken used)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("A personal token from Preferences, sent as 'Token <secret>' or 'Bearer <secret>'."),
        }
