"""Saved views: a user saves a list's filters and sort order, opens, renames and deletes only their own."""

from __future__ import annotations

import pytest
from django.test import Client

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.tenancy import selectors, services
from oversight.tenancy.models import SavedView


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_save_open_rename_delete_through_the_pages(world):
    supervisor = world.users["client_supervisor"]
    client = signed_in(supervisor)
    board = client.get("/board/?status=new&priority=P1&sort=-number&page=3").content.decode()
    assert 'name="list_key" value="tickets:board"' in board
    response = client.post(
        "/views/save/",
        {"list_key": "tickets:board", "name": "  Urgent  new ", "query": "status=new&priority=P1&sort=-number&page=3"},
    )
    saved = SavedView.objects.get(owner=supervisor)
    assert saved.name == "Urgent new" and saved.query == "status=new&priority=P1&sort=-number"
    assert response.status_code == 302 and response["Location"] == "/board/?status=new&priority=P1&sort=-number"
    board = client.get("/board/").content.decode()
    assert '<a class="tag" href="/board/?status=new&amp;priority=P1&amp;sort=-number">Urgent new</a>' in board
    assert client.post(f"/views/{saved.pk}/rename/", {"name": "P1 queue"}).status_code == 302
    saved.refresh_from_db()
    assert saved.name == "P1 queue"
    assert "P1 queue" in client.get("/views/").content.decode()
    assert client.post(f"/views/{saved.pk}/delete/").status_code == 302
    assert not SavedView.objects.filter(pk=saved.pk).exists()
    actions = list(AuditEntry.objects.filter(object_type="tenancy.savedview").values_list("action", flat=True))
    assert sorted(actions) == ["tenancy.saved_view.created", "tenancy.saved_view.deleted", "tenancy.saved_view.renamed"]


def test_every_list_offers_saving_its_view(world):
    client = signed_in(world.users["client_admin"])
    for url, key in (
        ("/contracts/", "contracts:list"),
        ("/scorecards/", "scorecards:list"),
        ("/board/", "tickets:board"),
    ):
        assert f'name="list_key" value="{key}"' in client.get(url).content.decode(), url
    agent = signed_in(world.users["vendor_agent"])
    assert 'name="list_key" value="tickets:workbench"' in agent.get("/workbench/").content.decode()


def test_a_user_sees_and_changes_only_their_own_views(world):
    mine = services.saved_view_create(
        actor=world.users["client_supervisor"], list_key="tickets:board", name="Mine", query="status=new"
    )
    other = world.users["client_admin"]
    assert list(selectors.saved_view_list(user=other)) == []
    client = signed_in(other)
    assert "Mine" not in client.get("/views/").content.decode()
    assert "Mine" not in client.get("/board/").content.decode()
    assert client.post(f"/views/{mine.pk}/rename/", {"name": "Stolen"}).status_code == 404
    assert client.post(f"/views/{mine.pk}/delete/").status_code == 404
    assert client.post("/views/99999999999999999999999/delete/").status_code == 404
    mine.refresh_from_db()
    assert mine.name == "Mine"
    with pytest.raises(NotAllowed):
        services.saved_view_rename(actor=other, saved_view=mine, name="Stolen")
    with pytest.raises(NotAllowed):
        services.saved_view_delete(actor=other, saved_view=mine)


def test_read_only_roles_keep_views_of_their_own(world):
    executive = world.users["executive"]
    client = signed_in(executive)
    client.post("/views/save/", {"list_key": "tickets:board", "name": "Exec", "query": "status=open"})
    assert SavedView.objects.filter(owner=executive, name="Exec").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"list_key": "tickets:board", "name": "", "query": ""}, "Give the view a name."),
        ({"list_key": "tickets:board", "name": "x" * 81, "query": ""}, "The name is too long"),
        ({"list_key": "../../etc", "name": "Bad", "query": ""}, "This list cannot be saved."),
        ({"list_key": "tickets:board", "name": "Long", "query": "q=" + "x" * 3000}, "too long to save"),
    ],
)
def test_bad_input_is_a_clear_message_never_a_500(world, data, message):
    client = signed_in(world.users["client_supervisor"])
    response = client.post("/views/save/", {**data, "next": "/board/"}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SavedView.objects.exists()


def test_a_name_is_unique_per_list_and_the_number_is_bounded(world, monkeypatch):
    user = world.users["client_supervisor"]
    services.saved_view_create(actor=user, list_key="tickets:board", name="Same", query="")
    with pytest.raises(ApplicationError, match="already have a view"):
        services.saved_view_create(actor=user, list_key="tickets:board", name="Same", query="status=new")
    services.saved_view_create(actor=user, list_key="contracts:list", name="Same", query="")  # another list: fine
    monkeypatch.setattr(services, "MAX_SAVED_VIEWS_PER_LIST", 2)
    services.saved_view_create(actor=user, list_key="tickets:board", name="Second", query="")
    with pytest.raises(ApplicationError, match="delete one first"):
        services.saved_view_create(actor=user, list_key="tickets:board", name="Third", query="")


def test_anonymous_cannot_save(db, client):
    response = client.post("/views/save/", {"list_key": "tickets:board", "name": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not SavedView.objects.exists()


def test_saved_views_page_in_chinese(world):
    user = world.users["client_supervisor"]
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    services.saved_view_create(actor=user, list_key="tickets:board", name="我的视图", query="")
    html = signed_in(user).get("/views/").content.decode()
    assert "已保存的视图" in html and "我的视图" in html
    assert "Saved views" not in html and "Rename" not in html
