"""The requester portal: listing own work orders, submitting (once, even when sent twice), QR intake."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.catalog.choices import Level
from oversight.tickets.choices import Channel, Status
from oversight.tickets.models import Attachment, IntakePoint, WorkOrder
from tests.factories import OfferingFactory
from tests.web.conftest import form_value


def _submit_data(world, key: str, **overrides) -> dict:
    data = {
        "idempotency_key": key,
        "service": world.service.pk,
        "offering": world.onsite_offering.pk,
        "title": "",
        "description": "The ward printer shows paper jam\nTried to open the tray.",
        "site": world.dept.pk,
        "location_detail": "Room 302",
        "asset_tag": "",
        "contact_phone": "",
        "impact": Level.MEDIUM,
        "urgency": Level.HIGH,
    }
    data.update(overrides)
    return data


def test_portal_lists_only_my_work_orders(world, web, wo):
    mine = wo(title="My broken mouse")
    theirs = wo(requester="requester_2", title="Someone else's keyboard")
    page = web("requester").get("/portal/").content.decode()
    assert mine.number in page
    assert theirs.number not in page
    assert "My broken mouse" in page


def test_portal_tabs_split_open_and_finished(world, web, wo):
    from oversight.tickets import services

    open_one = wo(title="Still open")
    done = wo(title="Finished one")
    services.work_order_transition(actor=world.users["requester"], work_order=done, action="cancel", note="nvm")
    client = web("requester")
    assert open_one.number in client.get("/portal/").content.decode()
    assert done.number not in client.get("/portal/").content.decode()
    assert done.number in client.get("/portal/?show=done").content.decode()
    both = client.get("/portal/?show=all").content.decode()
    assert open_one.number in both and done.number in both


def test_submit_form_shows_grouped_services_and_a_fresh_key(world, web):
    client = web("requester")
    first = client.get("/portal/new/").content.decode()
    second = client.get("/portal/new/").content.decode()
    assert "<optgroup" in first
    assert "Desktop" in first and "Network" in first
    assert "Far service" not in first  # another organisation's service
    assert form_value(first, "idempotency_key") != form_value(second, "idempotency_key")
    assert 'hx-get="/portal/offerings/"' in first
    # The requester's department is the default location.
    assert f'<option value="{world.dept.pk}" selected>' in first


def test_submit_creates_one_work_order_and_redirects(world, web):
    client = web("requester")
    key = form_value(client.get("/portal/new/").content.decode(), "idempotency_key")
    response = client.post("/portal/new/", _submit_data(world, key))
    assert response.status_code == 302
    work_order = WorkOrder.objects.get()
    assert response["Location"] == f"/wo/{work_order.number}/"
    assert work_order.requester == world.users["requester"]
    assert work_order.channel == Channel.PORTAL
    assert work_order.title == "The ward printer shows paper jam"  # first line of the description
    assert work_order.offering == world.onsite_offering
    assert work_order.location_detail == "Room 302"
    assert (work_order.impact, work_order.urgency) == (Level.MEDIUM, Level.HIGH)
    assert work_order.status == Status.NEW
    page = client.get(response["Location"]).content.decode()
    assert "was received" in page


def test_double_submit_creates_one_work_order(world, web):
    client = web("requester")
    key = form_value(client.get("/portal/new/").content.decode(), "idempotency_key")
    first = client.post("/portal/new/", _submit_data(world, key))
    second = client.post("/portal/new/", _submit_data(world, key))
    assert WorkOrder.objects.count() == 1
    assert first["Location"] == second["Location"]
    follow = client.get(second["Location"]).content.decode()
    assert "already submitted" in follow


def test_double_submit_with_attachments_attaches_once(world, web, png_bytes):
    client = web("requester")
    key = "fixed-key-123"
    for _ in range(2):
        upload = SimpleUploadedFile("jam.png", png_bytes, content_type="image/png")
        client.post("/portal/new/", _submit_data(world, key, attachments=[upload]))
    work_order = WorkOrder.objects.get()
    assert Attachment.objects.filter(work_order=work_order).count() == 1


def test_submit_with_several_attachments(world, web, png_bytes):
    client = web("requester")
    files = [
        SimpleUploadedFile("a.png", png_bytes, content_type="image/png"),
        SimpleUploadedFile("notes.txt", "打印机卡纸 paper jam".encode(), content_type="text/plain"),
    ]
    response = client.post("/portal/new/", _submit_data(world, "k-files", attachments=files))
    assert response.status_code == 302
    names = sorted(Attachment.objects.values_list("original_name", flat=True))
    assert names == ["a.png", "notes.txt"]
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == ["image/png", "text/plain"]


def test_a_refused_file_creates_nothing_and_keeps_the_input(world, web):
    client = web("requester")
    html_file = SimpleUploadedFile("evil.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post(
        "/portal/new/", _submit_data(world, "k-bad", description="Keep this text", attachments=[html_file])
    )
    assert response.status_code == 400
    assert WorkOrder.objects.count() == 0
    page = response.content.decode()
    assert "this type of file is not accepted" in page
    assert "Keep this text" in page
    assert "Room 302" in page
    assert form_value(page, "idempotency_key") == "k-bad"


def test_missing_description_is_a_clear_error_with_input_kept(world, web):
    client = web("requester")
    response = client.post("/portal/new/", _submit_data(world, "k1", description="", location_detail="Bed 7"))
    assert response.status_code == 400
    assert WorkOrder.objects.count() == 0
    page = response.content.decode()
    assert "This field is required" in page
    assert "Bed 7" in page


def test_a_service_refusal_is_shown_with_input_kept(world, web):
    from oversight.catalog import services as catalog_services
    from tests.factories import ServiceFactory

    unversioned = catalog_services.sla_policy_create(actor=None, organisation=world.org, name="Draft", code="draft")
    service = ServiceFactory(organisation=world.org, vendor=world.vendor, sla_policy=unversioned, name="Draft svc")
    client = web("requester")
    response = client.post(
        "/portal/new/", _submit_data(world, "k2", service=service.pk, offering="", location_detail="Lab 2")
    )
    assert response.status_code == 400
    assert WorkOrder.objects.count() == 0
    page = response.content.decode()
    assert "SLA policy has no version yet" in page
    assert "Lab 2" in page


def test_offering_must_belong_to_the_service(world, web):
    client = web("requester")
    response = client.post("/portal/new/", _submit_data(world, "k3", service=world.other_service.pk))
    assert response.status_code == 400
    assert "does not belong to the selected service" in response.content.decode()
    assert WorkOrder.objects.count() == 0


def test_another_organisations_service_cannot_be_chosen(world, web):
    client = web("requester")
    response = client.post("/portal/new/", _submit_data(world, "k4", service=world.foreign_service.pk, offering=""))
    assert response.status_code == 400
    assert WorkOrder.objects.count() == 0


def test_offering_options_follow_the_service_and_visibility(world, web):
    OfferingFactory(service=world.other_service, name="Wi-Fi dead zone")
    inactive = OfferingFactory(service=world.service, name="Retired thing")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    client = web("requester")
    response = client.get(f"/portal/offerings/?service={world.service.pk}", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Printer repair" in html
    assert "Wi-Fi dead zone" not in html
    assert "Retired thing" not in html
    assert "<html" not in html
    foreign = web("vendor_agent").get(f"/portal/offerings/?service={world.other_service.pk}")
    assert "Wi-Fi dead zone" not in foreign.content.decode()  # another vendor's service


def test_service_desk_submits_on_behalf_of_a_caller(world, web):
    client = web("vendor_agent")
    response = client.post(
        "/portal/new/",
        _submit_data(world, "k5", requester="nurse_a", contact_phone="8123", offering=""),
    )
    assert response.status_code == 302
    work_order = WorkOrder.objects.get()
    assert work_order.requester == world.users["requester"]
    assert work_order.created_by == world.users["vendor_agent"]
    assert work_order.channel == Channel.PHONE
    assert work_order.contact_phone == "8123"


def test_on_behalf_of_an_unknown_person_is_refused(world, web):
    response = web("vendor_agent").post("/portal/new/", _submit_data(world, "k6", requester="nurse_x"))
    assert response.status_code == 400  # nurse_x belongs to another organisation
    assert "No person with this user name" in response.content.decode()
    assert WorkOrder.objects.count() == 0


def test_requesters_do_not_get_the_on_behalf_field(world, web):
    assert 'name="requester"' not in web("requester").get("/portal/new/").content.decode()
    assert 'name="requester"' in web("vendor_agent").get("/portal/new/").content.decode()


def _intake(world, **kwargs) -> IntakePoint:
    values = {
        "organisation": world.org,
        "token": "ward3-printer",
        "label": "Ward 3 printer",
        "service": world.service,
        "offering": world.onsite_offering,
        "site": world.other_dept,
        "asset_tag": "PRN-0042",
    }
    values.update(kwargs)
    return IntakePoint.objects.create(**values)


def test_qr_intake_requires_login_and_comes_back(world, client):
    _intake(world)
    response = client.get("/q/ward3-printer/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/q/ward3-printer/"
    login = client.post("/login/", {"username": "nurse_a", "password": "pw-Oversight-1", "next": "/q/ward3-printer/"})
    assert login["Location"] == "/q/ward3-printer/"


def test_qr_intake_prefills_the_form(world, web):
    _intake(world)
    page = web("requester").get("/q/ward3-printer/").content.decode()
    assert "Ward 3 printer" in page
    assert f'<option value="{world.service.pk}" selected>' in page
    assert f'<option value="{world.onsite_offering.pk}" selected>' in page
    assert f'<option value="{world.other_dept.pk}" selected>' in page
    assert 'value="PRN-0042"' in page


def test_qr_intake_submits_with_channel_qr(world, web):
    _intake(world)
    client = web("requester")
    key = form_value(client.get("/q/ward3-printer/").content.decode(), "idempotency_key")
    data = _submit_data(world, key, site=world.other_dept.pk, asset_tag="PRN-0042")
    response = client.post("/q/ward3-printer/", data)
    assert response.status_code == 302
    work_order = WorkOrder.objects.get()
    assert work_order.channel == Channel.QR
    assert work_order.asset_tag == "PRN-0042"
    assert work_order.site == world.other_dept


def test_qr_intake_of_another_organisation_or_inactive_is_404(world, web):
    _intake(world)
    _intake(world, token="old-code", is_active=False)
    assert web("foreign_requester").get("/q/ward3-printer/").status_code == 404
    assert web("requester").get("/q/old-code/").status_code == 404
    assert web("requester").get("/q/no-such-code/").status_code == 404


def test_qr_intake_for_read_only_roles_is_403(world, web):
    _intake(world)
    assert web("auditor").get("/q/ward3-printer/").status_code == 403


def test_the_same_form_sent_again_with_other_text_is_refused_plainly(world, web):
    client = web("requester")
    key = form_value(client.get("/portal/new/").content.decode(), "idempotency_key")
    first = client.post("/portal/new/", _submit_data(world, key))
    again = client.post("/portal/new/", _submit_data(world, key, description="Something else entirely"))
    number = WorkOrder.objects.get().number
    assert first.status_code == 302
    assert again.status_code == 400
    page = again.content.decode()
    assert f"already sent as {number}" in page
    assert "Idempotency" not in page


def test_a_contact_phone_that_is_no_number_is_refused_on_the_page(world, web):
    response = web("requester").post("/portal/new/", _submit_data(world, "k-phone", contact_phone="abc-not-a-phone"))
    assert response.status_code == 400  # the form again, with the error at the field
    assert "contact_phone" in response.context["form"].errors
    assert not WorkOrder.objects.exists()
