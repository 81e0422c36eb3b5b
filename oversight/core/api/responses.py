"""What the OpenAPI schema says about errors and optimistic concurrency, declared once for every app's viewsets:
the error responses of a read and of a change, the If-Match header, and the path parameter naming a transition."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description=_("Not possible in the current status.")),
    412: OpenApiResponse(description=_("If-Match does not match: someone changed it since you read it.")),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_("The ETag of the version you saw; if it changed since, the request fails with 412."),
)


def transition_parameter(values: Iterable[str]) -> OpenApiParameter:
    """The ``transition`` path parameter of a ``transitions/<transition>/`` action, listing the machine's actions."""
    return OpenApiParameter(
        "transition",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        enum=list(values),
        description=_("The transition to perform; allowed_actions lists those open to you now."),
    )
