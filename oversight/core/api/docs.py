"""The OpenAPI schema and the Swagger page, behind `ApiDocsAccess` (login required in production)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions

from oversight.core.api.permissions import ApiDocsAccess


class ApiSchemaView(SpectacularAPIView):
    """`/api/schema/`: the OpenAPI description (401 for anonymous clients when login is required)."""

    permission_classes = [ApiDocsAccess]


class ApiDocsView(SpectacularSwaggerSplitView):
    """`/api/docs/`: Swagger UI from the local sidecar (init script from `?script`, for the page CSP); an anonymous
    visitor is sent to the sign-in page."""

    permission_classes = [ApiDocsAccess]

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.PermissionDenied):
            if not self.request.user.is_authenticated:
                return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
