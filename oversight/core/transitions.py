"""State machines, declared once per model in its app's ``choices.py``: the table of allowed transitions and
the one rule for a harmless repeat. Pure data and decisions; the writing is `oversight.audit.transitions`.

The table maps each action to ``(statuses it may start from, status it leads to)``; a ``None`` to-status
means the service works it out from the object (a work order resumes to the status it held before the
pause). An action may carry guards: callables ``guard(obj, actor)`` that raise a domain error when a
business precondition is not met; they run after the table check, so a request the table refuses hears
"not possible now" rather than a precondition it could never meet anyway.

The one rule for a harmless repeat
----------------------------------
A request for an action whose to-status is already the object's status, when it is *the same request*
as the one that got it there, comes back with the object unchanged: nothing is written, no timeline
step, no audit entry, no event. Anything else outside the table raises ``InvalidTransition``.

What "the same request" means is declared with the table, because it is a fact of the domain:

- by default, the same action asked again by anyone who may act (a double click, a retried request, a
  second operator approving what the organisation already approved: they all wanted that outcome);
- `same_actor_did_last`: the same action asked again by the person whose own last step it was (a work
  order accepted by one agent is theirs: another agent asking to accept it is told it is not possible);
- `repeat_unless`: actions that share a to-status with another action and so are never recognised as
  repeats by the status alone (a complaint "reopened" while it is being investigated is refused);
- any other predicate ``same(obj, actor, action, params)`` (a prize draw asked to draw again with the
  same seed gives the same winners; another seed is refused).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import InvalidTransition

Table = Mapping[str, tuple[frozenset[str], str | None]]
Guard = Callable[[Any, Any], None]
SameRequest = Callable[[Any, Any, str, Mapping[str, Any]], bool]


def any_actor(obj, actor, action: str, params: Mapping[str, Any]) -> bool:
    """The default notion of the same request: the same action, whoever may act asks again."""
    return True


def repeat_unless(*actions: str) -> SameRequest:
    """The same request unless the action is one of ``actions`` (which are never harmless repeats)."""
    excluded = frozenset(actions)

    def same(obj, actor, action: str, params: Mapping[str, Any]) -> bool:
        return action not in excluded

    return same


def same_actor_did_last(obj, actor, action: str, params: Mapping[str, Any]) -> bool:
    """The object's latest status step on its timeline was this action by this actor.

    Needs a timeline whose steps record ``action`` and ``to_status`` (related name ``events``)."""
    last = obj.events.exclude(to_status="").order_by("-seq").values("action", "actor_id").first()
    return bool(last) and last["action"] == action and last["actor_id"] == getattr(actor, "pk", None)


@dataclass(frozen=True)
class Machine:
    """One model's state machine: its table, how a refusal reads, what its audit entries and timeline are called.

    ``audit`` names the audit action: a format with ``{action}`` and ``{to}`` (``"tickets.workorder.{action}"``),
    with ``audit_names`` overriding it per action (``{"activate": "contracts.contract.activated"}``).
    ``timeline`` is the ``"app_label.Model"`` of the model's timeline, if it has one (its steps get
    ``timeline_kind``); ``refusal(status, action)`` builds the message of a refused transition, and ``stale``
    is the message of a version conflict (models with a ``version``; it may name ``%(current)s`` and ``%(seen)s``)."""

    name: str
    table: Table
    refusal: Callable[[str, str], Any]
    audit: str
    audit_names: Mapping[str, str] = field(default_factory=dict)
    timeline: str = ""
    timeline_kind: str = "status_changed"
    same_request: SameRequest = any_actor
    guards: Mapping[str, tuple[Guard, ...]] = field(default_factory=dict)
    status_field: str = "status"
    stale: Any = None

    def step(self, action: str) -> tuple[frozenset[str], str | None]:
        """``(from-statuses, to-status)`` of an action; an unknown action is refused."""
        if action not in self.table:
            raise InvalidTransition(_("Unknown action: %(action)s") % {"action": action})
        return self.table[action]

    def allows(self, status: str, action: str) -> bool:
        """Whether the table lets ``action`` start from ``status``."""
        return action in self.table and status in self.table[action][0]

    def actions_from(self, status: str) -> list[str]:
        """The actions the table allows from ``status``, in table order."""
        return [action for action, (sources, _to) in self.table.items() if status in sources]

    def statuses(self) -> frozenset[str]:
        """Every status the table names."""
        out: set[str] = set()
        for sources, target in self.table.values():
            out |= sources
            if target is not None:
                out.add(target)
        return frozenset(out)

    def audit_action(self, action: str, to_status: str) -> str:
        """The namespaced audit action of a transition."""
        return self.audit_names.get(action) or self.audit.format(action=action, to=to_status)

    def decide(self, obj, actor, action: str, params: Mapping[str, Any] | None = None, *, target=None) -> str | None:
        """Apply the table and the repeat rule to ``obj`` as it stands (locked by the caller).

        Returns the to-status when the transition may go ahead, None for a harmless repeat; raises
        ``InvalidTransition`` otherwise. ``target`` (a status, or a callable of the object) stands in for a
        to-status the table leaves to the service."""
        sources, to_status = self.step(action)
        status = getattr(obj, self.status_field)
        if status in sources:
            chosen = target(obj) if callable(target) else target
            return chosen or to_status
        if to_status is not None and status == to_status and self.same_request(obj, actor, action, params or {}):
            return None
        raise InvalidTransition(self.refusal(status, action))

    def require(self, obj, action: str) -> None:
        """Refuse with ``InvalidTransition`` unless the table lets ``action`` start from the object's status."""
        status = getattr(obj, self.status_field)
        if not self.allows(status, action):
            self.step(action)
            raise InvalidTransition(self.refusal(status, action))
