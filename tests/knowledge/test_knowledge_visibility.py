"""Who reads which article: the gate plus the audience rule, per role."""

from __future__ import annotations

import pytest
from django.http import Http404

from oversight.knowledge import selectors
from oversight.knowledge import services as knowledge


@pytest.fixture
def shelf(world, article):
    """Published internal / vendor / requester articles, a draft by the client, a draft by V1's agent."""
    article(title="internal", publish=True, audience="internal")
    article(title="vendor", publish=True, audience="vendor")
    article(title="requesters", publish=True, audience="requesters")
    article(title="client draft", audience="requesters")
    article(title="agent draft", actor=world.users["vendor_agent"], audience="requesters")


ALL = {"internal", "vendor", "requesters", "client draft", "agent draft"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("client_admin", ALL),
        ("client_supervisor", ALL),
        ("executive", ALL),
        ("auditor", ALL),
        ("vendor_manager", {"vendor", "requesters"}),
        ("vendor_agent", {"vendor", "requesters", "agent draft"}),
        ("other_vendor_agent", {"vendor", "requesters"}),
        ("requester", {"requesters"}),
        ("foreign_admin", set()),
        ("foreign_requester", set()),
    ],
)
def test_article_visibility_per_role(world, shelf, role, expected):
    user = world.users[role]
    assert set(selectors.article_list(user=user).values_list("title", flat=True)) == expected
    for number, title in selectors.article_list(user=world.users["client_admin"]).values_list("number", "title"):
        if title not in expected:
            with pytest.raises(Http404):
                selectors.article_get(user=user, number=number)
    published = set(selectors.article_published(user=user).values_list("title", flat=True))
    assert published == expected - {"client draft", "agent draft"}


def test_retired_articles_leave_vendors_and_requesters(world, article):
    made = article(publish=True, audience="requesters")
    knowledge.article_transition(actor=world.users["client_admin"], article=made, action="retire")
    assert not selectors.article_list(user=world.users["requester"]).exists()
    assert not selectors.article_list(user=world.users["vendor_agent"]).exists()
    assert selectors.article_list(user=world.users["executive"]).count() == 1


def test_deflections_are_seen_by_the_client_and_their_requester(world, article):
    made = article(publish=True, audience="requesters")
    knowledge.deflection_record(actor=world.users["requester"], article=made, title="x")
    assert selectors.deflection_list(user=world.users["client_supervisor"]).count() == 1
    assert selectors.deflection_list(user=world.users["requester"]).count() == 1
    assert selectors.deflection_list(user=world.users["requester_2"]).count() == 0
    assert selectors.deflection_list(user=world.users["vendor_manager"]).count() == 0
