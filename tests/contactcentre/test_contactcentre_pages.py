"""The queue list, a queue's page and the dashboard: what each role sees, and figures computed from the data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from oversight.contactcentre.models import IntervalFact, ServiceLevelTerm
from oversight.core import clock
from tests.contactcentre.conftest import at
from tests.factories import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_data(contract, voice):
    """2 March 2026 (Shanghai): two half-hours summing to O=100, A=95, W=80, B=5, total wait 950 s."""
    ServiceLevelTerm.objects.create(
        contract_version=contract.versions.get(number=1), channel="", variant="w_over_a_plus_b", target="0.800000"
    )
    IntervalFact.objects.create(
        queue=voice,
        interval_start=at(2026, 3, 2, 9, 0),
        offered=60,
        answered=57,
        answered_within_threshold=50,
        abandoned=3,
        wait_seconds=570,
    )
    IntervalFact.objects.create(
        queue=voice,
        interval_start=at(2026, 3, 2, 9, 30),
        offered=40,
        answered=38,
        answered_within_threshold=30,
        abandoned=2,
        wait_seconds=380,
    )
    return voice


def _get(user, url):
    with clock.frozen_at(at(2026, 3, 3, 12)), translation.override("en"):
        return signed_in(user).get(url)


def test_the_queue_page_shows_the_days_service_level_asa_and_abandonment(world, day_data):
    response = _get(world.users["client_supervisor"], reverse("contactcentre:queue_detail", args=[day_data.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "2026-03-02" in text
    assert "80.0 %" in text  # 80 / (95 + 5)
    assert "10.0" in text  # ASA 950 / 95
    assert "5.0 %" in text  # abandonment 5 / 100
    assert "Within T ÷ (answered + abandoned)" in text


def test_the_dashboard_sums_the_period_per_queue(world, day_data):
    response = _get(world.users["client_supervisor"], reverse("contactcentre:dashboard") + "?days=7")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hotline" in text and "80.0 %" in text and "Desk Co" in text


def test_each_side_lists_only_the_queues_it_may_see(world, voice, other_queue):
    url = reverse("contactcentre:queues")
    client_text = _get(world.users["client_supervisor"], url).content.decode()
    assert "VOICE-1" in client_text and "NET-1" in client_text
    vendor_text = _get(world.users["vendor_agent"], url).content.decode()
    assert "VOICE-1" in vendor_text and "NET-1" not in vendor_text
    assert _get(world.users["foreign_admin"], url).content.decode().count("VOICE-1") == 0
    assert _get(world.users["requester"], url).status_code == 403


def test_another_vendors_queue_is_404_for_vendor_staff(world, other_queue):
    url = reverse("contactcentre:queue_detail", args=[other_queue.pk])
    assert _get(world.users["vendor_agent"], url).status_code == 404
    assert _get(world.users["foreign_admin"], url).status_code == 404
    assert _get(world.users["other_vendor_agent"], url).status_code == 200
