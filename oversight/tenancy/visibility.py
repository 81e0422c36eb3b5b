"""The one visibility gate: each model declares how its rows belong, and :func:`restrict` limits any
queryset of it to what a user may see (or change, or administer).

A model says how it belongs with a class attribute::

    class Complaint(models.Model):
        visibility = Visibility(organisation="organisation", vendor="vendor")

    class ComplaintEvent(models.Model):
        visibility = Visibility.through("complaint")   # a part of a complaint: seen with it

What the fields of a declaration mean (every path is an ORM lookup from the model):

* ``organisation`` — the owning organisation. Nobody but a superuser sees another organisation's rows.
* ``vendor`` — what vendor staff (managers, agents) see: a path to a vendor means "the rows of their own
  vendor"; :data:`WHOLE_ORGANISATION` means "every row of their organisation" (shared reference data such as
  sites and calendars); ``None`` means "nothing". People follow the same rule: vendor staff see their own
  vendor's staff only; the client staff and requesters they work with reach them through a work order they
  may see (its requester, its contact), never through a list of people.
* ``requester`` — what requesters see: a path to a user means "the rows where that user is themselves";
  :data:`WHOLE_ORGANISATION` or ``None`` as for vendors. ``department`` adds paths to a site: a requester
  granted ``sees_department_work_orders`` also sees the rows of their department.
* ``person`` — rows addressed to one person (notifications): every role sees only the rows where that path
  is themselves, whatever the role.
* ``roles`` — which roles see the model at all (e.g. only auditors and client administrators read the audit
  trail; vendor agents see no report schedules). Client roles in it see every row of their organisation.
* :attr:`Visibility.GLOBAL` — rows that belong to no organisation: every signed-in user sees them.

Actions (NetBox's ``queryset.restrict(user, action)`` is the model):

* ``"view"`` — the rules above.
* ``"change"`` — as ``view``, but the read-only roles (executive, auditor) get nothing.
* ``"administer"`` — the Django admin: a client administrator administers every row of their organisation
  (the ``organisation`` path alone); nobody else but superusers gets anything.

Superusers see everything; anonymous, inactive and organisation-less users see nothing; a model without a
declaration shows nothing to anybody but superusers (the suite fails on such a model, see
``tests/tenancy/test_visibility_declarations.py``). Rules that are about a domain rather than about who
belongs where (vendors see only approved statements, requesters only active services) stay in that app's
selector, applied on top of the gate.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import ClassVar

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from oversight.tenancy.choices import Role
from oversight.tenancy.roles import ALL_ROLES, CLIENT_ROLES, READ_ONLY_ROLES, VENDOR_ROLES, is_signed_in

#: For ``vendor`` / ``requester``: every row of the user's organisation.
WHOLE_ORGANISATION = "*"

VIEW = "view"
CHANGE = "change"
ADMINISTER = "administer"
ACTIONS = frozenset({VIEW, CHANGE, ADMINISTER})


@dataclass(frozen=True)
class Visibility:
    """How the rows of one model belong (see the module docstring for what each field means)."""

    organisation: str | None = None
    vendor: str | None = None
    requester: str | None = None
    department: tuple[str, ...] = ()
    person: str | None = None
    roles: frozenset[str] = ALL_ROLES
    parent: str | None = field(default=None, repr=False)

    GLOBAL: ClassVar[Visibility]

    @classmethod
    def through(cls, parent: str) -> Visibility:
        """A part of the object behind the foreign key ``parent``: seen exactly when its parent is."""
        return cls(parent=parent)

    @property
    def is_global(self) -> bool:
        """True for rows that belong to no organisation."""
        return self.organisation is None and self.parent is None

    def paths(self) -> list[str]:
        """Every ORM lookup this declaration uses (to check that each resolves)."""
        found = [self.organisation, self.person, *self.department]
        found += [p for p in (self.vendor, self.requester) if p != WHOLE_ORGANISATION]
        return [p for p in found if p]

    def prefixed(self, prefix: str) -> Visibility:
        """The same declaration seen from a model that reaches this one through ``prefix``."""

        def join(path: str | None) -> str | None:
            if path is None or path == WHOLE_ORGANISATION:
                return path
            return prefix if path == "pk" else f"{prefix}__{path}"

        return replace(
            self,
            organisation=join(self.organisation),
            vendor=join(self.vendor),
            requester=join(self.requester),
            department=tuple(join(p) for p in self.department),
            person=join(self.person),
        )


Visibility.GLOBAL = Visibility()


@functools.cache
def declaration_of(model) -> Visibility | None:
    """The resolved declaration of a model (parents followed), or None when it declares none."""
    declared = getattr(model, "visibility", None)
    if not isinstance(declared, Visibility):
        return None
    if declared.parent is None:
        return declared
    related = model._meta.get_field(declared.parent).related_model
    parent = declaration_of(related)
    if parent is None or parent.is_global:
        return parent
    return parent.prefixed(declared.parent)


def organisation_path(model) -> str | None:
    """The lookup from ``model`` to its owning organisation ("pk" for organisations; None when none)."""
    declared = declaration_of(model)
    return None if declared is None else declared.organisation


def organisation_of(obj):
    """The organisation an object belongs to, following its declaration (None if unknown or global)."""
    if obj is None:
        return None
    path = organisation_path(type(obj))
    if path is None:
        return None
    if path == "pk":
        return obj
    current = obj
    for part in path.split("__"):
        try:
            current = getattr(current, part)
        except ObjectDoesNotExist:
            return None
        if current is None:
            return None
    return current


def _is_multi_valued(model, path: str) -> bool:
    """Whether a lookup crosses a to-many relation (filtering on it could repeat rows)."""
    current = model
    for part in path.split("__"):
        if part == "pk":
            return False
        try:
            found = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if not found.is_relation:
            return False
        if found.many_to_many or found.one_to_many:
            return True
        current = found.related_model
    return False


#: The filter that matches no row (compared by identity: "nothing at all" skips the query).
NOTHING = Q(pk__in=[])


def visibility_q(model, user, action: str = VIEW) -> Q | None:
    """The filter the gate adds to ``model`` for (user, action): None means everything (superusers)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    if not is_signed_in(user) or not user.organisation_id:
        return NOTHING
    rule = declaration_of(model)
    if rule is None:
        return NOTHING
    if rule.is_global:
        return NOTHING if action == ADMINISTER or (action == CHANGE and user.role in READ_ONLY_ROLES) else None
    own_organisation = Q(**{rule.organisation: user.organisation_id})
    if action == ADMINISTER:
        return own_organisation if user.role == Role.CLIENT_ADMIN else NOTHING
    if action == CHANGE and user.role in READ_ONLY_ROLES:
        return NOTHING
    if user.role not in rule.roles:
        return NOTHING
    if rule.person:
        return own_organisation & Q(**{rule.person: user.pk})
    if user.role in CLIENT_ROLES:
        return own_organisation
    if user.role in VENDOR_ROLES:
        return _audience(own_organisation, rule.vendor, user.vendor_id)
    if user.role == Role.REQUESTER:
        q = _audience(own_organisation, rule.requester, user.pk)
        if rule.requester not in (None, WHOLE_ORGANISATION) and rule.department:
            if user.sees_department_work_orders and user.department_id:
                department = Q()
                for path in rule.department:
                    department |= Q(**{path: user.department_id})
                q |= own_organisation & department
        return q
    return NOTHING


def _audience(own_organisation: Q, path: str | None, own_id) -> Q:
    """What one audience (vendor staff, requesters) sees: nothing, all of the organisation, or its own rows."""
    if path is None or own_id is None:
        return NOTHING
    if path == WHOLE_ORGANISATION:
        return own_organisation
    return own_organisation & Q(**{path: own_id})


def restrict(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """Limit any queryset to the rows ``user`` may see (``action="view"``), change or administer.

    The one gate every selector, admin page, serializer field, export, report and dashboard goes
    through; see the module docstring for the rules.
    """
    q = visibility_q(queryset.model, user, action)
    if q is None:
        return queryset
    if q is NOTHING:
        return queryset.none()
    rule = declaration_of(queryset.model)
    if rule is not None and any(_is_multi_valued(queryset.model, p) for p in rule.paths()):
        # A to-many hop would repeat rows: select the visible primary keys instead of joining.
        return queryset.filter(pk__in=queryset.model._base_manager.filter(q).values("pk"))
    return queryset.filter(q)


def is_visible(obj: Model, user, action: str = VIEW) -> bool:
    """Whether the gate lets ``user`` see (or change, administer) this one stored object."""
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()
