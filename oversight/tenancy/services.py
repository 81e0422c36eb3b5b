"""Writes to organisations and people. Every change is audited.

The admin's add, change and delete of organisations, sites, vendors, teams, users and the staff roster come
here: `<entity>_save(*, actor, <entity>, fields)` saves a row a form built (`fields` None) or changed (only
those fields) and audits it; `<entity>_delete(*, actor, <entity>)` deletes and audits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from urllib.parse import parse_qsl, urlencode

from axes.utils import reset as clear_failed_sign_ins
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import (
    audit_record,
    diff_snapshots,
    row_delete,
    row_save,
    row_save_audited,
)
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.events import publish
from oversight.core.zones import is_canonical_zone
from oversight.tenancy.choices import Role
from oversight.tenancy.events import ORGANISATION_CREATED, ORGANISATION_TIME_ZONE_CHANGED
from oversight.tenancy.models import ApiToken, Organisation, SavedView, Site, StaffMember, Team, User, Vendor
from oversight.tenancy.roles import VENDOR_ROLES


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
    if not is_canonical_zone(time_zone):
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


# Changes to these fields are what "who may do what" means: audited as tenancy.user.role_changed.
ROLE_FIELDS = ("role", "vendor", "organisation", "is_staff", "is_superuser")


@transaction.atomic
def organisation_save(*, actor, organisation: Organisation, fields: list[str] | None) -> Organisation:
    """Create (fields None) or change a client organisation.

    A new organisation is announced (``tenancy.organisation.created``): the apps give it the reference data it
    starts with. A new time zone is announced (``tenancy.organisation.time_zone_changed``): figures counted per
    local day (the service facts) are recounted on the new days.
    """
    creating = organisation.pk is None
    before = None
    if not creating:
        before = Organisation.objects.filter(pk=organisation.pk).values_list("time_zone", flat=True).first()
    saved = row_save_audited(actor=actor, obj=organisation, fields=fields, organisation=organisation)
    actor_id = getattr(actor, "pk", None)
    if creating:
        publish(ORGANISATION_CREATED, organisation_id=saved.pk, actor_id=actor_id)
    elif before is not None and before != saved.time_zone:
        publish(ORGANISATION_TIME_ZONE_CHANGED, organisation_id=saved.pk, actor_id=actor_id)
    return saved


@transaction.atomic
def organisation_delete(*, actor, organisation: Organisation) -> None:
    """Delete an organisation (its own entry cannot point at the deleted row, so it names none)."""
    row_delete(actor=actor, obj=organisation, organisation=None)


@transaction.atomic
def site_save(*, actor, site: Site, fields: list[str] | None) -> Site:
    """Create (fields None) or change a campus, building, department or room."""
    return row_save_audited(actor=actor, obj=site, fields=fields, organisation=site.organisation)


@transaction.atomic
def site_delete(*, actor, site: Site) -> None:
    """Delete a site."""
    row_delete(actor=actor, obj=site, organisation=site.organisation)


@transaction.atomic
def vendor_save(*, actor, vendor: Vendor, fields: list[str] | None) -> Vendor:
    """Create (fields None) or change a vendor serving an organisation."""
    return row_save_audited(actor=actor, obj=vendor, fields=fields, organisation=vendor.organisation)


@transaction.atomic
def vendor_delete(*, actor, vendor: Vendor) -> None:
    """Delete a vendor."""
    row_delete(actor=actor, obj=vendor, organisation=vendor.organisation)


@transaction.atomic
def team_save(*, actor, team: Team, fields: list[str] | None) -> Team:
    """Create (fields None) or change a vendor's dispatch team."""
    return row_save_audited(actor=actor, obj=team, fields=fields, organisation=team.vendor.organisation)


@transaction.atomic
def team_delete(*, actor, team: Team) -> None:
    """Delete a dispatch team."""
    row_delete(actor=actor, obj=team, organisation=team.vendor.organisation)


@transaction.atomic
def staff_member_save(*, actor, staff_member: StaffMember, fields: list[str] | None) -> StaffMember:
    """Create (fields None) or change an entry of a vendor's staff roster."""
    organisation = staff_member.vendor.organisation
    return row_save_audited(actor=actor, obj=staff_member, fields=fields, organisation=organisation)


