"""The public supervision hotline: the page without login (contacts per service area, both languages, a phone-sized
layout without inline scripts), the form (no personal data required, hostile input refused with a clear error,
rate-limited per caller), and the supervisor's triage into a complaint or a work order with the resolution time."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from oversight.core.clock import frozen_at
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.feedback.services.complaints import complaint_resolve
from oversight.liaisons.choices import HotlineStatus, LiaisonRole
from oversight.liaisons.models import HotlineReport
from oversight.liaisons.services.hotline import (
    hotline_area_save,
    hotline_page_save,
    hotline_report_convert,
    hotline_report_dismiss,
    hotline_report_submit,
)
from oversight.liaisons.services.liaisons import liaison_save
from oversight.tickets import services as tickets
from tests.factories import signed_in

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def page(world):
    admin = world.users["client_admin"]
    page = hotline_page_save(
        actor=admin,
        organisation=world.org,
        title="监管热线",
        title_en="Supervision hotline",
        intro="请反映服务问题。",
        intro_en="Tell us about problems with the service.",
        phone="+86 10 5555 0000",
    )
    hotline_area_save(actor=admin, page=page, name="桌面运维", name_en="Desktop support", vendor=world.vendor)
    liaison_save(
        actor=admin,
        organisation=world.org,
        vendor=world.vendor,
        role=LiaisonRole.PROJECT_MANAGER,
        name="Zhang Wei",
        phone="+86 10 5555 0199",
        on_hotline=True,
    )
    liaison_save(
        actor=admin,
        organisation=world.org,
        vendor=world.vendor,
        role=LiaisonRole.QC_MANAGER,
        name="Hidden Person",
        phone="+86 10 5555 0198",
    )
    return page


def public(page, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    return client, reverse("liaisons:hotline-public", args=[page.token])


def test_public_page_lists_contacts_without_login_in_both_languages(page):
    client, url = public(page)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Supervision hotline" in body and "Desktop support" in body
    assert "Zhang Wei" in body and "+86 10 5555 0199" in body
    assert "Hidden Person" not in body  # not listed on the hotline
    assert "<script>" not in body and "onclick" not in body  # CSP-safe: no inline script
    assert 'name="viewport" content="width=device-width' in body
    assert response["Cache-Control"] == "private, no-store"
    client, url = public(page, "zh-hans")
    body = client.get(url).content.decode()
    assert "监管热线" in body and "桌面运维" in body and "反映问题" in body


def test_unknown_or_closed_page_is_404(page, world):
    client, url = public(page)
    assert client.get(url.replace(page.token, "nope")).status_code == 404
    hotline_page_save(actor=world.users["client_admin"], organisation=world.org, is_active=False)
    assert client.get(url).status_code == 404


def test_a_report_needs_no_personal_data(page):
    client, url = public(page)
    area = page.areas.get()
    with frozen_at(T0):
        response = client.post(url, {"description": "The printer in ward 3 is broken for days", "area": area.pk})
    assert response.status_code == 302 and response["Location"].endswith("/thanks/")
    report = HotlineReport.objects.get()
    assert report.contact == "" and report.area == area and report.received_at == T0
    assert report.status == HotlineStatus.NEW


@pytest.mark.parametrize(
    "data",
    [
        {"description": ""},
        {"description": "x" * 2001},
        {"description": "ok", "area": "999999"},
        {"description": "ok", "area": "<script>alert(1)</script>"},
        {"description": "ok", "contact": "c" * 201},
    ],
)
def test_hostile_input_gets_a_clear_form_error(page, data):
    client, url = public(page)
    response = client.post(url, data)
    assert response.status_code == 400
    assert b'class="error' in response.content or b"errorlist" in response.content
    assert not HotlineReport.objects.exists()


def test_control_characters_are_refused_by_the_service(page):
    with pytest.raises(ApplicationError):
        hotline_report_submit(page=page, description="bad\x00text")


def test_reports_are_rate_limited_per_caller(page, settings):
    settings.OVERSIGHT_HOTLINE_RATE_LIMIT = 3
    client, url = public(page)
    statuses = [client.post(url, {"description": f"report {i}"}).status_code for i in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert HotlineReport.objects.count() == 3
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.post(url, {"description": "another caller"}).status_code == 302


def test_convert_to_complaint_and_resolution_time(page, world, django_capture_on_commit_callbacks):
    supervisor = world.users["client_supervisor"]
    with frozen_at(T0):
        wo = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="Slow PC")
        report = hotline_report_submit(page=page, description="The engineer was rude")
    with frozen_at(T0 + dt.timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        report = hotline_report_convert(actor=supervisor, report=report, work_order=wo, summary="Rude engineer")
    assert report.status == HotlineStatus.CONVERTED and report.complaint.work_order == wo
    assert report.triaged_by == supervisor
    with frozen_at(T0 + dt.timedelta(hours=5)), django_capture_on_commit_callbacks(execute=True):
        complaint_resolve(actor=supervisor, complaint=report.complaint, resolution="Apologised")
    report.refresh_from_db()
    assert report.status == HotlineStatus.RESOLVED
    assert report.resolved_at - report.received_at == dt.timedelta(hours=5)


def test_convert_to_work_order_resolves_with_it(page, world, django_capture_on_commit_callbacks):
    supervisor = world.users["client_supervisor"]
    report = hotline_report_submit(page=page, description="No network in room 12")
    with django_capture_on_commit_callbacks(execute=True):
        report = hotline_report_convert(actor=supervisor, report=report, service=world.service)
    wo = report.work_order
    assert wo.channel == "phone" and wo.description == "No network in room 12" and wo.vendor == world.vendor
    from oversight.liaisons.handlers import settle_breach_on_resolve

    settle_breach_on_resolve(work_order_id=wo.pk, actor_id=None, event_id="e1")
    settle_breach_on_resolve(work_order_id=wo.pk, actor_id=None, event_id="e2")  # twice: harmless
    report.refresh_from_db()
    assert report.status == HotlineStatus.RESOLVED and report.resolved_at is not None


def test_triage_refusals(page, world):
    report = hotline_report_submit(page=page, description="Something")
    with pytest.raises(NotAllowed):
        hotline_report_dismiss(actor=world.users["vendor_manager"], report=report, note="no")
    with pytest.raises(NotAllowed):
        hotline_report_convert(actor=world.users["executive"], report=report, service=world.service)
    with pytest.raises(ApplicationError):
        hotline_report_convert(actor=world.users["client_supervisor"], report=report)  # neither chosen
    with pytest.raises(ApplicationError):
        hotline_report_convert(actor=world.users["client_supervisor"], report=report, service=world.foreign_service)
    with pytest.raises(ApplicationError):
        hotline_report_dismiss(actor=world.users["client_supervisor"], report=report, note=" ")
    report = hotline_report_dismiss(actor=world.users["client_supervisor"], report=report, note="Duplicate")
    assert report.status == HotlineStatus.DISMISSED


def test_settings_page_shows_the_qr_code_and_poster(page, world):
    client = signed_in(world.users["client_supervisor"])
    body = client.get(reverse("liaisons:hotline-settings")).content.decode()
    assert page.token in body
    png = client.get(reverse("liaisons:hotline-qr", args=["png"]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    svg = client.get(reverse("liaisons:hotline-qr", args=["svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    poster = client.get(reverse("liaisons:hotline-poster")).content.decode()
    assert "+86 10 5555 0000" in poster
    assert signed_in(world.users["vendor_manager"]).get(reverse("liaisons:hotline-settings")).status_code == 403


def test_report_pages_and_convert_form_errors(page, world):
    report = hotline_report_submit(page=page, description="Broken <b>badge</b> reader")
    client = signed_in(world.users["client_supervisor"])
    body = client.get(reverse("liaisons:hotline-report-detail", args=[report.pk])).content.decode()
    assert "Broken &lt;b&gt;badge&lt;/b&gt; reader" in body
    bad = client.post(reverse("liaisons:hotline-report-convert", args=[report.pk]), {"work_order": "NOPE"})
    assert bad.status_code == 400 and re.search(r"error", bad.content.decode())
    listing = client.get(reverse("liaisons:hotline-report-list")).content.decode()
    assert "badge" in listing
