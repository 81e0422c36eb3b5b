"""The list pages of the apps described by permissions_rules_*.py (contracts, complaints, prize draws,
evaluations, settlement statements) hold exactly the rows the oracle lets the role see, their counts equal those
rows (computed from the fixture, not from a selector), and roles barred from a page get 403."""

from __future__ import annotations

import pytest

from tests.permissions.permissions_support import (
    MODEL_CLASSES,
    PAGE_GATES,
    SIGNED_IN_ROLES,
    LeakFinder,
    body_text,
    expected_ids,
    forbidden_words,
)

# (URL name, URL, query, model key, context key of the rows)
LIST_PAGES = (
    ("contracts:list", "/contracts/", {}, "contract", "page"),
    ("feedback:complaints", "/complaints/", {"page": "1"}, "complaint", "page"),  # any query: every status
    ("feedback:draws", "/draws/", {}, "prize_draw", "draws"),
    ("scorecards:list", "/scorecards/", {}, "evaluation_period", "page"),
    ("settlement:list", "/settlement/", {}, "statement", "page"),
)


def _rows(context, key) -> list:
    rows = context[key]
    return list(rows.items) if hasattr(rows, "items") else list(rows)


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_list_pages_of_the_new_apps_hold_exactly_what_the_role_may_see(matrix, clients, role):
    client, user = clients(role), matrix.users[role]
    leaks = LeakFinder(forbidden_words(matrix, role))
    problems = []
    for name, url, query, model, key in LIST_PAGES:
        response = client.get(url, query)
        for word in leaks.find(body_text(response)):
            problems.append(f"{url}: leaks {word}")
        gate = PAGE_GATES.get(name)
        if gate is not None and user.role not in gate:
            if response.status_code != 403:
                problems.append(f"{url}: status {response.status_code}, expected 403")
            continue
        if response.status_code != 200:
            problems.append(f"{url}: status {response.status_code}, expected 200")
            continue
        shown = {obj.pk for obj in _rows(response.context, key)}
        wanted = expected_ids(matrix, role, model)
        if shown != wanted:
            problems.append(f"{url}: rows {sorted(shown)}, the role may see {sorted(wanted)}")
        assert MODEL_CLASSES[model].objects.count() > len(wanted), f"{model}: the fixture hides nothing from anyone"
    assert not problems, f"{role}:\n" + "\n".join(problems)


def test_the_new_apps_have_objects_of_every_ownership_class(matrix, db):
    """Own vendor, other vendor of the organisation, other organisation: otherwise the matrix proves little."""
    world = matrix.world
    for model in ("contract", "complaint", "rating", "evaluation_period", "statement", "evaluation_dispute"):
        owners = set()
        for obj in matrix.objects[model].values():
            owner = obj if hasattr(obj, "vendor_id") else obj.period
            if owner.organisation_id != world.org.pk:
                owners.add("other organisation")
            else:
                owners.add("own vendor" if owner.vendor_id == world.vendor.pk else "other vendor")
        assert owners == {"own vendor", "other vendor", "other organisation"}, (model, owners)
