"""Service level (服务水平) under the five industry definitions — pure, no Django.

Letters (sums over the intervals being measured, never an average of interval ratios):
W answered within the threshold T, A answered, B abandoned, S short abandons (abandoned before the contract's
short-abandon time), Bt abandoned within T, O offered.

======================== ==============================  =============================================
variant code             formula                         reading
======================== ==============================  =============================================
w_over_a_plus_b          W ÷ (A + B)                     abandons count against the vendor
w_over_a                 W ÷ A                           abandons ignored
w_over_offered           W ÷ O                           everything offered counts, flow-outs included
w_over_a_plus_b_minus_s  W ÷ (A + B − S)                 short abandons (callers who hung up at once) ignored
w_plus_bt_over_offered   (W + Bt) ÷ O                    an abandon within T counts as met
======================== ==============================  =============================================

Flow-outs (contacts that left the queue without being answered or abandoned: overflowed to another queue,
transferred to voicemail) are in O as the vendor reports it, so the two offered-based variants count them as
not answered within T; the three (A + B)-based variants leave them out of the denominator (they are neither A
nor B). When the vendor's offered omits them, O is used as delivered.

A denominator of zero gives None (no service level for an interval without contacts, not 100 % or 0 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

ANSWERED_AND_ABANDONED = "w_over_a_plus_b"
ANSWERED_ONLY = "w_over_a"
OFFERED = "w_over_offered"
EXCLUDING_SHORT_ABANDONS = "w_over_a_plus_b_minus_s"
ABANDONS_WITHIN_T_COUNT = "w_plus_bt_over_offered"
VARIANTS = (ANSWERED_AND_ABANDONED, ANSWERED_ONLY, OFFERED, EXCLUDING_SHORT_ABANDONS, ABANDONS_WITHIN_T_COUNT)


@dataclass(frozen=True)
class Counts:
    """The summed counts a service level is computed from."""

    offered: int = 0
    answered: int = 0
    answered_within: int = 0
    abandoned: int = 0
    abandoned_within: int = 0
    short_abandoned: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.offered + other.offered,
            self.answered + other.answered,
            self.answered_within + other.answered_within,
            self.abandoned + other.abandoned,
            self.abandoned_within + other.abandoned_within,
            self.short_abandoned + other.short_abandoned,
        )


def parts(variant: str, c: Counts) -> tuple[int, int]:
    """(numerator, denominator) of the service level under a variant."""
    if variant == ANSWERED_AND_ABANDONED:
        return c.answered_within, c.answered + c.abandoned
    if variant == ANSWERED_ONLY:
        return c.answered_within, c.answered
    if variant == OFFERED:
        return c.answered_within, c.offered
    if variant == EXCLUDING_SHORT_ABANDONS:
        return c.answered_within, c.answered + c.abandoned - c.short_abandoned
    if variant == ABANDONS_WITHIN_T_COUNT:
        return c.answered_within + c.abandoned_within, c.offered
    raise ValueError(f"unknown service-level variant {variant!r}")


def service_level(variant: str, c: Counts) -> Fraction | None:
    """The service level as an exact fraction in [0, 1], or None when the denominator is zero."""
    numerator, denominator = parts(variant, c)
    if denominator <= 0:
        return None
    return Fraction(numerator, denominator)


def met(variant: str, c: Counts, target) -> bool | None:
    """Whether the service level reaches the target (a fraction; None when there is no service level)."""
    value = service_level(variant, c)
    return None if value is None else value >= Fraction(str(target))
