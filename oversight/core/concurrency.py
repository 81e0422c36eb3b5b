"""Row locks and optimistic versions shared by the services of objects edited by several people at once
(work orders, complaints): writers queue on the row, and a stale page is refused instead of overwriting."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F

from oversight.core.errors import Conflict


def lock_row(obj: models.Model, *related: str) -> models.Model:
    """Reload the row under a lock so concurrent writers queue instead of overwriting each other."""
    return type(obj)._default_manager.select_for_update(of=("self",)).select_related(*related).get(pk=obj.pk)


def check_version(locked: models.Model, expected_version: int | None, message) -> None:
    """Refuse with `Conflict` when the client saw another version than the locked row's.

    `message` may name `%(current)s` (the row's version) and `%(seen)s` (the one the client had)."""
    if expected_version is not None and int(expected_version) != locked.version:
        raise Conflict(
            message % {"current": locked.version, "seen": expected_version},
            extra={"current_version": locked.version},
        )


def touch(obj: models.Model, now: dt.datetime, fields: list[str]) -> None:
    """Bump the version and save only the fields that changed."""
    obj.version = F("version") + 1
    obj.updated_at = now
    obj.save(update_fields=[*fields, "version", "updated_at"])
    obj.refresh_from_db(fields=["version"])


class VersionETag:
    """The ETag of a model with a `version`: `"<pk>-<version>"`, the one form `core.api.etags` reads back from
    If-Match (a model spelling its own once sent a form no If-Match could match)."""

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'
