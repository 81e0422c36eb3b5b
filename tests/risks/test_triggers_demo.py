"""The demo KRIs: the MISSION triggers for each vendor and the network vendor's certificate cluster, which is red,
raised one risk event, raised the linked risk's current probability and opened its contingency plan; once."""

from __future__ import annotations

from oversight.risks.choices_triggers import KriRule, KriStatus
from oversight.risks.demo_triggers import CERTIFICATE_RISK, load_demo_triggers
from oversight.risks.models import ContingencyAction, KeyRiskIndicator, KriReading, RiskEvent, RiskRating
from oversight.tenancy.models import StaffMember


def test_the_demo_defines_the_triggers_and_one_red_raised_its_event_once(world):
    for n in range(3):
        StaffMember.objects.create(vendor=world.other_vendor, name=f"工程师{n}", position="onsite_engineer")
    made = load_demo_triggers(world.org)
    rules = sorted(k.rule or k.source for k in made)
    # Desk Co and Net Co: commitments, cost, SLA compliance, staffing (no key vendor in the test world: no
    # daily rule), and Net Co's certificate cluster.
    assert rules.count(KriRule.COMMITMENTS_MISSED) == 2 and rules.count(KriRule.CERTIFICATE_CLUSTER) == 1
    assert rules.count("resolution_timeliness") == 2
    cluster = KeyRiskIndicator.objects.get(rule=KriRule.CERTIFICATE_CLUSTER)
    reading = KriReading.objects.get(kri=cluster)
    assert (reading.value, reading.status) == (3, KriStatus.RED)
    event = RiskEvent.objects.get()
    assert event.kri == cluster and event.applied_at is not None
    risk = event.effects.get().risk
    assert risk.title == CERTIFICATE_RISK
    raised = RiskRating.objects.get(risk=risk, source_type="risks.riskevent")
    assert (raised.probability_level, raised.impact_level) == (3, 2)
    assert ContingencyAction.objects.filter(risk=risk, trigger_key=f"risk-event:{event.pk}").count() == 2
    assert load_demo_triggers(world.org) == []
    assert RiskEvent.objects.count() == 1


def test_the_loaded_demo_has_a_red_kri_with_its_event_and_a_forecast_per_vendor(db):
    from io import StringIO

    from django.core.management import call_command

    from oversight.demo.scenario import DEMO_ORGANISATION_CODE
    from oversight.risks import vendor_states
    from oversight.risks.models import Risk
    from oversight.tenancy.models import Organisation, Vendor

    out = StringIO()
    call_command("demo_load", work_orders=40, seed=5, stdout=out)
    assert "Key risk indicators:" in out.getvalue()
    organisation = Organisation.objects.get(code=DEMO_ORGANISATION_CODE)
    # The register's demo risk on certificates is the one the red KRI raised (not a second copy).
    assert Risk.objects.filter(organisation=organisation, title=CERTIFICATE_RISK).count() == 1
    event = RiskEvent.objects.get(organisation=organisation, kri__rule=KriRule.CERTIFICATE_CLUSTER)
    assert event.effects.get().risk.title == CERTIFICATE_RISK
    assert ContingencyAction.objects.filter(trigger_key=f"risk-event:{event.pk}").exists()
    vendors = Vendor.objects.filter(organisation=organisation)
    model = vendor_states.vendor_state_model(organisation=organisation, vendors=vendors)
    assert len(model.forecasts) == vendors.count()
    assert all(f.current is not None and len(f.reach) == 3 for f in model.forecasts)
