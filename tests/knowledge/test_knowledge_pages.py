"""The knowledge pages, the suggestions on the work-order form, "this solved my problem" and the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from oversight.knowledge.models import Deflection
from oversight.tickets.models import WorkOrder


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def printer(world, article):
    return article(
        title="病房打印机卡纸怎么办",
        title_en="Ward printer paper jam",
        body="打开后盖。\n取出卡纸。\n\n<script>alert(1)</script>",
        publish=True,
        audience="requesters",
    )


def test_list_search_and_detail_render_safely(world, printer, article):
    article(title="内部草稿", body="x")
    requester = client_for(world.users["requester"])
    page = requester.get(reverse("knowledge:list"))
    assert (
        page.status_code == 200 and printer.number in page.content.decode() and "内部草稿" not in page.content.decode()
    )
    found = requester.get(reverse("knowledge:list"), {"q": "打印机卡了"}).content.decode()
    assert f'data-number="{printer.number}"' in found
    detail = requester.get(printer.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in detail and "&lt;script&gt;alert(1)&lt;/script&gt;" in detail
    assert "打开后盖。<br>取出卡纸。" in detail
    assert reverse("knowledge:deflect", args=[printer.pk]) in detail
    # Authors and approvers are named to the client's staff only.
    assert world.users["client_supervisor"].username not in detail
    assert (
        world.users["client_supervisor"].username
        in client_for(world.users["auditor"]).get(printer.get_absolute_url()).content.decode()
    )
    # Another organisation's reader: 404, not 403.
    assert client_for(world.users["foreign_admin"]).get(printer.get_absolute_url()).status_code == 404


def test_write_edit_review_and_restore_through_the_pages(world):
    agent = client_for(world.users["vendor_agent"])
    response = agent.post(
        reverse("knowledge:create"),
        {"title": "扫码枪没反应", "body": "重新插拔。", "audience": "requesters", "services": [world.service.pk]},
    )
    assert response.status_code == 302
    number = int(response["Location"].rstrip("/").split("/")[-1])
    edit = reverse("knowledge:edit", args=[number])
    assert (
        agent.post(
            edit, {"title": "扫码枪没反应", "body": "重新插拔 USB。", "audience": "requesters", "version": 1}
        ).status_code
        == 302
    )
    stale = agent.post(edit, {"title": "扫码枪没反应", "body": "再改", "audience": "requesters", "version": 1})
    assert stale.status_code == 400
    versions = agent.get(reverse("knowledge:versions", args=[number]))
    body = versions.content.decode()
    assert 'data-version="2"' in body and "重新插拔 USB。" in body and "diff-added" in body
    assert agent.post(reverse("knowledge:restore", args=[number, 1]), {"version": 2}).status_code == 302
    transition = reverse("knowledge:transition", args=[number])
    assert agent.post(transition, {"action": "submit"}).status_code == 302
    assert agent.post(transition, {"action": "publish"}).status_code == 403
    supervisor = client_for(world.users["client_supervisor"])
    assert supervisor.post(transition, {"action": "publish"}).status_code == 302
    from oversight.knowledge.models import Article

    made = Article.objects.get(pk=number)
    assert (made.status, made.body, made.versions.count()) == ("published", "重新插拔。", 3)
    assert client_for(world.users["executive"]).get(reverse("knowledge:create")).status_code == 403
    assert client_for(world.users["requester"]).get(reverse("knowledge:create")).status_code == 403


def test_suggestions_on_the_portal_form_and_deflection(world, printer):
    requester = client_for(world.users["requester"])
    form = requester.get(reverse("tickets:create")).content.decode()
    assert 'id="kb-suggestions"' in form and reverse("knowledge:suggest") in form
    hits = requester.get(
        reverse("knowledge:suggest"), {"title": "打印机卡纸", "description": "", "service": world.service.pk}
    )
    assert hits.status_code == 200 and printer.number in hits.content.decode()
    assert 'formaction="' + reverse("knowledge:deflect", args=[printer.pk]) in hits.content.decode()
    assert requester.get(reverse("knowledge:suggest"), {"title": ""}).content.decode().strip() == ""
    before = WorkOrder.objects.count()
    done = requester.post(
        reverse("knowledge:deflect", args=[printer.pk]),
        {"title": "打印机卡纸", "description": "护士站", "service": world.service.pk, "idempotency_key": "x"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("tickets:portal")
    deflection = Deflection.objects.get()
    assert (deflection.typed_title, deflection.typed_description, deflection.service) == (
        "打印机卡纸",
        "护士站",
        world.service,
    )
    assert WorkOrder.objects.count() == before
    # Staff see the suggestions without the button; an agent cannot deflect.
    staff = client_for(world.users["vendor_agent"]).get(reverse("knowledge:suggest"), {"title": "打印机卡纸"})
    assert printer.number in staff.content.decode() and "formaction" not in staff.content.decode()
    assert (
        client_for(world.users["vendor_agent"]).post(reverse("knowledge:deflect", args=[printer.pk])).status_code == 403
    )


def test_write_from_a_resolved_work_order_page(world, incident_resolved):
    agent = client_for(world.users["vendor_agent"])
    page = agent.get(reverse("tickets:detail", args=[incident_resolved.number])).content.decode()
    assert reverse("knowledge:from_work_order", args=[incident_resolved.pk]) in page
    response = agent.post(reverse("knowledge:from_work_order", args=[incident_resolved.pk]))
    assert response.status_code == 302 and "/edit/" in response["Location"]
    assert (
        client_for(world.users["other_vendor_agent"])
        .post(reverse("knowledge:from_work_order", args=[incident_resolved.pk]))
        .status_code
        == 404
    )


def test_api_create_review_versions_restore_and_search(world, printer):
    agent = client_for(world.users["vendor_agent"])
    created = agent.post(
        "/api/v1/articles/",
        {"title": "VPN 连不上", "body": "重装客户端。", "audience": "vendor", "services": [world.service.pk]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk, etag = created.json()["id"], created["ETag"]
    changed = agent.patch(
        f"/api/v1/articles/{pk}/",
        {"body": "重装客户端并导入证书。"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = agent.patch(f"/api/v1/articles/{pk}/", {"body": "x"}, content_type="application/json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert [v["number"] for v in agent.get(f"/api/v1/articles/{pk}/versions/").json()] == [2, 1]
    restored = agent.post(f"/api/v1/articles/{pk}/restore/", {"version": 1}, content_type="application/json")
    assert restored.status_code == 200 and restored.json()["body"] == "重装客户端。"
    assert (
        agent.post(f"/api/v1/articles/{pk}/", {"status": "published"}, content_type="application/json").status_code
        == 405
    )
    submitted = agent.post(f"/api/v1/articles/{pk}/transition/", {"action": "submit"}, content_type="application/json")
    assert submitted.json()["status"] == "review"
    refused = agent.post(f"/api/v1/articles/{pk}/transition/", {"action": "publish"}, content_type="application/json")
    assert refused.status_code == 403
    mass = agent.post(
        "/api/v1/articles/", {"title": "t", "body": "b", "status": "published"}, content_type="application/json"
    )
    assert mass.status_code == 400
    hits = client_for(world.users["requester"]).get("/api/v1/articles/search/", {"q": "printer jam"}).json()
    assert [h["article"]["number"] for h in hits] == [printer.number] and hits[0]["score"] > 0
    assert client_for(world.users["requester"]).get(f"/api/v1/articles/{pk}/").status_code == 404


def test_list_and_search_query_counts_do_not_grow_with_rows(world, article):
    from tests.query_counts import assert_flat, count_queries

    client = client_for(world.users["requester"])
    article(title="打印机卡纸一", body="打印机", publish=True, audience="requesters")

    def count(url, query) -> int:
        with count_queries() as queries:
            assert client.get(url, query).status_code == 200
        return len(queries)

    few = (count("/api/v1/articles/", {}), count("/api/v1/articles/search/", {"q": "打印机"}))
    for i in range(4):
        article(title=f"打印机卡纸{i}", body="打印机", publish=True, audience="requesters")
    many = (count("/api/v1/articles/", {}), count("/api/v1/articles/search/", {"q": "打印机"}))
    assert_flat("knowledge.api.articles", few[0], many[0])
    assert_flat("knowledge.search", few[1], many[1])
