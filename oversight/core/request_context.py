"""Per-request context (request id, acting user) readable by the audit log from anywhere."""

from __future__ import annotations

import contextvars
import uuid

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str:
    """Return the current request id, or a fresh one for shell, task and import work."""
    value = request_id_var.get()
    if value is None:
        value = f"proc-{uuid.uuid4().hex[:16]}"
        request_id_var.set(value)
    return value
