"""Work-order sub-resources: timeline, SLA clocks, comments, attachments and the download endpoint."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.core import clock
from oversight.tickets import services
from oversight.tickets.choices import Action
from oversight.tickets.models import Attachment, Comment

URL = "/api/v1/work-orders/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_events_are_the_timeline_in_order(world, api, make_work_order):
    work_order = make_work_order()
    services.work_order_transition(actor=world.users["vendor_agent"], work_order=work_order, action=Action.ACCEPT)
    response = api("requester").get(f"{URL}{work_order.pk}/events/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["seq"], r["kind"]) for r in rows] == [(1, "created"), (2, "status_changed")]
    assert rows[1]["actor"]["id"] == world.users["vendor_agent"].pk
    assert (rows[1]["from_status"], rows[1]["to_status"], rows[1]["action"]) == ("new", "accepted", "accept")
    assert api("requester").get(f"{URL}{work_order.number}/events/").json() == response.json()


def test_clocks_explain_due_times_and_pauses(world, api, make_work_order):
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    with clock.frozen_at(start):
        work_order = make_work_order(impact=2, urgency=2)  # P3: response 60, resolution 960 minutes
    agent = world.users["vendor_agent"]
    with clock.frozen_at(start + dt.timedelta(minutes=10)):
        services.work_order_transition(actor=agent, work_order=work_order, action=Action.ACCEPT)
    with clock.frozen_at(start + dt.timedelta(minutes=20)):
        services.work_order_transition(actor=agent, work_order=work_order, action=Action.PAUSE_REQUESTER, note="x")
    with clock.frozen_at(start + dt.timedelta(minutes=50)):
        services.work_order_transition(actor=agent, work_order=work_order, action=Action.RESUME)
        response = api("client_supervisor").get(f"{URL}{work_order.pk}/clocks/")
    assert response.status_code == 200
    clocks = {c["metric"]: c for c in response.json()}
    response_clock = clocks["response"]
    assert response_clock["state"] == "met"
    assert response_clock["met"] is True
    assert response_clock["elapsed_seconds"] == 600
    assert response_clock["target_seconds"] == 3600
    assert response_clock["calendar"]["id"] == world.calendar.pk
    resolution = clocks["resolution"]
    assert resolution["state"] == "running"
    assert resolution["paused_seconds"] == 1800
    # Due = received + 960 minutes + the 30 paused minutes.
    due = dt.datetime.fromisoformat(resolution["due_at"])
    assert due == start + dt.timedelta(minutes=960 + 30)
    kinds = [segment["kind"] for segment in resolution["segments"]]
    assert "paused" in kinds
    paused = next(s for s in resolution["segments"] if s["kind"] == "paused")
    assert paused["business_seconds"] == 1800
    assert clocks["onsite"]["state"] == "not_applicable"


def test_comments_public_and_internal(world, api, make_work_order):
    work_order = make_work_order()
    agent = api("vendor_agent")
    public = agent.post(f"{URL}{work_order.pk}/comments/", {"body": "On my way"}, format="json")
    internal = agent.post(
        f"{URL}{work_order.pk}/comments/", {"body": "Vendor-only note", "is_internal": True}, format="json"
    )
    assert public.status_code == internal.status_code == 201
    assert internal.json()["is_internal"] is True
    assert internal.json()["author"]["id"] == world.users["vendor_agent"].pk
    assert len(agent.get(f"{URL}{work_order.pk}/comments/").json()["results"]) == 2
    seen_by_requester = api("requester").get(f"{URL}{work_order.pk}/comments/").json()["results"]
    assert [c["body"] for c in seen_by_requester] == ["On my way"]
    requester_events = api("requester").get(f"{URL}{work_order.pk}/events/").json()["results"]
    assert [e["kind"] for e in requester_events] == ["created", "commented"]
    assert len(agent.get(f"{URL}{work_order.pk}/events/").json()["results"]) == 3


def test_requester_cannot_write_internal_comments(world, api, make_work_order):
    work_order = make_work_order()
    response = api("requester").post(
        f"{URL}{work_order.pk}/comments/", {"body": "psst", "is_internal": True}, format="json"
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 0
    response = api("requester").post(f"{URL}{work_order.pk}/comments/", {"body": "x", "author": 1}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["author"]
    assert api("requester").post(f"{URL}{work_order.pk}/comments/", {"body": "  "}, format="json").status_code == 400


def test_attachment_upload_list_and_download(world, api, make_work_order):
    work_order = make_work_order()
    client = api("requester")
    response = client.post(f"{URL}{work_order.pk}/attachments/", {"file": png("screen shot.png")}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["original_name"], body["content_type"], body["size"]) == ("screen shot.png", "image/png", len(PNG))
    assert body["download_url"].endswith(f"/api/v1/attachments/{body['id']}/download/")
    listed = client.get(f"{URL}{work_order.pk}/attachments/").json()["results"]
    assert [a["id"] for a in listed] == [body["id"]]
    assert client.get(f"/api/v1/attachments/{body['id']}/").json()["sha256"] == body["sha256"]

    download = api("vendor_agent").get(f"/api/v1/attachments/{body['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "screen shot.png" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]


def test_risky_or_disguised_files_are_refused(world, api, make_work_order):
    work_order = make_work_order()
    client = api("requester")
    html = SimpleUploadedFile("report.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post(f"{URL}{work_order.pk}/attachments/", {"file": html}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    assert client.post(f"{URL}{work_order.pk}/attachments/", {"file": exe}, format="multipart").status_code == 400
    assert Attachment.objects.count() == 0


def test_attachment_upload_rejects_unknown_fields(world, api, make_work_order):
    work_order = make_work_order()
    response = api("requester").post(
        f"{URL}{work_order.pk}/attachments/", {"file": png(), "uploaded_by": 1}, format="multipart"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["uploaded_by"]


def test_internal_attachments_are_hidden_from_requesters(world, api, make_work_order):
    work_order = make_work_order()
    agent = api("vendor_agent")
    response = agent.post(
        f"{URL}{work_order.pk}/attachments/", {"file": png(), "is_internal": "true"}, format="multipart"
    )
    assert response.status_code == 201, response.content
    attachment_id = response.json()["id"]
    requester = api("requester")
    assert requester.get(f"{URL}{work_order.pk}/attachments/").json()["results"] == []
    assert requester.get(f"/api/v1/attachments/{attachment_id}/").status_code == 404
    assert requester.get(f"/api/v1/attachments/{attachment_id}/download/").status_code == 404
    assert agent.get(f"/api/v1/attachments/{attachment_id}/download/").status_code == 200
