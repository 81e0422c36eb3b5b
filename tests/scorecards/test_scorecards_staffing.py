"""People dimension from the roster: staff fill rate and certificate validity, by hand on plain records (the pure
module) and through a computed period of the hospital template with drill-down to the staff and certificates.

The hand-built roster (contract: 3 on-site engineers, 2 service desk agents, 1 project manager = 6 posts):

* engineers Eng A (certificate valid until 2027-06-30), Eng B (expired 2026-09-15), Eng C (expires 2026-10-20),
  Eng D (no certificate) - 4 active for 3 posts: A, B, C fill them (by name), D is surplus;
* service desk: Desk A (certificate without expiry) - 1 of 2 posts;
* project manager: nobody - 0 of 1;
* Spec A, a specialist (position not contracted), certificate valid until 2027-01-01;
* Old E, an inactive engineer with an expired certificate: not on the roster at all.

At the end of Q3 2026 (30 September): filled 3 + 1 + 0 = 4 of 6 posts = 66.67 %; certificates of the active
roster: A, B, C, Desk A, Spec A = 5, of which B's is expired: 4 of 5 = 80 %, C's expiring (20 October is within
30 days of 30 September).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from oversight import kpi
from oversight.contracts import services as contract_services
from oversight.contracts.validation import StaffingInput
from oversight.core import clock
from oversight.kpi.people import CertificateFacts, StaffFacts, certificate_validity, staff_fill_rate
from oversight.scorecards import services
from oversight.tenancy.models import Certificate, StaffMember
from tests.scorecards.conftest import EVAL_AT, SIGNED_AT, open_period, terms_for

D = Decimal
SEP_30 = dt.date(2026, 9, 30)

# ---------------------------------------------------------------------------------------------- pure


def _roster() -> tuple[dict[str, int], list[StaffFacts]]:
    def member(name, position, *expiries):
        return StaffFacts(name, position, tuple(CertificateFacts(f"{name}:{i}", e) for i, e in enumerate(expiries)))

    contracted = {"onsite_engineer": 3, "service_desk": 2, "project_manager": 1}
    staff = [
        member("Desk A", "service_desk", None),
        member("Eng A", "onsite_engineer", dt.date(2027, 6, 30)),
        member("Eng B", "onsite_engineer", dt.date(2026, 9, 15)),
        member("Eng C", "onsite_engineer", dt.date(2026, 10, 20)),
        member("Eng D", "onsite_engineer"),
        member("Spec A", "specialist", dt.date(2027, 1, 1)),
    ]
    return contracted, staff


def test_fill_rate_counts_each_position_up_to_its_contracted_posts():
    contracted, staff = _roster()
    result = staff_fill_rate(contracted, staff)
    assert (result.code, result.unit, result.numerator, result.denominator) == ("staff_fill_rate", "percent", 4, 6)
    assert result.value == D(400) / D(6)  # 66.666…, exact to 28 digits
    assert result.numerator_ids == ("Desk A", "Eng A", "Eng B", "Eng C")
    assert result.groups == {"surplus": ("Eng D",), "uncontracted": ("Spec A",)}
    # a surplus engineer never fills the missing project manager
    more = [*staff, StaffFacts("Eng E", "onsite_engineer")]
    assert staff_fill_rate(contracted, more).numerator == 4
    assert staff_fill_rate({}, staff).value is None  # nothing contracted: nothing to measure
    assert staff_fill_rate({"service_desk": 2}, []).value == 0
    with pytest.raises(ValueError):
        staff_fill_rate({"service_desk": -1}, staff)


def test_certificate_validity_at_a_day_with_expired_and_expiring_ones():
    _contracted, staff = _roster()
    result = certificate_validity(staff, SEP_30)
    assert (result.code, result.numerator, result.denominator, result.value) == ("certificate_validity", 4, 5, 80)
    assert result.denominator_ids == ("Desk A:0", "Eng A:0", "Eng B:0", "Eng C:0", "Spec A:0")
    assert result.groups == {"expiring": ("Eng C:0",), "expired": ("Eng B:0",)}
    # on 20 August B's certificate is still valid (and expiring: 15 Sep <= 20 Aug + 30 days), C's not yet warned
    earlier = certificate_validity(staff, dt.date(2026, 8, 20))
    assert (earlier.numerator, earlier.value, earlier.groups["expiring"]) == (5, 100, ("Eng B:0",))
    # the edges: expiring on the day itself and 30 days later, expired the day after
    edge = [
        StaffFacts("x", "specialist", (CertificateFacts("a", SEP_30), CertificateFacts("b", dt.date(2026, 10, 30))))
    ]
    assert certificate_validity(edge, SEP_30).groups == {"expiring": ("a", "b"), "expired": ()}
    assert certificate_validity(edge, dt.date(2026, 10, 1)).groups["expired"] == ("a",)
    assert certificate_validity([StaffFacts("y", "specialist")], SEP_30).value is None  # no certificate at all
    with pytest.raises(ValueError):
        certificate_validity(staff, None)


def test_both_are_in_the_catalogue_as_percentages_where_higher_is_better():
    for code in (kpi.STAFF_FILL_RATE, kpi.CERTIFICATE_VALIDITY):
        assert (kpi.CATALOGUE[code].unit, kpi.CATALOGUE[code].higher_is_better) == ("percent", True)


# ---------------------------------------------------------------------------------------------- a period


@pytest.fixture
def staffed_contract(world):
    terms = dataclasses.replace(
        terms_for(world, world.service),
        staffing=(
            StaffingInput(position="onsite_engineer", count=3),
            StaffingInput(position="service_desk", count=2),
            StaffingInput(position="project_manager", count=1),
        ),
    )
    with clock.frozen_at(SIGNED_AT):
        contract = contract_services.contract_create(
            actor=world.users["client_admin"], vendor=world.vendor, number="HT-S", title="Staffed", terms=terms
        )
        contract = contract_services.contract_activate(actor=world.users["client_admin"], contract=contract)
    services.scheme_from_template(contract, world.users["client_admin"])
    return contract


@pytest.fixture
def roster(world):
    def member(name, position, *expiries, active=True):
        person = StaffMember.objects.create(vendor=world.vendor, name=name, position=position, is_active=active)
        for i, expires in enumerate(expiries):
            Certificate.objects.create(staff_member=person, name=f"{name} licence {i}", expires_on=expires)
        return person

    people = {
        "Eng A": member("Eng A", "onsite_engineer", dt.date(2027, 6, 30)),
        "Eng B": member("Eng B", "onsite_engineer", dt.date(2026, 9, 15)),
        "Eng C": member("Eng C", "onsite_engineer", dt.date(2026, 10, 20)),
        "Eng D": member("Eng D", "onsite_engineer"),
        "Desk A": member("Desk A", "service_desk", None),
        "Spec A": member("Spec A", "specialist", dt.date(2027, 1, 1)),
        "Old E": member("Old E", "onsite_engineer", dt.date(2025, 1, 1), active=False),
    }
    # another vendor's staff never count
    StaffMember.objects.create(vendor=world.other_vendor, name="Net Eng", position="onsite_engineer")
    return people


def _cert(people, name):
    return people[name].certificates.get().pk


def test_a_computed_period_shows_both_in_the_people_dimension_with_their_records(world, staffed_contract, roster):
    period = open_period(world, staffed_contract)
    fill = period.results.get(code="staff_fill_rate")
    certs = period.results.get(code="certificate_validity")
    assert (fill.dimension, fill.source, fill.record_type) == ("people", "staff_fill_rate", "staff_member")
    assert (fill.numerator, fill.denominator, fill.value) == (4, 6, D("66.666667"))
    assert fill.exact["value"] == str(D(400) / D(6))
    assert fill.numerator_ids == [roster[n].pk for n in ("Desk A", "Eng A", "Eng B", "Eng C")]
    assert fill.groups == {"surplus": [roster["Eng D"].pk], "uncontracted": [roster["Spec A"].pk]}
    assert (certs.dimension, certs.record_type, certs.numerator, certs.denominator, certs.value) == (
        "people",
        "certificate",
        4,
        5,
        80,
    )
    assert certs.groups == {"expiring": [_cert(roster, "Eng C")], "expired": [_cert(roster, "Eng B")]}
    # the template's steps (100 → 10, >= 90 → 8, >= 80 → 5 of 10 points), each indicator weighing 5
    assert (fill.points, fill.contribution) == (0, 0)
    assert (certs.points, certs.max_points, certs.contribution) == (5, 10, D("2.5"))
    assert not [p for p in period.problems if p.get("indicator") in ("staff_fill_rate", "certificate_validity")]
    people = {r.code for r in period.results.filter(dimension="people")}
    assert people == {"dress_badge", "staff_fill_rate", "certificate_validity"}


def test_while_the_quarter_runs_the_roster_is_read_as_of_the_evaluation_day(world, staffed_contract, roster):
    period = open_period(world, staffed_contract, at=dt.datetime(2026, 8, 20, 2, 0, tzinfo=dt.UTC))
    certs = period.results.get(code="certificate_validity")
    assert (certs.numerator, certs.denominator, certs.value) == (5, 5, 100)
    assert certs.groups == {"expiring": [_cert(roster, "Eng B")], "expired": []}


def test_drilldown_lists_the_staff_members_and_certificates_behind_the_figures(world, staffed_contract, roster):
    period = open_period(world, staffed_contract)
    fill = period.results.get(code="staff_fill_rate")
    certs = period.results.get(code="certificate_validity")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.users["client_supervisor"])
    page = client.get(reverse("scorecards:period", args=[period.pk])).content.decode()
    assert reverse("scorecards:result", args=[fill.pk]) in page
    assert reverse("scorecards:result", args=[certs.pk]) in page
    html = client.get(reverse("scorecards:result", args=[fill.pk])).content.decode()
    assert all(name in html for name in ("Desk A", "Eng A", "Eng B", "Eng C")) and "Eng D" not in html
    assert "Old E" not in html
    surplus = client.get(reverse("scorecards:result", args=[fill.pk]) + "?set=surplus").content.decode()
    assert "Eng D" in surplus and "Eng A" not in surplus
    expired = client.get(reverse("scorecards:result", args=[certs.pk]) + "?set=expired").content.decode()
    assert "Eng B licence 0" in expired and "2026-09-15" in expired and "Eng C licence 0" not in expired
    with clock.frozen_at(EVAL_AT):
        api = client.get(
            f"/api/v1/evaluation-periods/{period.pk}/drilldown/",
            {"indicator": "certificate_validity", "set": "expiring"},
        ).json()
    assert api["record_type"] == "certificate"
    assert api["records"] == [
        {
            "id": _cert(roster, "Eng C"),
            "name": "Eng C licence 0",
            "staff_member": "Eng C",
            "expires_on": "2026-10-20",
        }
    ]
    # the period is the first vendor's: another vendor's manager reaches none of it
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(world.users["other_vendor_manager"])
    assert other.get(reverse("scorecards:result", args=[fill.pk])).status_code == 404


def test_without_contracted_staff_or_certificates_the_template_gives_full_points(world, contract, template_scheme):
    period = open_period(world, contract)  # the conftest contract names no staffing; the vendor has no roster
    for code in ("staff_fill_rate", "certificate_validity"):
        result = period.results.get(code=code)
        assert (result.value, result.missing, result.points) == (None, True, 10)
