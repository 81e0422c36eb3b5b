"""How people are @-mentioned in group chats: their 企业微信 userid, 钉钉 userid or mobile, 飞书 open_id.

Each person sets their own (`/notifications/chat-ids/`); a client administrator sets them for the people of the
organisation they administer (the gate's ``administer`` action decides who: oversight.tenancy.visibility). The
renderers use them when a message mentions the person (oversight.notifications.channels.renderers)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.phones import validate_phone
from oversight.notifications.channels.models import ChatIdentity
from oversight.tenancy.roles import is_signed_in
from oversight.tenancy.visibility import ADMINISTER, restrict

#: A chat user id: letters, digits and _ . @ : - (企业微信 userids may hold "@" and "."), at most 64.
CHAT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@:-]{0,63}")
ID_FIELDS = ("wecom_user_id", "dingtalk_user_id", "feishu_user_id")
FIELDS = ("wecom_user_id", "dingtalk_user_id", "dingtalk_mobile", "feishu_user_id")
#: How the pages, the API's errors and the services name each field.
LABELS = {
    "wecom_user_id": _("WeCom account ID"),
    "dingtalk_user_id": _("DingTalk account ID"),
    "dingtalk_mobile": _("DingTalk mobile"),
    "feishu_user_id": _("Feishu account ID"),
}


def people_administered(*, user) -> QuerySet:
    """The active people whose chat IDs the user sets for them (a client administrator: their organisation's)."""
    return (
        restrict(get_user_model().objects.filter(is_active=True), user, ADMINISTER)
        .select_related("chat_identity", "vendor")
        .order_by("username", "pk")
    )


def person_administered(*, user, pk) -> object | None:
    """One person of :func:`people_administered`, or None (unknown or not theirs: the caller answers 404)."""
    return people_administered(user=user).filter(pk=pk).first()


def may_set(actor, person) -> bool:
    """The person themselves, or someone who administers them."""
    if not is_signed_in(actor):
        return False
    return actor.pk == person.pk or people_administered(user=actor).filter(pk=person.pk).exists()


def identity_of(person) -> ChatIdentity | None:
    """The person's chat IDs, or None when none were set."""
    return ChatIdentity.objects.filter(user=person).first()


def _clean(values: dict) -> dict[str, str]:
    labels = LABELS
    cleaned, problems = {}, []
    for name in FIELDS:
        value = str(values.get(name) or "").strip()
        if name in ID_FIELDS and value and not CHAT_ID.fullmatch(value):
            problems.append(
                _("%(field)s: use letters, digits and _ . @ : - only (at most 64, starting with a letter or digit).")
                % {"field": labels[name]}
            )
        if name == "dingtalk_mobile" and value:
            try:
                validate_phone(value)
            except ValidationError:
                problems.append(_("%(field)s: enter a mobile number, e.g. 138 0013 8000.") % {"field": labels[name]})
            value = re.sub(r"[^\d+]", "", value)
            if len(value) > 20:
                problems.append(_("%(field)s: enter a mobile number, e.g. 138 0013 8000.") % {"field": labels[name]})
        cleaned[name] = value
    if problems:
        raise ApplicationError(" ".join(str(p) for p in problems), extra={"fields": list(FIELDS)})
    return cleaned


@transaction.atomic
def chat_identity_set(*, actor, person, **values) -> ChatIdentity:
    """Set how ``person`` is @-mentioned (by themselves or an administrator of theirs); blank clears; audited."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if not may_set(actor, person):
        raise NotAllowed(_("You may set only your own chat IDs, or those of the people you administer."))
    current = ChatIdentity.objects.select_for_update().filter(user=person).first()
    cleaned = {name: values.get(name, getattr(current, name, "")) for name in FIELDS}
    cleaned = _clean(cleaned)
    before = {name: getattr(current, name) for name in FIELDS} if current else {}
    if current is None:
        current = ChatIdentity.objects.create(user=person, **cleaned)
        audit_record(
            actor=actor,
            action="notifications.chatidentity.created",
            obj=current,
            organisation=person.organisation,
            after=cleaned,
        )
        return current
    changed = {name: value for name, value in cleaned.items() if before[name] != value}
    if not changed:
        return current
    for name, value in changed.items():
        setattr(current, name, value)
    current.save(update_fields=list(changed))
    audit_record(
        actor=actor,
        action="notifications.chatidentity.changed",
        obj=current,
        organisation=person.organisation,
        before={name: before[name] for name in changed},
        after=changed,
    )
    return current
