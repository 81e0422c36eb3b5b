"""Pinned query counts in one place (NetBox's ``query_counts.json`` idea) and the helpers that check them.

Every page, endpoint or computation whose query count a test pins is listed in ``QUERY_COUNTS`` by name. A
test measures its count with few rows and with more (``count_queries``) and checks both with ``assert_flat``:
the count must not grow with the rows (an N+1 fails), and must match the pin (exactly, or at most a ceiling).
``assert_within`` checks one measurement. A name the table does not list is a KeyError, so a pinned number
cannot live anywhere else (tests/core/test_core_query_counts.py checks that no test captures queries itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Pin:
    """What is pinned for one name: the count never grows with the rows, and is `exact` or at most `ceiling`."""

    exact: int | None = None
    ceiling: int | None = None


GROWS_NOT = Pin()

QUERY_COUNTS: dict[str, Pin] = {
    # tickets: the web lists, the work-order page, the API lists
    "tickets.board": Pin(ceiling=14),
    "tickets.workbench": GROWS_NOT,
    "tickets.work_order_page": GROWS_NOT,
    "tickets.api.work_orders": Pin(exact=2),  # one COUNT, one SELECT with every related row joined in
    "tickets.api.work_order_events": Pin(exact=3),  # the work order, one COUNT, one SELECT joined with the actors
    "tickets.api.comments": GROWS_NOT,
    "tickets.api.attachments": GROWS_NOT,
    "tickets.api.clocks": GROWS_NOT,
    # reference data and the audit trail
    "catalog.api.services": GROWS_NOT,
    "catalog.api.calendars": GROWS_NOT,
    "catalog.api.sla_policies": GROWS_NOT,
    "tenancy.api.users": GROWS_NOT,
    "audit.api.entries": GROWS_NOT,
    # feedback
    "feedback.api.ratings": GROWS_NOT,
    "feedback.api.complaints": GROWS_NOT,
    # configuration (CMDB): the web list and the API lists
    "configuration.list": GROWS_NOT,
    "configuration.api.configuration_items": GROWS_NOT,
    "configuration.api.ci_relations": GROWS_NOT,
    "configuration.imports": GROWS_NOT,
    "configuration.api.configuration_imports": GROWS_NOT,
    "configuration.classes": GROWS_NOT,
    "configuration.groups": GROWS_NOT,
    "configuration.api.groups": GROWS_NOT,
    "configuration.spot_checks": GROWS_NOT,
    "configuration.api.spot_checks": GROWS_NOT,
    # risk quantification: the simulation runs
    "risks.simulations": GROWS_NOT,
    "risks.api.simulations": GROWS_NOT,
    "risks.api.quantifications": GROWS_NOT,
    # risks: the register's web lists and its API lists
    "risks.list": GROWS_NOT,
    "risks.mitigations": GROWS_NOT,
    "risks.heatmap": GROWS_NOT,
    "risks.api.risks": GROWS_NOT,
    "risks.api.mitigations": GROWS_NOT,
    # contracts
    "contracts.api.contracts": GROWS_NOT,
    # knowledge
    "knowledge.api.articles": GROWS_NOT,
    "knowledge.search": GROWS_NOT,
    # scorecards
    "scorecards.api.periods": GROWS_NOT,
    "scorecards.load_facts": Pin(ceiling=12),
    # reports
    "reports.content": GROWS_NOT,
    "reports.api.schedules": GROWS_NOT,
    "reports.api.deliveries": GROWS_NOT,
    "reports.schedules_page": GROWS_NOT,
    "reports.dashboard": Pin(ceiling=80),
    # changes: the web lists
    "changes.list": GROWS_NOT,
    # parts
    "parts.overview": GROWS_NOT,
    "parts.api.levels": GROWS_NOT,
    "parts.api.movements": GROWS_NOT,
    # e-mail intake
    "mailintake.log": GROWS_NOT,
    "mailintake.mailboxes": GROWS_NOT,
    # risks: key risk indicators and risk events (the trigger part)
    # notification channels: the delivery log page and the API lists
    "notifications.delivery_log": GROWS_NOT,
    "notifications.api.channels": Pin(exact=2),  # one COUNT, one SELECT joined with the quiet-hours calendar
    "notifications.api.channel_deliveries": Pin(exact=2),  # one COUNT, one SELECT joined with channel and digest
    "risks.kri_list": GROWS_NOT,
    "risks.risk_events": GROWS_NOT,
    "risks.api.kris": Pin(exact=2),  # one COUNT, one SELECT with the latest reading as subqueries
    "risks.api.risk_events": Pin(exact=3),  # one COUNT, one SELECT joined, one prefetch of the effects
    # changes
    "changes.api.changes": GROWS_NOT,
    "changes.api.templates": GROWS_NOT,
    "changes.api.windows": GROWS_NOT,
    # projects: the web list and the API list (latest lights annotated in the one query)
    "projects.list": GROWS_NOT,
    "projects.api.projects": Pin(exact=2),  # one COUNT, one SELECT with vendor, owners and the latest snapshot
    # improvement: the register's web list and API list (the latest measurement's outcome annotated)
    "improvement.list": GROWS_NOT,
    # liaisons: the web lists and the API lists
    "liaisons.list": GROWS_NOT,
    "liaisons.escalations": GROWS_NOT,
    "liaisons.hotline_reports": GROWS_NOT,
    "liaisons.api.liaisons": GROWS_NOT,
    "liaisons.api.escalations": GROWS_NOT,
    "liaisons.api.hotline_reports": GROWS_NOT,
    "improvement.api.improvements": Pin(exact=2),  # one COUNT, one SELECT with vendor, owner, approver joined
    # meetings: the meeting list (open action items annotated), the action-item list, the API lists
    "meetings.list": GROWS_NOT,
    "meetings.actions": GROWS_NOT,
    "meetings.api.meetings": Pin(exact=2),  # one COUNT, one SELECT with vendor and series
    "meetings.api.action_items": Pin(exact=2),  # one COUNT, one SELECT with owner, vendor and meeting
    # operations: liveness touches no database (docs/operations/health.md)
    "core.healthz": Pin(exact=0),
}


@contextmanager
def count_queries() -> Iterator[CaptureQueriesContext]:
    """Capture the queries run on the default database inside the block (``len(...)`` is the count)."""
    with CaptureQueriesContext(connection) as captured:
        yield captured


def _pin(name: str) -> Pin:
    """The pin of `name`; a name missing from the table is an error, never an unchecked count."""
    try:
        return QUERY_COUNTS[name]
    except KeyError:
        raise KeyError(f"{name!r} is not in tests/query_counts.py QUERY_COUNTS") from None


def assert_within(name: str, count: int) -> None:
    """Fail when one measured `count` breaks what is pinned for `name`."""
    pin = _pin(name)
    assert pin.exact is None or count == pin.exact, f"{name}: {count} queries, pinned at exactly {pin.exact}"
    assert pin.ceiling is None or count <= pin.ceiling, f"{name}: {count} queries, the pinned ceiling is {pin.ceiling}"


def assert_flat(name: str, few: int, many: int) -> None:
    """Fail when the count grew from `few` rows to `many` rows, or breaks what is pinned for `name`."""
    _pin(name)
    assert many == few, f"{name}: {few} queries with few rows, {many} with more: the count grows with the rows"
    assert_within(name, many)


def get_counts(requests) -> list[int]:
    """The queries of one GET of each ``(client, url)``, asked twice so that the first warms what is cached;
    each answer must be a 200."""
    found = []
    for client, url in requests:
        client.get(url)
        with count_queries() as queries:
            assert client.get(url).status_code == 200, url
        found.append(len(queries))
    return found
