"""Writes to organisations and people. Every change is audited."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User


def _may_change_preferences(actor, user: User) -> bool:
    if actor is None:  # shell, imports, tasks
        return True
    if actor.pk == user.pk or actor.is_superuser:
        return True
    return actor.role == Role.CLIENT_ADMIN and actor.organisation_id == user.organisation_id


@transaction.atomic
def user_update_preferences(*, actor, user: User, language: str, time_zone: str) -> User:
    """Set a user's interface language and time zone (the user themself, or their administrator)."""
    if not _may_change_preferences(actor, user):
        raise NotAllowed(_("You cannot change this person's preferences."))
    languages = {code for code, _name in settings.LANGUAGES}
    if language not in languages:
        raise ApplicationError(_("Unknown language."))
    if time_zone not in zoneinfo.available_timezones():
        raise ApplicationError(_("Unknown time zone."))
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    before = {"language": locked.language, "time_zone": locked.time_zone}
    after = {"language": language, "time_zone": time_zone}
    if before == after:
        return locked
    locked.language = language
    locked.time_zone = time_zone
    locked.save(update_fields=["language", "time_zone"])
    user.language, user.time_zone = language, time_zone
    audit_record(actor=actor, action="tenancy.user.preferences_changed", obj=locked, before=before, after=after)
    return locked
