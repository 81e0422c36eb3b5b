"""Articles name the configuration items they are about (picked from the visible ones, shown through the gate), and
a problem's page offers "write an article from this problem", which opens the article's form prefilled."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oversight.configuration import services as cmdb
from oversight.configuration.models import CIClass
from oversight.core.errors import ApplicationError
from oversight.knowledge import services as knowledge
from oversight.knowledge.models import Article
from oversight.problems import services as problems


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def items(world):
    """A server of the desk vendor and a switch of the network vendor, and a foreign organisation's printer."""
    cmdb.ci_classes_seed(actor=world.users["client_admin"], organisation=world.org)
    cmdb.ci_classes_seed(actor=world.users["foreign_admin"], organisation=world.other_org)

    def make(org, actor, kind, name, vendor):
        ci_class = CIClass.objects.get(organisation=org, code=kind)
        return cmdb.ci_create(actor=actor, ci_class=ci_class, name=name, vendor=vendor)

    supervisor = world.users["client_supervisor"]
    return {
        "server": make(world.org, supervisor, "server", "his-app-01", world.vendor),
        "switch": make(world.org, supervisor, "network_device", "core-sw-1", world.other_vendor),
        "foreign": make(world.other_org, world.users["foreign_admin"], "printer", "far-printer", None),
    }


def test_an_article_links_configuration_items_of_its_organisation(world, article, items):
    made = article(configuration_items=[items["server"], items["switch"]])
    assert set(made.configuration_items.all()) == {items["server"], items["switch"]}
    made = knowledge.article_update(
        actor=world.users["client_supervisor"], article=made, configuration_items=[items["server"]]
    )
    assert list(made.configuration_items.all()) == [items["server"]]
    with translation.override("en"), pytest.raises(ApplicationError, match="configuration items of your own"):
        article(title="Foreign", configuration_items=[items["foreign"]])
    with pytest.raises(ApplicationError):
        knowledge.article_update(
            actor=world.users["client_supervisor"], article=made, configuration_items=[items["foreign"]]
        )


def test_the_article_page_and_api_show_only_the_items_the_reader_may_see(world, article, items):
    made = article(configuration_items=[items["server"], items["switch"]], publish=True, audience="vendor")
    page = reverse("knowledge:detail", args=[made.pk])
    shown = client_for(world.users["client_supervisor"]).get(page).content.decode()
    assert "his-app-01" in shown and "core-sw-1" in shown
    desk = client_for(world.users["vendor_agent"]).get(page).content.decode()
    assert "his-app-01" in desk and "core-sw-1" not in desk
    net = client_for(world.users["other_vendor_agent"]).get(f"/api/v1/articles/{made.pk}/").json()
    assert [ci["name"] for ci in net["configuration_items"]] == ["core-sw-1"]


def test_the_form_offers_only_visible_items_and_refuses_others(world, items):
    agent = client_for(world.users["vendor_agent"])
    form = agent.get(reverse("knowledge:create")).content.decode()
    assert "his-app-01" in form and "core-sw-1" not in form and "far-printer" not in form
    data = {"title": "Switch reboot", "body": "Reboot it.", "audience": "internal"}
    refused = agent.post(reverse("knowledge:create"), {**data, "configuration_items": [items["switch"].pk]})
    assert refused.status_code == 400 and not Article.objects.exists()
    made = agent.post(reverse("knowledge:create"), {**data, "configuration_items": [items["server"].pk]})
    assert made.status_code == 302
    assert list(Article.objects.get().configuration_items.all()) == [items["server"]]


def test_write_an_article_from_the_problem_page(world, items):
    supervisor = world.users["client_supervisor"]
    problem = problems.problem_create(
        actor=supervisor,
        title="HIS slow at logon",
        description="Logon takes a minute at 8:00",
        service=world.service,
        configuration_items=[items["server"]],
    )
    page = reverse("problems:detail", args=[problem.pk])
    assert 'data-testid="kb-from-problem"' in client_for(supervisor).get(page).content.decode()
    problem = problems.problem_transition(actor=supervisor, problem=problem, action="analyse")
    problem = problems.problem_update_analysis(
        actor=supervisor,
        problem=problem,
        root_cause="Missing index",
        workaround="Log on before 7:50",
        permanent_fix="Index added",
    )
    problem = problems.problem_transition(actor=supervisor, problem=problem, action="record_known_error")
    # The vendor's agent sees the problem (its vendor's incidents are not linked, it is not attributed): no button.
    assert client_for(world.users["vendor_agent"]).get(page).status_code == 404

    response = client_for(supervisor).post(reverse("knowledge:from_problem"), {"problem": problem.number})
    made = Article.objects.get(source_problem=problem)
    assert response.status_code == 302 and response["Location"] == reverse("knowledge:edit", args=[made.pk])
    for text in ("Logon takes a minute at 8:00", "Missing index", "Log on before 7:50", "Index added"):
        assert text in made.body
    assert list(made.known_errors.all()) == [problem.known_error]
    assert list(made.configuration_items.all()) == [items["server"]]
    form = client_for(supervisor).get(response["Location"]).content.decode()
    assert "Missing index" in form and f'value="{items["server"].pk}" selected' in form


def test_no_button_for_a_reader_who_cannot_write_or_an_empty_problem(world):
    supervisor = world.users["client_supervisor"]
    empty = problems.problem_create(actor=supervisor, title="Something odd", service=world.service)
    page = reverse("problems:detail", args=[empty.pk])
    assert 'data-testid="kb-from-problem"' not in client_for(supervisor).get(page).content.decode()
    problems.problem_update(actor=supervisor, problem=empty, description="Screens flicker")
    assert 'data-testid="kb-from-problem"' in client_for(supervisor).get(page).content.decode()
    assert 'data-testid="kb-from-problem"' not in client_for(world.users["auditor"]).get(page).content.decode()