@transaction.atomic
def staff_member_delete(*, actor, staff_member: StaffMember) -> None:
    """Delete a roster entry."""
    row_delete(actor=actor, obj=staff_member, organisation=staff_member.vendor.organisation)


def _check_user_grant(actor, user: User) -> None:
    """Only superusers grant superuser status or place people in another organisation."""
    if actor is None or actor.is_superuser:
        return
    stored = User.objects.filter(pk=user.pk).first() if user.pk else None
    if user.is_superuser and not (stored and stored.is_superuser):
        raise NotAllowed(_("You are not allowed to do this."))
    if user.organisation_id != actor.organisation_id:
        raise NotAllowed(_("You are not allowed to do this."))


@transaction.atomic
def user_save(*, actor, user: User, fields: list[str] | None, teams=None) -> User:
    """Create (fields None) or change a user (and set their teams when given), without auditing any secret.

    A change of role, vendor, organisation or staff/superuser status is its own `tenancy.user.role_changed`
    entry; other changes are `tenancy.user.changed`; neither ever holds the password or its hash.
    """
    _check_user_grant(actor, user)
    if user.pk is None and actor is not None:
        # Whoever created the account chose its first password: the person replaces it at the first sign-in.
        user.must_change_password = True
    values = None if teams is None else {"teams": teams}
    before, after = row_save(obj=user, fields=fields, m2m=("teams",), m2m_values=values)
    if before is None:
        audit_record(actor=actor, action="tenancy.user.created", obj=user, after=after)
        return user
    before_diff, after_diff = diff_snapshots(before, after)
    for action, keys in (
        ("tenancy.user.role_changed", [k for k in after_diff if k in ROLE_FIELDS]),
        ("tenancy.user.changed", [k for k in after_diff if k not in ROLE_FIELDS]),
    ):
        if keys:
            audit_record(
                actor=actor,
                action=action,
                obj=user,
                before={k: before_diff[k] for k in keys},
                after={k: after_diff[k] for k in keys},
            )
    return user


@transaction.atomic
def user_delete(*, actor, user: User) -> None:
    """Delete a user account."""
    row_delete(actor=actor, obj=user, organisation=user.organisation, m2m=("teams",))


PASSWORD_SET_BY_OWNER = ("changed", "link")


@transaction.atomic
def user_password_changed(*, actor, user: User, how: str = "set_by_admin") -> None:
    """Record that a user's password was set (never the value or its hash) and whether they must change it.

    `how` is "changed" (the user changed it themself), "link" (through an e-mailed invitation or reset link) or
    "set_by_admin";
    a password someone else chose must be replaced at the next sign-in, one the user chose clears that flag.
    """
    must_change = how not in PASSWORD_SET_BY_OWNER and not (actor is not None and actor.pk == user.pk)
    if user.pk is not None and user.must_change_password != must_change:
        User.objects.filter(pk=user.pk).update(must_change_password=must_change)
        user.must_change_password = must_change
    if how == "link":
        # Whoever followed the e-mailed link controls the mailbox: the account's sign-in lockout ends too.
        clear_failed_sign_ins(username=user.get_username())
    audit_record(
        actor=actor,
        action="tenancy.user.password_changed",
        obj=user,
        # "must_change", not the field's name: keys naming a password are masked in the trail.
        after={"usable": user.has_usable_password(), "how": how, "must_change": must_change},
    )


# --------------------------------------------------------------------------------------------------
# People managed by the client administrator (invite, role, deactivate): the product's user pages.
# --------------------------------------------------------------------------------------------------


def _check_administers(actor, user: User) -> None:
    """Only the organisation's client administrators (or superusers) manage its people; nobody a superuser."""
    if actor is None or actor.is_superuser:
        return
    if actor.role != Role.CLIENT_ADMIN or actor.organisation_id is None:
        raise NotAllowed(_("You are not allowed to do this."))
    if user.organisation_id != actor.organisation_id or user.is_superuser:
        raise NotAllowed(_("You are not allowed to do this."))


