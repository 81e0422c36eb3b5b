"""Critical chain (Goldratt) buffer management with Decimals: buffer consumption from remaining durations, the
buffer burn rate and the zone of a fever chart.

The chain is planned with aggressive durations; the safety cut from each task is pooled in a project buffer at
the end (and feeding buffers where other chains join). Progress is reported as the remaining duration of the
chain; what the chain needs beyond its aggressive length is taken from the buffer:

    consumed = max(0, elapsed + remaining − chain length), share consumed = consumed ÷ buffer,
    share complete = (chain length − remaining) ÷ chain length (clamped to 0…1),
    burn rate = share consumed ÷ share complete.

The fever chart plots share consumed against share complete; two straight lines, each from a value at 0 %
complete to a value at 100 % complete, separate green from yellow and yellow from red (boundaries per project).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
ONE = Decimal(1)

ZONE_GREEN = "green"
ZONE_YELLOW = "yellow"
ZONE_RED = "red"


@dataclass(frozen=True)
class BufferStatus:
    """Where a chain stands: buffer used (days and share), chain complete (share) and the burn rate."""

    consumed: Decimal
    consumed_share: Decimal
    complete_share: Decimal
    burn_rate: Decimal | None


def buffer_status(*, chain_length: Decimal, buffer: Decimal, elapsed: Decimal, remaining: Decimal) -> BufferStatus:
    """Buffer consumption of a chain (all durations in the same unit, e.g. working days).

    ``burn_rate`` is ``None`` while no part of the chain is complete (nothing to divide by). A buffer consumed
    beyond its size gives a share above 1 (the chart shows it past the top); an early chain consumes nothing.
    """
    if chain_length <= 0:
        raise ValueError("the chain's length must be positive")
    if buffer <= 0:
        raise ValueError("the buffer must be positive")
    if elapsed < 0 or remaining < 0:
        raise ValueError("elapsed and remaining durations must not be negative")
    consumed = max(ZERO, elapsed + remaining - chain_length)
    consumed_share = consumed / buffer
    complete_share = min(ONE, max(ZERO, (chain_length - remaining) / chain_length))
    burn = consumed_share / complete_share if complete_share else None
    return BufferStatus(consumed, consumed_share, complete_share, burn)


def burn_rate(consumed_share: Decimal, complete_share: Decimal) -> Decimal | None:
    """Share of buffer consumed ÷ share of the chain complete (``None`` before any of the chain is complete)."""
    return consumed_share / complete_share if complete_share else None


@dataclass(frozen=True)
class FeverZones:
    """The two boundaries of a fever chart, as buffer shares at 0 % and at 100 % of the chain complete.

    The defaults draw yellow from 15 % → 75 % and red from 30 % → 90 % of the buffer, a common choice; every
    project may set its own.
    """

    yellow_start: Decimal = Decimal("0.15")
    yellow_end: Decimal = Decimal("0.75")
    red_start: Decimal = Decimal("0.30")
    red_end: Decimal = Decimal("0.90")

    def __post_init__(self) -> None:
        values = (self.yellow_start, self.yellow_end, self.red_start, self.red_end)
        if any(v < 0 for v in values):
            raise ValueError("fever-chart boundaries must not be negative")
        if self.yellow_start > self.red_start or self.yellow_end > self.red_end:
            raise ValueError("the yellow boundary must lie below the red one")

    def yellow_at(self, complete_share: Decimal) -> Decimal:
        """Buffer share where yellow begins at this share of the chain complete."""
        return self.yellow_start + (self.yellow_end - self.yellow_start) * complete_share

    def red_at(self, complete_share: Decimal) -> Decimal:
        """Buffer share where red begins at this share of the chain complete."""
        return self.red_start + (self.red_end - self.red_start) * complete_share


def fever_zone(consumed_share: Decimal, complete_share: Decimal, zones: FeverZones = FeverZones()) -> str:
    """Zone of a point of the fever chart: red on or above the red line, yellow on or above the yellow line."""
    if consumed_share >= zones.red_at(complete_share):
        return ZONE_RED
    if consumed_share >= zones.yellow_at(complete_share):
        return ZONE_YELLOW
    return ZONE_GREEN
