"""The loaded demo holds an improvement register with items at every state, raised from the demo's own sources,
and two items whose effect was measured on the demo history: one target met (closed), one not (in review)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from oversight.demo.scenario import DEMO_ORGANISATION_CODE
from oversight.improvement.choices import ItemStatus
from oversight.improvement.demo import load_demo_improvements
from oversight.improvement.models import EffectMeasurement, ImprovementItem
from oversight.tenancy.models import Organisation


def test_the_loaded_demo_has_items_at_every_state_and_two_measured_effects(db):
    out = StringIO()
    call_command("demo_load", work_orders=40, seed=5, stdout=out)
    assert "Improvement register: 10 items" in out.getvalue()
    organisation = Organisation.objects.get(code=DEMO_ORGANISATION_CODE)
    items = ImprovementItem.objects.filter(organisation=organisation)
    assert set(items.values_list("status", flat=True)) == set(ItemStatus.values)
    assert items.exclude(source_kind="manual").exclude(source_kind="survey").exists()
    measured = EffectMeasurement.objects.filter(item__organisation=organisation)
    assert measured.count() == 2
    met = measured.get(target_met=True)
    missed = measured.get(target_met=False)
    assert met.item.status == ItemStatus.CLOSED and met.item.benefit_amount is not None
    assert missed.item.status == ItemStatus.REVIEW
    assert met.after_value >= met.target and missed.after_value < missed.target
    assert met.days == missed.days == 60
    # Loading again changes nothing.
    assert len(load_demo_improvements(organisation)) == 10
    assert EffectMeasurement.objects.filter(item__organisation=organisation).count() == 2