def _check_role(*, role: str, vendor: Vendor | None, organisation_id) -> None:
    """A known role; vendor staff belong to one vendor of the same organisation, nobody else to any."""
    if role not in Role.values:
        raise ApplicationError(_("Unknown role."))
    if role in VENDOR_ROLES:
        if vendor is None:
            raise ApplicationError(_("Vendor staff must belong to a vendor."), extra={"field": "vendor"})
        if vendor.organisation_id != organisation_id:
            raise ApplicationError(_("The vendor belongs to another organisation."), extra={"field": "vendor"})
    elif vendor is not None:
        raise ApplicationError(_("Only vendor staff belong to a vendor."), extra={"field": "vendor"})


def password_set_link(user: User) -> str:
    """The absolute single-use link where a user sets their password (OVERSIGHT_BASE_URL, never the Host header)."""
    base = str(getattr(settings, "OVERSIGHT_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base + path


def user_send_invitation(*, user_id: int) -> None:
    """E-mail an invited person the link to set their password, in their language (after the commit)."""
    user = User.objects.select_related("organisation").filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    with translation.override(user.language):
        context = {"user": user, "link": password_set_link(user), "organisation": user.organisation}
        subject = render_to_string("tenancy/email/invitation_subject.txt", context).strip()
        body = render_to_string("tenancy/email/invitation_body.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def user_invite(
    *,
    actor,
    organisation: Organisation,
    username: str,
    email: str,
    display_name: str = "",
    role: str,
    vendor: Vendor | None = None,
    department: Site | None = None,
    language: str = "zh-hans",
) -> User:
    """Create a person with a role and no usable password, and e-mail them a link to set one."""
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        organisation=organisation,
        role=role,
        vendor=vendor,
        department=department,
        language=language,
        time_zone=organisation.time_zone,
        is_staff=role == Role.CLIENT_ADMIN,
    )
    _check_administers(actor, user)
    _check_role(role=role, vendor=vendor, organisation_id=organisation.pk)
    if department is not None and department.organisation_id != organisation.pk:
        raise ApplicationError(_("The department belongs to another organisation."), extra={"field": "department"})
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("This user name is taken."), extra={"field": "username"})
    if not email:
        raise ApplicationError(_("An invitation needs an e-mail address."), extra={"field": "email"})
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ApplicationError(_("Unknown language."))
    user.set_unusable_password()
    user_save(actor=actor, user=user, fields=None)
    transaction.on_commit(lambda: user_send_invitation(user_id=user.pk))
    return user


@transaction.atomic
def user_resend_invitation(*, actor, user: User) -> None:
    """Send an invited person a fresh set-password link (only while they have not set a password)."""
    _check_administers(actor, user)
    if not user.is_active:
        raise ApplicationError(_("Reactivate the person before inviting them again."))
    if user.has_usable_password():
        raise ApplicationError(_("This person has set a password already."))
    if not user.email:
        raise ApplicationError(_("An invitation needs an e-mail address."), extra={"field": "email"})
    audit_record(actor=actor, action="tenancy.user.invitation_sent", obj=user, after={"email": user.email})
    transaction.on_commit(lambda: user_send_invitation(user_id=user.pk))


@transaction.atomic
def user_change_role(*, actor, user: User, role: str, vendor: Vendor | None = None) -> User:
    """Give a person another role (and vendor); audited as tenancy.user.role_changed. Nobody changes their own."""
    _check_administers(actor, user)
    if actor is not None and actor.pk == user.pk:
        raise NotAllowed(_("You cannot change your own role; ask another administrator."))
    _check_role(role=role, vendor=vendor, organisation_id=user.organisation_id)
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if locked.role == role and locked.vendor_id == (vendor.pk if vendor else None):
        return locked
    teams = None if role in VENDOR_ROLES and locked.vendor_id == (vendor.pk if vendor else None) else []
    locked.role, locked.vendor = role, vendor
    locked.is_staff = role == Role.CLIENT_ADMIN
    return user_save(actor=actor, user=locked, fields=["role", "vendor", "is_staff"], teams=teams)


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    """Deactivate a person (they can no longer sign in; their history stays) or reactivate them."""
    _check_administers(actor, user)
    if actor is not None and actor.pk == user.pk:
        raise NotAllowed(_("You cannot deactivate your own account."))
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="tenancy.user.reactivated" if active else "tenancy.user.deactivated",
        obj=locked,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return locked


# ---------------------------------------------------------------------------------------------- API tokens

