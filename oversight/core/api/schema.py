"""OpenAPI schema post-processing: the error responses every operation may give, with the one error body."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ERROR_SCHEMA = {
    "type": "object",
    "description": "The one error body of the API (oversight.core.api.errors).",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}

# What any operation may answer, whatever it documents itself: bad input or query parameters, no credentials,
# a role that may not, an object that is not visible (or an unknown page), too many requests.
STANDARD_ERRORS = {
    "400": _("Invalid input, or a business rule refused it."),
    "401": _("Not signed in: send a token or a session."),
    "403": _("Your role may not do this."),
    "404": _("Not found, or not visible to you."),
    "429": _("Too many requests: wait and try again."),
}
BODY_ERRORS = {"415": _("The request body's media type is not accepted here.")}


def add_standard_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document the standard errors on every operation.

    An operation's own description of a status (e.g. "Not found, or not visible to you.") is kept; only missing
    ones are added, each with the one error body."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = STANDARD_ERRORS | (BODY_ERRORS if "requestBody" in operation else {})
            for status, description in errors.items():
                response = operation["responses"].setdefault(status, {"description": str(description)})
                response.setdefault("content", content)
    return result
