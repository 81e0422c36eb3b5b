"""Optimistic concurrency over HTTP: an object's ETag is `"<pk>-<version>"`, and a write may send it back in
If-Match. Shared by every API whose model carries a version (work orders, problems...)."""

from __future__ import annotations

import re

from rest_framework.request import Request

from oversight.core.errors import Conflict

ETAG_RE = re.compile(r'"(\d+)-(\d+)"')


def if_match_version(request: Request, obj, message) -> int | None:
    """The version the client claims to have seen (from If-Match), or None when it sent no If-Match (or `*`).
    An If-Match naming no version of this object is a Conflict (412) with `message`."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    versions = []
    for tag in header.split(","):
        match = ETAG_RE.fullmatch(tag.strip())
        if match and int(match[1]) == obj.pk:
            versions.append(int(match[2]))
    if not versions:
        raise Conflict(message, extra={"current_version": obj.version})
    return obj.version if obj.version in versions else versions[0]
