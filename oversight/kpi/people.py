"""People-dimension indicators (人员) over a vendor's roster on one day (pure Python, no Django).

The ORM layer (``scorecards.facts_loader.load_staff_facts``) turns the contracted staffing and the roster into
the plain records below; the two functions return an :class:`~oversight.kpi.results.IndicatorResult`
like every other computed indicator, with the ids of the staff members / certificates behind the figure.

Definitions (``docs/formulas.md`` "People: staff fill rate and certificate validity")
------------------------------------------------------------------------------------
* **Contracted posts**: per position, the number of people the contract versions in force on the day
  require (``ContractStaffing``, summed over the vendor's contracts, as the portfolio's staff compliance).
* **Roster**: the vendor's *active* staff members with their position and certificates.
* **Staff fill rate** (人员到岗率) = filled posts ÷ contracted posts, in percent, where per position
  ``filled = min(contracted, active members of that position)``: a surplus in one position never fills
  a vacancy in another. numerator ids = the members who fill posts (per position the first ``contracted``
  members in the order given), ``groups["surplus"]`` = active members of contracted positions beyond the
  contracted count, ``groups["uncontracted"]`` = active members of positions the contract does not name.
  Value None when nothing is contracted.
* **Certificate validity** (证书有效率) = valid certificates ÷ required certificates, in percent. Every
  certificate held by an active roster member is required (the portfolio's rule: every certificate on the
  roster is taken as required for the position); it is *valid* on the day unless it expired before it
  (``expires_on < day``; no expiry date = never expires). ``groups["expiring"]`` = valid certificates that
  expire within 30 days (``day <= expires_on <= day + 30``), ``groups["expired"]`` = the others. Value None
  when the roster holds no certificate.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from oversight.kpi.codes import CERTIFICATE_VALIDITY, STAFF_FILL_RATE
from oversight.kpi.results import IndicatorResult, percent

__all__ = [
    "EXPIRED",
    "EXPIRING",
    "EXPIRY_WARNING_DAYS",
    "VALID",
    "CertificateFacts",
    "StaffFacts",
    "certificate_state",
    "certificate_validity",
    "staff_fill_rate",
]

EXPIRY_WARNING_DAYS = 30
VALID = "valid"
EXPIRING = "expiring"
EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """One certificate of a roster member: its id and expiry date (None: never expires)."""

    id: Hashable
    expires_on: date | None = None

    def __post_init__(self) -> None:
        if self.expires_on is not None and not isinstance(self.expires_on, date):
            raise ValueError(f"expires_on must be a date, got {self.expires_on!r}")


@dataclass(frozen=True, slots=True)
class StaffFacts:
    """One active roster member: id, position code and certificates."""

    id: Hashable
    position: str
    certificates: tuple[CertificateFacts, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.position, str) or not self.position:
            raise ValueError(f"position must be a non-empty string, got {self.position!r}")
        if any(not isinstance(c, CertificateFacts) for c in self.certificates):
            raise ValueError("certificates must be CertificateFacts")


def certificate_state(expires_on: date | None, on: date) -> str:
    """Expired when ``expires_on < on``; expiring when ``on <= expires_on <= on + 30 days``; else valid."""
    if expires_on is None:
        return VALID
    if expires_on < on:
        return EXPIRED
    if expires_on <= on + timedelta(days=EXPIRY_WARNING_DAYS):
        return EXPIRING
    return VALID


def _staff(staff: Iterable[StaffFacts]) -> list[StaffFacts]:
    out = list(staff)
    if any(not isinstance(s, StaffFacts) for s in out):
        raise ValueError("staff must be StaffFacts")
    return out


def staff_fill_rate(contracted: Mapping[str, int], staff: Iterable[StaffFacts]) -> IndicatorResult:
    """Staff fill rate (人员到岗率) = Σ min(contracted, active) ÷ Σ contracted per position, in percent."""
    for position, count in contracted.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"contracted count of {position!r} must be a non-negative int, got {count!r}")
    filling: list[Hashable] = []
    surplus: list[Hashable] = []
    uncontracted: list[Hashable] = []
    taken: dict[str, int] = {}
    for member in _staff(staff):
        if member.position not in contracted:
            uncontracted.append(member.id)
            continue
        if taken.get(member.position, 0) < contracted[member.position]:
            taken[member.position] = taken.get(member.position, 0) + 1
            filling.append(member.id)
        else:
            surplus.append(member.id)
    num, den = Decimal(len(filling)), Decimal(sum(contracted.values()))
    return IndicatorResult(
        STAFF_FILL_RATE,
        "percent",
        num,
        den,
        percent(num, den),
        tuple(filling),
        (),
        {"surplus": tuple(surplus), "uncontracted": tuple(uncontracted)},
    )


def certificate_validity(staff: Iterable[StaffFacts], on: date) -> IndicatorResult:
    """Certificate validity (证书有效率) = certificates not expired on ``on`` ÷ certificates of the roster, in %."""
    if not isinstance(on, date):
        raise ValueError(f"on must be a date, got {on!r}")
    required: list[Hashable] = []
    valid: list[Hashable] = []
    expiring: list[Hashable] = []
    expired: list[Hashable] = []
    for member in _staff(staff):
        for certificate in member.certificates:
            required.append(certificate.id)
            state = certificate_state(certificate.expires_on, on)
            if state == EXPIRED:
                expired.append(certificate.id)
                continue
            valid.append(certificate.id)
            if state == EXPIRING:
                expiring.append(certificate.id)
    num, den = Decimal(len(valid)), Decimal(len(required))
    return IndicatorResult(
        CERTIFICATE_VALIDITY,
        "percent",
        num,
        den,
        percent(num, den),
        tuple(valid),
        tuple(required),
        {"expiring": tuple(expiring), "expired": tuple(expired)},
    )
