"""Domain errors raised by services and mapped once to API bodies and HTML messages."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A business rule refused the request; `message` is safe to show to the user."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: Any, *, code: str | None = None, extra: dict | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.extra = extra or {}


class NotAllowed(ApplicationError):
    """The actor may see the object but may not perform this action on it."""

    status_code = 403
    code = "permission_denied"


class InvalidTransition(ApplicationError):
    """A state machine refused the transition from the object's current state."""

    status_code = 409
    code = "invalid_transition"


class Conflict(ApplicationError):
    """The object changed since the client read it (optimistic concurrency)."""

    status_code = 412
    code = "conflict"


class IdempotencyKeyReused(ApplicationError):
    """An Idempotency-Key already used for a request with other content (payment APIs answer 422 too)."""

    status_code = 422
    code = "idempotency_key_reused"