#: Days a new token lives when no expiry is chosen, and the longest it may live (ADR 0016).
API_TOKEN_DEFAULT_DAYS = 90
API_TOKEN_MAX_DAYS = 365
#: What every secret starts with (so scanners and people recognise one), and how much of it stays visible.
API_TOKEN_MARK = "ovs_"  # noqa: S105 - a public marker, not a secret
API_TOKEN_PREFIX_LENGTH = 12
#: Last use is written at most this often per token, not on every request.
API_TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenRefused(ApplicationError):
    """A presented API token is unknown, revoked or expired, or its owner may no longer sign in."""

    status_code = 401
    code = "authentication_failed"


def api_token_hash(secret: str) -> str:
    """The stored form of a token secret (sha256, hex): the secret itself is never stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _token_audit(token: ApiToken) -> dict:
    return {"name": token.name, "prefix": token.prefix, "expires_at": token.expires_at.isoformat()}


@transaction.atomic
def api_token_create(*, actor, owner: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Give a person a new API token; returns the token and its secret, which is shown this once only."""
    if actor is not None and actor.pk != owner.pk:
        raise NotAllowed(_("You can create API tokens for yourself only."))
    if not owner.is_active:
        raise ApplicationError(_("An inactive account cannot have API tokens."))
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the token a name, e.g. the program that will use it."))
    if len(name) > 100:
        raise ApplicationError(_("At most %(n)s characters.") % {"n": 100})
    days = API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise ApplicationError(
            _("A token lives between 1 and %(max)s days.") % {"max": API_TOKEN_MAX_DAYS}, code="invalid_expiry"
        )
    secret = API_TOKEN_MARK + secrets.token_urlsafe(40)
    now = clock.now()
    token = ApiToken.objects.create(
        owner=owner,
        name=name,
        prefix=secret[:API_TOKEN_PREFIX_LENGTH],
        key_hash=api_token_hash(secret),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action="tenancy.api_token.created",
        obj=token,
        organisation=owner.organisation,
        after=_token_audit(token),
    )
    return token, secret


def _may_revoke(actor, token: ApiToken) -> bool:
    if actor is None or actor.is_superuser or actor.pk == token.owner_id:
        return True
    return actor.role == Role.CLIENT_ADMIN and actor.organisation_id == token.owner.organisation_id


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token at once (its owner, their client administrator or a superuser); a repeat changes nothing."""
    if not _may_revoke(actor, token):
        raise NotAllowed(_("You cannot revoke this token."))
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = clock.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="tenancy.api_token.revoked",
        obj=locked,
        organisation=token.owner.organisation,
        before={"revoked_at": None},
        after={**_token_audit(locked), "revoked_at": locked.revoked_at.isoformat()},
    )
    return locked


def api_token_authenticate(*, secret: str) -> ApiToken:
    """The live token behind a presented secret (its owner loaded), or TokenRefused saying why not.

    Records the last use at most once a minute per token (one conditional UPDATE, no audit entry).
    """
    token = ApiToken.objects.select_related("owner").filter(key_hash=api_token_hash(secret)).first()
    if token is None:
        raise TokenRefused(_("Invalid token."))
    now = clock.now()
    if token.revoked_at is not None:
        raise TokenRefused(_("This token was revoked; create a new one under Preferences."), code="token_revoked")
    if token.expires_at <= now:
        raise TokenRefused(_("This token has expired; create a new one under Preferences."), code="token_expired")
    if not token.owner.is_active:
        raise TokenRefused(_("User inactive or deleted."))
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_TOUCH_EVERY:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - API_TOKEN_TOUCH_EVERY)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def password_reset_requested(*, email: str, users: list[User]) -> None:
    """Record a password-reset request for each matching account (none matching: nothing to record)."""
    for user in users:
        audit_record(actor=None, action="tenancy.user.password_reset_requested", obj=user, after={"email": email})


def login_locked_out(*, username: str, ip_address: str, path: str) -> None:
    """Record that sign-in was locked after repeated failures (for an account, or a client address)."""
    user = User.objects.filter(username=username).first() if username else None
    audit_record(
        actor=None,
        action="tenancy.user.login_locked_out",
        obj=user,
        object_type=None if user else "tenancy.user",
        object_id=None if user else "",
        organisation=getattr(user, "organisation", None),
        after={"username": username[:150], "ip_address": ip_address, "path": path[:200]},
    )


@transaction.atomic
def user_unlock_sign_in(*, actor, user: User) -> int:
    """Clear an account's failed sign-ins on every address, lifting its lockout; returns the rows removed."""
    if actor is not None and not actor.is_superuser and actor.organisation_id != user.organisation_id:
        raise NotAllowed(_("You are not allowed to do this."))
    removed = clear_failed_sign_ins(username=user.get_username())
    audit_record(actor=actor, action="tenancy.user.sign_in_unlocked", obj=user, after={"attempts_cleared": removed})
    return removed


