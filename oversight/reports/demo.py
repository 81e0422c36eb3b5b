"""Demo report schedules: every demo vendor's monthly report and one contract's quarterly report, by e-mail.

`load_demo_schedules(organisation, actor)` is idempotent (an organisation that has schedules keeps them) and
sends nothing: a schedule only delivers periods whose sending day comes after it was created, so the first
e-mails go out on the next sending day, from the hourly job. Load it after `contracts.demo.load_demo_contracts`.
"""

from __future__ import annotations

from oversight.catalog.choices import HolidaySource
from oversight.catalog.models import BusinessCalendar
from oversight.contracts.choices import ContractStatus
from oversight.contracts.models import Contract
from oversight.reports import services
from oversight.reports.models import ReportSchedule
from oversight.scorecards.choices import PeriodKind
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User, Vendor


def _first(organisation, role: str, **filters):
    return (
        User.objects.filter(organisation=organisation, role=role, is_active=True, **filters)
        .exclude(email="")
        .order_by("pk")
        .first()
    )


def load_demo_schedules(organisation, actor=None) -> list[ReportSchedule]:
    """Monthly schedules (3rd working day, China calendar) per vendor to the supervisor and the vendor's manager,
    and one quarterly contract schedule; none when the organisation already has schedules or no China calendar."""
    existing = list(ReportSchedule.objects.filter(organisation=organisation).order_by("pk"))
    calendar = (
        BusinessCalendar.objects.filter(organisation=organisation, holiday_source=HolidaySource.CHINA)
        .order_by("pk")
        .first()
    )
    supervisor = _first(organisation, Role.CLIENT_SUPERVISOR)
    if existing or calendar is None or supervisor is None:
        return existing
    actor = actor or supervisor
    schedules = []
    for vendor in Vendor.objects.filter(organisation=organisation).order_by("pk"):
        manager = _first(organisation, Role.VENDOR_MANAGER, vendor=vendor)
        recipients = [supervisor] + ([manager] if manager else [])
        schedules.append(
            services.schedule_create(
                actor=actor,
                organisation=organisation,
                vendor=vendor,
                kind=PeriodKind.MONTHLY,
                working_day=3,
                calendar=calendar,
                recipients=recipients,
            )
        )
    contract = Contract.objects.filter(organisation=organisation, status=ContractStatus.ACTIVE).order_by("pk").first()
    if contract is not None:
        english = User.objects.filter(organisation=organisation, role=Role.CLIENT_SUPERVISOR, language="en")
        recipients = [
            user
            for user in (
                supervisor,
                english.exclude(email="").order_by("pk").first(),
                _first(organisation, Role.EXECUTIVE),
                _first(organisation, Role.VENDOR_MANAGER, vendor=contract.vendor),
            )
            if user is not None
        ]
        schedules.append(
            services.schedule_create(
                actor=actor,
                organisation=organisation,
                vendor=contract.vendor,
                contract=contract,
                kind=PeriodKind.QUARTERLY,
                working_day=3,
                calendar=calendar,
                recipients=list(dict.fromkeys(recipients)),
            )
        )
    return schedules
