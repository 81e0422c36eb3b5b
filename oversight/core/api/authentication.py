"""Token authentication that also switches to the client user's language and time zone."""

from __future__ import annotations

from rest_framework.authentication import TokenAuthentication

from oversight.core.preferences import activate_user_preferences


class PreferencesTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, then the user's saved language and zone, as the middleware does for sessions.

    `UserPreferencesMiddleware` runs before DRF knows who a token belongs to, so without this a token client
    would get its Accept-Language (Chinese by default) and the server's zone instead of its own choice.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            activate_user_preferences(getattr(request, "_request", request), result[0])
        return result
