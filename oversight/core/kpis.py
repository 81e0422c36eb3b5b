"""The open registry of KPI sources (指标来源): every app registers the indicators its own data gives.

A *source* is one indicator that an evaluation scheme, a contract commitment, a service report or the vendor
dashboard can show. The app that owns the data registers it in ``<app>/kpis.py``, imported from its
``AppConfig.ready()``; scorecards (schemes, periods, drill-down), contract validation, service reports and the
dashboard only read this registry, so a new source touches that one app. ``docs/indicators.md`` is generated
from the registrations (``manage.py kpi_docs``; a test fails when it is stale).

What an app registers
---------------------
* a :class:`Loader`: how the facts of one :class:`Scope` (organisation, vendor, optional contract version) are
  loaded for one window. Sources naming the same loader share one load per window (:class:`Facts` caches it),
  which is how the work-order, rating and complaint indicators of a period still cost one load;
* a :class:`RecordKind`: how the records behind a figure (its numerator, denominator and group ids) are listed
  for a user, in which order, described in the API and rendered in the drill-down page;
* a :class:`Source`: code, dimension, unit, direction, a translated label and definition, its loader and
  ``compute(facts, window)`` (a pure function returning :class:`oversight.kpi.IndicatorResult`), the kind of
  its records, and where it is used (:data:`USES`).

Manual entry (:data:`MANUAL`) is not a source: a scheme indicator entered by the client supervisor.

This module is in core because every app may import it; it imports no tenancy or domain app (only the pure
``oversight.kpi`` package), so a registering app never creates an import cycle.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.kpi import IndicatorResult, Period


class Dimension(models.TextChoices):
    """The four dimensions of GB/T 28827.1 (values equal those of `scorecards.rules.Dimension`)."""

    PEOPLE = "people", _("People")
    RESOURCES = "resources", _("Resources")
    PROCESSES = "processes", _("Processes")
    TECHNOLOGY = "technology", _("Technology")


class Unit(models.TextChoices):
    """The unit of an indicator's value (a computed one takes its source's unit)."""

    PERCENT = "percent", _("percent")
    COUNT = "count", _("events")
    SECONDS = "seconds", _("seconds")
    STARS = "stars", _("stars")
    NPS = "nps", _("NPS points")
    POINTS = "points", _("points")


MANUAL = "manual"
MANUAL_LABEL = _("Entered by the client supervisor")

# Where a source is used (a source lists the places in `Source.uses`).
SCHEME = "scheme"  # offered as the source of an evaluation scheme's indicator
COMMITMENT = "commitment"  # may be measured by a contract's SLA commitment
REPORT = "report"  # computed for service reports and the vendor dashboard
KEY_FIGURE = "key_figure"  # listed among a service report's key figures
DASHBOARD = "dashboard"  # a compared row of the vendor dashboard
DASHBOARD_CHART = "dashboard_chart"  # a bar of the vendor dashboard's chart
USES = frozenset({SCHEME, COMMITMENT, REPORT, KEY_FIGURE, DASHBOARD, DASHBOARD_CHART})

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class RegistryError(ValueError):
    """A registration that would make the registry inconsistent (a programming error, raised at start-up)."""


@dataclass(frozen=True)
class Scope:
    """Whose facts are loaded: a vendor of an organisation, optionally within one contract version's scope.

    ``evaluated_at`` is the instant the figures are judged at (a running period: now); ``day`` the local day
    stock records without history (the roster) are read on; ``lookback_days`` how far before the window
    records are loaded to look back at (repeat detection).
    """

    organisation_id: int
    vendor_id: int
    evaluated_at: dt.datetime
    version: Any = None
    day: dt.date | None = None
    lookback_days: int = 30


@dataclass(frozen=True)
class Window:
    """What a computation is asked for: the period, the instant stock measures are read at, scheme options."""

    period: Period
    at: dt.datetime
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Loader:
    """How one kind of facts is loaded for a scope and a window (once per window, whatever the sources).

    ``restrict(facts, excluded=..., policy_versions=...)`` (optional) returns the facts without the work orders
    excluded by accepted disputes and, when ``policy_versions`` is not None, only those under those SLA policy
    versions; a loader without it is not restricted.
    """

    key: str
    load: Callable[[Scope, Period], Any]
    empty: Callable[[], Any]
    restrict: Callable[..., Any] | None = None


@dataclass(frozen=True)
class RecordKind:
    """How the records behind a figure are listed: ``records(user=, period=, ids=)`` gives a queryset of what the
    user may see, ``ordering`` its order, ``describe(record)`` the API's short description, ``template`` the
    drill-down table (a template rendering ``page.items``)."""

    key: str
    label: Any
    records: Callable[..., Any]
    ordering: tuple[str, ...]
    describe: Callable[[Any], dict]
    template: str


@dataclass(frozen=True)
class Source:
    """One registered indicator (see the module docstring); ``compute`` is None when Oversight does not measure
    it itself (e.g. availability, reported by monitoring), which only commitments may name."""

    code: str
    dimension: str
    unit: str
    higher_is_better: bool
    label: Any
    definition: Any
    record_kind: str
    loader: str | None = None
    compute: Callable[[Any, Window], IndicatorResult] | None = None
    short_label: Any = None
    uses: frozenset[str] = frozenset({SCHEME})
    owner: str = ""

    @property
    def computed(self) -> bool:
        """Oversight computes it from loaded facts."""
        return self.compute is not None

    @property
    def title(self) -> Any:
        """The label reports and the dashboard show (the short label, else the label)."""
        return self.short_label or self.label


def process_source(
    *, owner: str, loader: str, formula: Callable[[Any, Period], IndicatorResult], facts: str, **fields
) -> Source:
    """A source of the processes dimension offered to schemes, computed by a pure ``formula(rows, period)`` over
    the ``facts`` attribute of its loader's facts (the shape of the ITIL process apps' indicators); ``fields`` are
    the rest of the `Source` (code, unit, direction, labels, definition, record kind)."""
    return Source(
        dimension=Dimension.PROCESSES,
        loader=loader,
        compute=lambda loaded, window: formula(getattr(loaded, facts), window.period),
        uses=frozenset({SCHEME}),
        owner=owner,
        **fields,
    )


class UnknownSource(KeyError):
    """No source is registered under this code."""


class Registry:
    """Loaders, record kinds and sources by key, in registration order."""

    def __init__(self) -> None:
        self._loaders: dict[str, Loader] = {}
        self._kinds: dict[str, RecordKind] = {}
        self._sources: dict[str, Source] = {}

    # ------------------------------------------------------------------------------------------ registering

    def register_loader(self, loader: Loader) -> Loader:
        """Add a loader; a key already taken is refused."""
        if loader.key in self._loaders:
            raise RegistryError(f"a KPI loader {loader.key!r} is already registered")
        self._loaders[loader.key] = loader
        return loader

    def register_record_kind(self, kind: RecordKind) -> RecordKind:
        """Add a kind of drill-down record; a key already taken is refused."""
        if kind.key in self._kinds:
            raise RegistryError(f"a KPI record kind {kind.key!r} is already registered")
        self._kinds[kind.key] = kind
        return kind

    def register(self, source: Source) -> Source:
        """Add a source after checking it against the registry (duplicate codes and loose ends are refused)."""
        code = source.code
        if code in self._sources:
            raise RegistryError(f"a KPI source {code!r} is already registered (by {self._sources[code].owner!r})")
        if code == MANUAL or not CODE_RE.match(code):
            raise RegistryError(f"{code!r} is not a valid KPI source code (lowercase, digits, _; not {MANUAL!r})")
        if source.dimension not in Dimension.values:
            raise RegistryError(f"{code}: unknown dimension {source.dimension!r}")
        if source.unit not in Unit.values:
            raise RegistryError(f"{code}: unknown unit {source.unit!r}")
        if not isinstance(source.higher_is_better, bool):
            raise RegistryError(f"{code}: higher_is_better must be True or False")
        if unknown := set(source.uses) - USES:
            raise RegistryError(f"{code}: unknown uses {sorted(unknown)}")
        if not str(source.label).strip() or not str(source.definition).strip():
            raise RegistryError(f"{code}: a label and a definition are required")
        if source.record_kind not in self._kinds:
            raise RegistryError(f"{code}: register the record kind {source.record_kind!r} first")
        if source.compute is not None and source.loader not in self._loaders:
            raise RegistryError(f"{code}: register the loader {source.loader!r} first")
        if {KEY_FIGURE, DASHBOARD, DASHBOARD_CHART} & source.uses and REPORT not in source.uses:
            raise RegistryError(f"{code}: a key figure or dashboard row must be computed for reports ({REPORT!r})")
        if DASHBOARD_CHART in source.uses and (DASHBOARD not in source.uses or source.unit != Unit.PERCENT):
            raise RegistryError(f"{code}: the dashboard's chart shows percentages of dashboard rows only")
        if source.compute is None and set(source.uses) - {COMMITMENT}:
            raise RegistryError(f"{code}: a source Oversight does not compute may only be used by commitments")
        self._sources[code] = source
        return source

    @contextmanager
    def temporarily(self, *items: Loader | RecordKind | Source) -> Iterator[None]:
        """Register the given loaders, record kinds and sources for the duration of a ``with`` block."""
        added: list[tuple[dict, str]] = []
        try:
            for item in items:
                if isinstance(item, Loader):
                    self.register_loader(item)
                    added.append((self._loaders, item.key))
                elif isinstance(item, RecordKind):
                    self.register_record_kind(item)
                    added.append((self._kinds, item.key))
                else:
                    self.register(item)
                    added.append((self._sources, item.code))
            yield
        finally:
            for table, key in reversed(added):
                table.pop(key, None)

    # ------------------------------------------------------------------------------------------ reading

    def get(self, code: str) -> Source:
        """The source of a code, or :class:`UnknownSource`."""
        try:
            return self._sources[code]
        except KeyError as exc:
            raise UnknownSource(code) from exc

    def find(self, code: str) -> Source | None:
        """The source of a code, or None."""
        return self._sources.get(code)

    def sources(self, use: str | None = None) -> list[Source]:
        """Every source (or those with ``use``), in registration order."""
        if use is not None and use not in USES:
            raise RegistryError(f"unknown use {use!r}")
        return [s for s in self._sources.values() if use is None or use in s.uses]

    def codes(self, use: str | None = None) -> tuple[str, ...]:
        """The codes of :meth:`sources`."""
        return tuple(s.code for s in self.sources(use))

    def choices(self, use: str) -> list[tuple[str, Any]]:
        """(code, label) of the sources with ``use``, for a form (the labels translate lazily)."""
        return [(s.code, s.label) for s in self.sources(use)]

    def loader(self, key: str) -> Loader:
        """A registered loader."""
        return self._loaders[key]

    def record_kind(self, key: str) -> RecordKind:
        """A registered kind of drill-down record."""
        return self._kinds[key]

    def record_kinds(self) -> list[RecordKind]:
        """Every kind of drill-down record, in registration order."""
        return list(self._kinds.values())


registry = Registry()


def scheme_source_choices() -> list[tuple[str, Any]]:
    """The sources a scheme indicator may take, then manual entry (for forms: call it per form instance)."""
    return [*registry.choices(SCHEME), (MANUAL, MANUAL_LABEL)]


def source_label(code: str) -> Any:
    """The label of a stored source code (manual entry included; an unregistered code is shown as it is)."""
    if code == MANUAL:
        return MANUAL_LABEL
    source = registry.find(code)
    return source.label if source is not None else code


def validate_scheme_source(value: str) -> None:
    """Model-field validator: a stored indicator source must be manual entry or a registered scheme source."""
    if value == MANUAL:
        return
    source = registry.find(value)
    if source is None or SCHEME not in source.uses:
        raise ValidationError(
            _("“%(value)s” is not a registered indicator source."), code="unknown_source", params={"value": value}
        )


def validate_commitment_indicator(value: str) -> None:
    """Model-field validator: a commitment measures a source registered for commitments."""
    source = registry.find(value)
    if source is None or COMMITMENT not in source.uses:
        raise ValidationError(
            _("“%(value)s” is not an indicator a commitment can measure."),
            code="unknown_indicator",
            params={"value": value},
        )


def commitment_indicator_choices() -> list[tuple[str, Any]]:
    """(code, label) of the sources a contract commitment may measure (for forms: call it per form instance)."""
    return registry.choices(COMMITMENT)


class Facts:
    """The facts of one scope and window, each loader's loaded at most once (on first use).

    Without a scope (nothing is in force) every loader gives its empty facts, so each figure has no value.
    """

    def __init__(self, scope: Scope | None, period: Period):
        self.scope = scope
        self.period = period
        self._loaded: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        """The facts of one loader (loaded now if they were not yet)."""
        if key not in self._loaded:
            loader = registry.loader(key)
            self._loaded[key] = loader.empty() if self.scope is None else loader.load(self.scope, self.period)
        return self._loaded[key]


def compute(
    source: Source,
    facts: Facts,
    window: Window,
    *,
    excluded: frozenset[int] = frozenset(),
    policy_versions: frozenset[int] | None = None,
) -> IndicatorResult | None:
    """One source over the facts (without the excluded work orders, optionally of some policy versions only).

    None when Oversight does not compute the source.
    """
    if source.compute is None:
        return None
    data = facts.get(source.loader)
    loader = registry.loader(source.loader)
    if loader.restrict is not None and (excluded or policy_versions is not None):
        data = loader.restrict(data, excluded=excluded, policy_versions=policy_versions)
    return source.compute(data, window)
