"""API permission classes shared by every app's viewsets."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnlyRolesCannotWrite(BasePermission):
    """Executives and auditors read everything they may see and change nothing (403 on any write).

    A view may set `read_only_roles_may_write = True` for personal state that is not business data
    (marking one's own notifications as read). The user model says who is read-only (``is_read_only``, from
    the roles in oversight.tenancy), so core names no role.
    """

    message = _("Your role has read-only access.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "read_only_roles_may_write", False):
            return True
        user = request.user
        return bool(user and user.is_authenticated and (user.is_superuser or not getattr(user, "is_read_only", False)))


class ApiDocsAccess(BasePermission):
    """Who may read the OpenAPI schema and the API docs page: everyone, or with `API_DOCS_REQUIRE_LOGIN`
    (production settings) signed-in users only. Read per request, so both settings paths can be tested."""

    message = _("Sign in to read the API description.")

    def has_permission(self, request, view) -> bool:
        if not getattr(settings, "API_DOCS_REQUIRE_LOGIN", False):
            return True
        return bool(request.user and request.user.is_authenticated)
