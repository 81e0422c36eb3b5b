"""One error body for the whole API: {"error": {"code", "message", "fields"?}}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from oversight.core.errors import ApplicationError


def _body(code: str, message, fields=None) -> dict:
    error = {"code": code, "message": str(message)}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _throttled_instead(exc, context):
    """Count a refused anonymous request against the view's throttles (DRF checks them only after the
    permissions, so requests without valid credentials — token guessing — would never be limited)."""
    view = context.get("view")
    request = context.get("request")
    if view is None or request is None:
        return exc
    try:
        view.check_throttles(request)
    except exceptions.Throttled as throttled:
        return throttled
    return exc


def exception_handler(exc, context):
    """Map domain errors, Django errors and DRF errors to the single API error body, always sent as JSON."""
    response = _error_response(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        # A download negotiated `Accept: application/octet-stream` (or ?format=bin); its error is JSON and says so.
        if getattr(request, "accepted_media_type", None) != "application/json":
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
    return response


def _error_response(exc, context):
    if isinstance(exc, SuspiciousOperation):
        # e.g. more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django's HTML 400 page would answer otherwise.
        return Response(_body("invalid", _("The request could not be read.")), status=400)
    if isinstance(exc, ApplicationError):
        body = _body(exc.code, exc.message)
        body["error"].update({k: v for k, v in exc.extra.items() if k not in body["error"]})
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else None
        return Response(_body("invalid", "; ".join(exc.messages), fields), status=400)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        exc = _throttled_instead(exc, context)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.Throttled):
        # DRF sets Retry-After from exc.wait; the message says the same in the reader's language.
        if exc.wait is None:
            message = gettext("Too many requests. Please slow down and try again later.")
        else:
            message = ngettext(
                "Too many requests. Try again in %(seconds)d second.",
                "Too many requests. Try again in %(seconds)d seconds.",
                exc.wait,
            ) % {"seconds": exc.wait}
        response.data = _body("throttled", message)
        if exc.wait is not None:
            response.data["error"]["retry_after"] = exc.wait
        return response
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            message = "; ".join(
                f"{field}: {' '.join(str(m) for m in (msgs if isinstance(msgs, list) else [msgs]))}"
                for field, msgs in detail.items()
            )
            response.data = _body("invalid", message, detail)
        else:
            response.data = _body("invalid", " ".join(str(m) for m in detail))
    else:
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, exceptions.APIException):
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else code
        response.data = _body(code, getattr(exc, "detail", str(exc)))
    return response
