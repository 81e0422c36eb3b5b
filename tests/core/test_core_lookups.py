"""``__in_ids`` selects exactly what ``__in`` selects, on keys and foreign keys, whatever the database."""

from __future__ import annotations

import pytest

from oversight.tenancy.models import Organisation, Site


@pytest.fixture
def sites(db):
    organisation = Organisation.objects.create(name="Lookups", code="lookups")
    other = Organisation.objects.create(name="Other", code="other")
    owners = [organisation] * 4 + [other]
    return [Site.objects.create(organisation=org, name=f"Site {n}", code=f"s{n}") for n, org in enumerate(owners)]


def test_in_ids_on_a_primary_key_and_a_foreign_key_equals_in(sites):
    some = [sites[0].pk, sites[2].pk, sites[4].pk, 10**12]
    assert (
        set(Site.objects.filter(pk__in_ids=some))
        == set(Site.objects.filter(pk__in=some))
        == {
            sites[0],
            sites[2],
            sites[4],
        }
    )
    organisation_ids = [sites[4].organisation_id]
    assert list(Site.objects.filter(organisation_id__in_ids=organisation_ids)) == [sites[4]]
    assert list(Site.objects.filter(organisation__in_ids=organisation_ids)) == [sites[4]]


def test_an_empty_list_matches_nothing_and_only_integers_are_accepted(sites):
    assert not Site.objects.filter(pk__in_ids=[]).exists()
    assert Site.objects.exclude(pk__in_ids=[]).count() == len(sites)
    with pytest.raises((TypeError, ValueError)):
        list(Site.objects.filter(pk__in_ids=["1; drop table x"]))
