"""Viewset building blocks shared by every app's API."""

from __future__ import annotations

from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from oversight.core.api.permissions import ReadOnlyRolesCannotWrite


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only viewset whose queryset always comes from a selector scoped to the acting user.

    Subclasses implement `select(user)` (calling the app's selector) and name `schema_model`, which is
    used only while the OpenAPI schema is generated (there is no signed-in user then).
    """

    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    schema_model = None

    def select(self, user):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.schema_model._default_manager.none()
        return self.select(self.request.user)
