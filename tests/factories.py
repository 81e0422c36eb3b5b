"""factory_boy factories for tests; work orders are made through the real service so timelines are real."""

from __future__ import annotations

import factory

from oversight.catalog import services as catalog_services
from oversight.catalog.choices import HolidaySource, SLAMetric
from oversight.catalog.models import BusinessCalendar, Offering, Service, ServiceCategory, SLAPolicy
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Organisation, Site, Team, User, Vendor

ALL_DAY = {d: [(0, 1440)] for d in range(7)}


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Hospital {n}")
    code = factory.Sequence(lambda n: f"org{n}")
    work_order_prefix = factory.Sequence(lambda n: f"T{n}-")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Department {n}")
    code = factory.Sequence(lambda n: f"dept{n}")


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Vendor {n}")
    code = factory.Sequence(lambda n: f"vendor{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.REQUESTER
    language = "en"
    time_zone = "Asia/Shanghai"
    password = factory.PostGenerationMethodCall("set_password", "pw-Oversight-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def calendar_24x7(organisation, name="24x7", tz="UTC") -> BusinessCalendar:
    """A round-the-clock calendar (no holidays) for tests that want wall-clock arithmetic."""
    return catalog_services.calendar_create(
        actor=None,
        organisation=organisation,
        name=name,
        time_zone=tz,
        holiday_source=HolidaySource.NONE,
        weekly=ALL_DAY,
    )


def policy_with_targets(organisation, calendar, *, minutes=None, code="std", warning_percent=75) -> SLAPolicy:
    """An SLA policy with one version: response/onsite/resolution targets for P1–P4 in minutes."""
    minutes = minutes or {
        "P1": (15, 60, 240),
        "P2": (30, 120, 480),
        "P3": (60, 240, 960),
        "P4": (120, 480, 2400),
    }
    policy = catalog_services.sla_policy_create(actor=None, organisation=organisation, name=f"Policy {code}", code=code)
    targets = []
    for priority, (response, onsite, resolution) in minutes.items():
        for metric, value in (
            (SLAMetric.RESPONSE, response),
            (SLAMetric.ONSITE, onsite),
            (SLAMetric.RESOLUTION, resolution),
        ):
            targets.append({"priority": priority, "metric": metric, "target_minutes": value, "calendar": calendar})
    catalog_services.sla_policy_version_create(
        actor=None, policy=policy, targets=targets, warning_percent=warning_percent
    )
    return policy


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    code = factory.Sequence(lambda n: f"cat{n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"svc{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    category = factory.LazyAttribute(lambda o: ServiceCategoryFactory(organisation=o.organisation))
    vendor = factory.LazyAttribute(lambda o: VendorFactory(organisation=o.organisation))
    sla_policy = factory.LazyAttribute(
        lambda o: policy_with_targets(
            o.organisation, calendar_24x7(o.organisation, name=f"cal-{o.code}"), code=f"p-{o.code}"
        )
    )


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Offering {n}")
    requires_onsite = False


def signed_in(user):
    """A Django test client signed in as `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