# ---------------------------------------------------------------------------------------------- saved views

#: How many saved views one person keeps per list.
MAX_SAVED_VIEWS_PER_LIST = 30
_LIST_KEY = re.compile(r"^[a-z_]+:[a-z_]+$")
# Parameters a saved view never keeps: the page number and the form's own fields.
_NOT_SAVED = frozenset({"page", "csrfmiddlewaretoken"})


def saved_view_query(raw: str) -> str:
    """A list's query string as a saved view keeps it: without the page number, at most 2,000 characters."""
    pairs = [(key, value) for key, value in parse_qsl(raw or "", keep_blank_values=False) if key not in _NOT_SAVED]
    query = urlencode(pairs)
    if len(query) > SavedView._meta.get_field("query").max_length:
        raise ApplicationError(_("These filters are too long to save."))
    return query


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ApplicationError(_("Give the view a name."))
    if len(cleaned) > SavedView._meta.get_field("name").max_length:
        raise ApplicationError(_("The name is too long (at most 80 characters)."))
    return cleaned


def _require_owner(actor, saved_view: SavedView) -> None:
    if actor is None or saved_view.owner_id != actor.pk:
        raise NotAllowed(_("This saved view is not yours."))


@transaction.atomic
def saved_view_create(*, actor: User, list_key: str, name: str, query: str) -> SavedView:
    """Save the current filters and sort order of a list under a name, for the actor only."""
    if not _LIST_KEY.match(list_key or ""):
        raise ApplicationError(_("This list cannot be saved."))
    name = _clean_name(name)
    query = saved_view_query(query)
    if SavedView.objects.filter(owner=actor, list_key=list_key).count() >= MAX_SAVED_VIEWS_PER_LIST:
        raise ApplicationError(
            _("You already keep %(n)d views of this list; delete one first.") % {"n": MAX_SAVED_VIEWS_PER_LIST}
        )
    now = clock.now()
    try:
        with transaction.atomic():
            saved = SavedView.objects.create(
                owner=actor, list_key=list_key, name=name, query=query, created_at=now, updated_at=now
            )
    except IntegrityError as exc:
        raise ApplicationError(_("You already have a view with this name.")) from exc
    audit_record(
        actor=actor,
        action="tenancy.saved_view.created",
        obj=saved,
        organisation=actor.organisation,
        after={"list": list_key, "name": name, "query": query},
    )
    return saved


@transaction.atomic
def saved_view_rename(*, actor: User, saved_view: SavedView, name: str) -> SavedView:
    """Give one of the actor's saved views another name."""
    _require_owner(actor, saved_view)
    name = _clean_name(name)
    if name == saved_view.name:
        return saved_view
    if SavedView.objects.filter(owner=actor, list_key=saved_view.list_key, name=name).exists():
        raise ApplicationError(_("You already have a view with this name."))
    before = {"name": saved_view.name}
    saved_view.name = name
    saved_view.updated_at = clock.now()
    saved_view.save(update_fields=["name", "updated_at"])
    audit_record(
        actor=actor,
        action="tenancy.saved_view.renamed",
        obj=saved_view,
        organisation=actor.organisation,
        before=before,
        after={"name": name},
    )
    return saved_view


@transaction.atomic
def saved_view_delete(*, actor: User, saved_view: SavedView) -> None:
    """Delete one of the actor's saved views."""
    _require_owner(actor, saved_view)
    before = {"list": saved_view.list_key, "name": saved_view.name, "query": saved_view.query}
    audit_record(
        actor=actor,
        action="tenancy.saved_view.deleted",
        obj=saved_view,
        organisation=actor.organisation,
        before=before,
    )
    saved_view.delete()
