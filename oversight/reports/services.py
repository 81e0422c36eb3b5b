"""Writes of the report delivery: schedules (create, change, switch off and on) and the sending of reports.

Schedules
---------
A schedule belongs to one vendor of the organisation (optionally one of its contracts: then the report is
that contract's), sends monthly or quarterly on the N-th working day (1–10) of the client's business calendar,
and has recipients: active people of the organisation with an e-mail address, on the client side or managers
of the schedule's own vendor. Client administrators and supervisors manage schedules; every change is audited.

Sending
-------
``deliveries_send_due`` (the hourly job) finds, for every active schedule, the period whose report is owed
(``schedule.due_report``) and delivers it once: the delivery row, unique per schedule and period, is inserted
in its own transaction before anything is sent, so a second or concurrent run finds it and sends nothing.
Each recipient's outcome row is claimed the same way before their e-mail goes out, so a delivery resumed
after a crash never e-mails anyone twice (the row of an e-mail cut off by the crash says "interrupted").
Sending is therefore deliberately not one transaction: an e-mail cannot be rolled back.

Each recipient's report is built as that recipient sees it (``service_report(user=recipient)``), in their
language and time zone: a recipient who lost access to the vendor is skipped with the reason, so a vendor only
ever receives its own report. ``delivery_send`` is the "send now" button: it sends a chosen ended period once;
a period already sent is refused with a clear message (each period is sent once; recipients open the report
on its web page at any time), and a failed delivery is retried for the failed recipients only.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.audit.transitions import transition
from oversight.businesstime.engine import CalendarDataMissing
from oversight.catalog.calendars import calendar_spec
from oversight.core import clock
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from oversight.core.zones import local_date
from oversight.reports import schedule as timing
from oversight.reports.choices import (
    DELIVERY_MACHINE,
    DeliveryAction,
    DeliveryStatus,
    RecipientOutcome,
    SkipReason,
)
from oversight.reports.documents import (
    PDF_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    report_filename,
    report_pdf,
    report_xlsx,
)
from oversight.reports.events import REPORT_DELIVERY_FINISHED
from oversight.reports.models import DeliveryRecipient, ReportDelivery, ReportSchedule
from oversight.reports.periods import ReportPeriod, period_containing, period_from_key, previous_period
from oversight.reports.permissions import may_manage_schedules
from oversight.reports.selectors import service_report
from oversight.scorecards.choices import PeriodKind
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import MANAGEMENT_ROLES

logger = logging.getLogger(__name__)

# A delivery still "sending" this long after it started was cut off (a crash): the next run resumes it.
STALE_AFTER = dt.timedelta(minutes=30)
SNAPSHOT_FIELDS = ["vendor", "contract", "kind", "working_day", "calendar", "is_active"]


# --------------------------------------------------------------------------------------------------
# schedules
# --------------------------------------------------------------------------------------------------


def _require_manager(actor, organisation) -> None:
    if not may_manage_schedules(actor, organisation):
        raise NotAllowed(_("Only the organisation's administrators and supervisors manage report schedules."))


def _invalid(message, field: str) -> ApplicationError:
    return ApplicationError(message, code="invalid", extra={"field": field})


def recipient_refusal(user, *, organisation, vendor) -> str | None:
    """Why a person may not receive a vendor's reports (None when they may), as a SkipReason value."""
    if user.organisation_id != organisation.pk or user.role not in MANAGEMENT_ROLES:
        return SkipReason.NOT_A_RECIPIENT
    if user.role == Role.VENDOR_MANAGER and user.vendor_id != vendor.pk:
        return SkipReason.OTHER_VENDOR
    if not user.is_active:
        return SkipReason.INACTIVE
    if not user.email:
        return SkipReason.NO_EMAIL
    return None


def _validate(*, organisation, vendor, contract, kind, working_day, calendar, recipients) -> None:
    """Every rule of a schedule, each refused with a message that says what to change."""
    if vendor.organisation_id != organisation.pk:
        raise _invalid(_("Choose a vendor of this organisation."), "vendor")
    if contract is not None and (contract.organisation_id != organisation.pk or contract.vendor_id != vendor.pk):
        raise _invalid(_("The contract must be one of the chosen vendor's contracts."), "contract")
    if kind not in PeriodKind.values:
        raise _invalid(_("Choose monthly or quarterly."), "kind")
    if not isinstance(working_day, int) or not timing.MIN_WORKING_DAY <= working_day <= timing.MAX_WORKING_DAY:
        raise _invalid(
            _("The working day must be between %(low)s and %(high)s.")
            % {"low": timing.MIN_WORKING_DAY, "high": timing.MAX_WORKING_DAY},
            "working_day",
        )
    if calendar.organisation_id != organisation.pk:
        raise _invalid(_("Choose a business calendar of this organisation."), "calendar")
    if not recipients:
        raise _invalid(_("Choose at least one recipient."), "recipients")
    messages = {
        SkipReason.NOT_A_RECIPIENT: _(
            "%(name)s may not receive reports: only the client side and the vendor's managers do."
        ),
        SkipReason.OTHER_VENDOR: _("%(name)s is not a manager of this vendor: a vendor receives only its own reports."),
        SkipReason.INACTIVE: _("%(name)s is switched off."),
        SkipReason.NO_EMAIL: _("%(name)s has no e-mail address."),
    }
    problems = []
    for user in recipients:
        refusal = recipient_refusal(user, organisation=organisation, vendor=vendor)
        if refusal is not None:
            problems.append(str(messages[refusal] % {"name": user}))
    if problems:
        raise _invalid(" ".join(problems), "recipients")


def _snapshot(schedule: ReportSchedule) -> dict:
    data = model_snapshot(schedule, fields=SNAPSHOT_FIELDS)
    data["recipients"] = sorted(schedule.recipients.values_list("pk", flat=True))
    return data


@transaction.atomic
def schedule_create(
    *,
    actor,
    organisation,
    vendor,
    contract=None,
    kind: str = PeriodKind.MONTHLY,
    working_day: int = 3,
    calendar,
    recipients,
) -> ReportSchedule:
    """Create an active schedule; it first sends the period whose sending day comes on or after today."""
    _require_manager(actor, organisation)
    recipients = list(recipients)
    _validate(
        organisation=organisation,
        vendor=vendor,
        contract=contract,
        kind=kind,
        working_day=working_day,
        calendar=calendar,
        recipients=recipients,
    )
    now = clock.now()
    by = actor if getattr(actor, "pk", None) else None
    schedule = ReportSchedule.objects.create(
        organisation=organisation,
        vendor=vendor,
        contract=contract,
        kind=kind,
        working_day=working_day,
        calendar=calendar,
        is_active=True,
        active_since=now,
        created_at=now,
        created_by=by,
        updated_at=now,
        updated_by=by,
    )
    schedule.recipients.set(recipients)
    audit_record(actor=actor, action="reports.reportschedule.created", obj=schedule, after=_snapshot(schedule))
    return schedule


def _lock(schedule: ReportSchedule) -> ReportSchedule:
    return ReportSchedule.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=schedule.pk)


@transaction.atomic
def schedule_update(
    *, actor, schedule: ReportSchedule, contract, kind: str, working_day: int, calendar, recipients
) -> ReportSchedule:
    """Change what a schedule sends, when and to whom (its vendor stays: a new vendor is a new schedule)."""
    _require_manager(actor, schedule.organisation)
    schedule = _lock(schedule)
    recipients = list(recipients)
    _validate(
        organisation=schedule.organisation,
        vendor=schedule.vendor,
        contract=contract,
        kind=kind,
        working_day=working_day,
        calendar=calendar,
        recipients=recipients,
    )
    before = _snapshot(schedule)
    schedule.contract = contract
    schedule.kind = kind
    schedule.working_day = working_day
    schedule.calendar = calendar
    schedule.updated_at = clock.now()
    schedule.updated_by = actor if getattr(actor, "pk", None) else None
    schedule.save(update_fields=["contract", "kind", "working_day", "calendar", "updated_at", "updated_by"])
    schedule.recipients.set(recipients)
    before_diff, after_diff = diff_snapshots(before, _snapshot(schedule))
    if after_diff:
        audit_record(
            actor=actor, action="reports.reportschedule.changed", obj=schedule, before=before_diff, after=after_diff
        )
    return schedule


def _set_active(*, actor, schedule: ReportSchedule, active: bool) -> ReportSchedule:
    _require_manager(actor, schedule.organisation)
    schedule = _lock(schedule)
    if schedule.is_active == active:
        return schedule  # a repeated click changes nothing
    now = clock.now()
    schedule.is_active = active
    schedule.updated_at = now
    schedule.updated_by = actor if getattr(actor, "pk", None) else None
    fields = ["is_active", "updated_at", "updated_by"]
    if active:
        # Periods owed while it was off are not sent on their own (use "send now" for them).
        schedule.active_since = now
        fields.append("active_since")
    schedule.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="reports.reportschedule." + ("activated" if active else "deactivated"),
        obj=schedule,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return schedule


@transaction.atomic
def schedule_deactivate(*, actor, schedule: ReportSchedule) -> ReportSchedule:
    """Switch a schedule off: nothing more is sent; its deliveries stay for the record."""
    return _set_active(actor=actor, schedule=schedule, active=False)


@transaction.atomic
def schedule_activate(*, actor, schedule: ReportSchedule) -> ReportSchedule:
    """Switch a schedule back on, from the next sending day on."""
    return _set_active(actor=actor, schedule=schedule, active=True)


# --------------------------------------------------------------------------------------------------
# when
# --------------------------------------------------------------------------------------------------


def schedule_due_period(schedule: ReportSchedule, now: dt.datetime) -> ReportPeriod | None:
    """The period whose report the schedule owes at ``now`` (raises CalendarDataMissing / NoWorkingDay)."""
    due = timing.due_report(
        calendar_spec(schedule.calendar),
        schedule.kind,
        local_date(now, schedule.calendar),
        schedule.working_day,
        not_before=local_date(schedule.active_since, schedule.calendar),
    )
    if due is None:
        return None
    return period_containing(schedule.kind, due.first, schedule.organisation)


def schedule_next_send_day(schedule: ReportSchedule) -> tuple[dt.date | None, str]:
    """The next sending day in the calendar's zone, or None and the reason it cannot be worked out."""
    try:
        day = timing.next_send_day(
            calendar_spec(schedule.calendar),
            schedule.kind,
            local_date(clock.now(), schedule.calendar),
            schedule.working_day,
        )
    except (CalendarDataMissing, timing.NoWorkingDay) as exc:
        return None, _pending_text(exc)
    return day, ""


def period_to_send(schedule: ReportSchedule, key: str = "") -> ReportPeriod:
    """The period named by ``key`` (2026-10, 2026-Q3), or the last ended period of the schedule's kind."""
    if key:
        return period_from_key(key, schedule.organisation)
    today = local_date(clock.now(), schedule.calendar)
    return previous_period(period_containing(schedule.kind, today, schedule.organisation), schedule.organisation)


def _pending_text(exc: Exception) -> str:
    if isinstance(exc, CalendarDataMissing):
        return gettext(
            "The calendar has no holiday data for %(year)s: enter that year's holidays and adjusted working days "
            "(or confirm the year) so that the sending day can be worked out."
        ) % {"year": exc.year}
    return gettext("The calendar has no working day: give it working hours.")


# --------------------------------------------------------------------------------------------------
# sending
# --------------------------------------------------------------------------------------------------


def delivery_claim(*, schedule: ReportSchedule, period: ReportPeriod, requested_by=None) -> ReportDelivery | None:
    """Insert the delivery of a period in its own transaction; None when it exists (another run has it)."""
    try:
        with transaction.atomic():
            return ReportDelivery.objects.create(
                schedule=schedule,
                period_key=period.key,
                period_first=period.first,
                period_last=period.last,
                status=DeliveryStatus.SENDING,
                requested_by=requested_by if getattr(requested_by, "pk", None) else None,
                started_at=clock.now(),
            )
    except IntegrityError:
        return None


def _claim_recipient(delivery: ReportDelivery, user) -> DeliveryRecipient | None:
    """Write a recipient's outcome row before e-mailing them; None when another run already has them."""
    try:
        with transaction.atomic():
            return DeliveryRecipient.objects.create(
                delivery=delivery,
                user=user,
                email=user.email,
                outcome=RecipientOutcome.FAILED,
                reason=SkipReason.INTERRUPTED,
                at=clock.now(),
            )
    except IntegrityError:
        return None


def report_link(schedule: ReportSchedule, period: ReportPeriod) -> str:
    """The absolute address of the report's web page (OVERSIGHT_BASE_URL + the report page of the period)."""
    base = str(getattr(settings, "OVERSIGHT_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    if schedule.contract_id:
        path = reverse("reports:contract", args=[schedule.contract_id, period.key])
    else:
        path = reverse("reports:vendor", args=[schedule.vendor_id, period.key])
    return f"{base}{path}"


def _report_email(schedule: ReportSchedule, period: ReportPeriod, user) -> EmailMessage:
    """One recipient's e-mail: the report built as they see it, in their language and time zone, PDF and XLSX."""
    report = service_report(user=user, vendor_id=schedule.vendor_id, contract_id=schedule.contract_id, period=period)
    context = {
        "user": user,
        "schedule": schedule,
        "report": report,
        "period": period,
        "period_label": period.label(),
        "url": report_link(schedule, period),
        "generated_at": clock.now(),
        "time_zone": user.time_zone,
        "site_name": settings.OVERSIGHT_SITE_NAME,
    }
    subject = " ".join(render_to_string("reports/email/report_subject.txt", context).split())
    body = render_to_string("reports/email/report_body.txt", context)
    message = EmailMessage(subject=subject[:300], body=body, to=[user.email])
    message.attach(report_filename(report, "pdf"), report_pdf(report), PDF_CONTENT_TYPE)
    message.attach(report_filename(report, "xlsx"), report_xlsx(report), XLSX_CONTENT_TYPE)
    return message


def _serve(delivery: ReportDelivery, schedule: ReportSchedule, period: ReportPeriod, user, row) -> str:
    """E-mail one claimed recipient (or skip them with the reason); returns the outcome written."""
    refusal = recipient_refusal(user, organisation=schedule.organisation, vendor=schedule.vendor)
    detail = ""
    if refusal is None:
        try:
            with translation.override(user.language or settings.LANGUAGE_CODE), timezone.override(user.time_zone):
                message = _report_email(schedule, period, user)
        except Http404:
            refusal = SkipReason.NO_ACCESS
        except ApplicationError as exc:
            refusal, detail = SkipReason.REPORT_ERROR, str(exc.message)
        except Exception as exc:  # noqa: BLE001 - one broken report must not stop the other recipients
            logger.exception("report of schedule %s for user %s could not be built", schedule.pk, user.pk)
            refusal, detail = SkipReason.REPORT_ERROR, type(exc).__name__
    if refusal is not None:
        outcome = RecipientOutcome.FAILED if refusal == SkipReason.REPORT_ERROR else RecipientOutcome.SKIPPED
        row.outcome, row.reason, row.detail = outcome, refusal, detail[:500]
    else:
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - a mail server outage must not break the sweep
            logger.exception("report e-mail of delivery %s to user %s failed", delivery.pk, user.pk)
            row.outcome, row.reason, row.detail = RecipientOutcome.FAILED, SkipReason.MAIL_ERROR, str(exc)[:500]
        else:
            row.outcome, row.reason, row.detail = RecipientOutcome.SENT, "", ""
    row.at = clock.now()
    row.save(update_fields=["outcome", "reason", "detail", "at"])
    return row.outcome


def _deliver(delivery: ReportDelivery) -> ReportDelivery:
    """Serve every recipient of the schedule not served yet, then record the delivery's status."""
    schedule = delivery.schedule
    period = period_from_key(delivery.period_key, schedule.organisation)
    for user in schedule.recipients.select_related("vendor").order_by("pk"):
        row = _claim_recipient(delivery, user)
        if row is not None:
            _serve(delivery, schedule, period, user, row)
    outcomes = list(delivery.outcomes.values_list("outcome", flat=True))
    failed = RecipientOutcome.FAILED in outcomes
    try:
        with transaction.atomic():
            return transition(
                delivery,
                machine=DELIVERY_MACHINE,
                action=DeliveryAction.FINISH_FAILED if failed else DeliveryAction.FINISH_SENT,
                actor=delivery.requested_by,
                related=("schedule",),
                apply=_finish,
                audit_after=lambda d: {
                    "period": d.period_key,
                    **{outcome: outcomes.count(outcome) for outcome in RecipientOutcome.values},
                },
                audit_organisation=schedule.organisation,
                event=REPORT_DELIVERY_FINISHED,
                payload=lambda d: {"delivery_id": d.pk, "schedule_id": schedule.pk, "status": str(d.status)},
            ).obj
    except InvalidTransition:
        # Another run finished (or is retrying) this delivery meanwhile; its record stands.
        logger.info("delivery %s was finished by another run", delivery.pk)
        return ReportDelivery.objects.select_related("schedule").get(pk=delivery.pk)


def _finish(delivery: ReportDelivery, now: dt.datetime) -> list[str]:
    delivery.finished_at = now
    return ["finished_at"]


def delivery_send(*, schedule: ReportSchedule, period: ReportPeriod, actor=None) -> ReportDelivery:
    """Send one ended period's report now ("send now"), once; a failed delivery is retried for its failures.

    Not one transaction on purpose: the delivery is claimed in its own, then e-mails go out one by one.
    """
    if actor is not None:
        _require_manager(actor, schedule.organisation)
        if not schedule.is_active:
            raise ApplicationError(_("This schedule is switched off: switch it on to send its reports."))
        if period.kind != schedule.kind:
            raise _invalid(_("Choose a period of the schedule's kind."), "period")
        if period.last >= local_date(clock.now(), schedule.calendar):
            raise _invalid(_("The period has not ended yet: its report is sent once it is over."), "period")
    existing = ReportDelivery.objects.filter(schedule=schedule, period_key=period.key).first()
    if existing is not None:
        if existing.status != DeliveryStatus.FAILED:
            raise ApplicationError(
                _(
                    "The report of %(period)s was already sent on %(date)s. Each period is sent once; the "
                    "recipients can open the report on its web page at any time."
                )
                % {"period": period.label(), "date": timezone.localtime(existing.started_at).strftime("%Y-%m-%d")},
                code="already_sent",
            )
        # A retry: the failed recipients' rows are dropped so that they are claimed and served again.
        retried: list[str] = []

        def drop_failures(delivery: ReportDelivery, now: dt.datetime) -> list[str]:
            failures = delivery.outcomes.filter(outcome=RecipientOutcome.FAILED)
            retried.extend(failures.values_list("email", flat=True))
            failures.delete()
            return []

        with transaction.atomic():
            transition(
                existing,
                machine=DELIVERY_MACHINE,
                action=DeliveryAction.RETRY,
                actor=actor,
                related=("schedule",),
                apply=drop_failures,
                audit_after=lambda d: {"period": d.period_key, "recipients": retried},
                audit_organisation=schedule.organisation,
            )
        existing.refresh_from_db()
        return _deliver(existing)
    delivery = delivery_claim(schedule=schedule, period=period, requested_by=actor)
    if delivery is None:
        raise ApplicationError(_("This report is being sent right now."), code="already_sent")
    return _deliver(delivery)


def deliveries_send_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Deliver every report owed by an active schedule, once; resume deliveries cut off by a crash.

    Safe to run twice or concurrently. A schedule whose calendar lacks the year's data is left pending with
    the reason on the schedule (and in the log), never guessed. Returns counts of what happened.
    """
    now = now or clock.now()
    summary = {"schedules": 0, "delivered": 0, "resumed": 0, "pending": 0, "emails": 0, "skipped": 0, "failed": 0}
    schedules = ReportSchedule.objects.filter(is_active=True).select_related(
        "organisation", "vendor", "contract", "calendar"
    )
    for schedule in schedules.order_by("pk"):
        summary["schedules"] += 1
        try:
            period = schedule_due_period(schedule, now)
        except (CalendarDataMissing, timing.NoWorkingDay) as exc:
            reason = _pending_text(exc)[:500]
            logger.warning("report schedule %s is pending: %s", schedule.pk, reason)
            summary["pending"] += 1
            if schedule.pending_reason != reason:
                ReportSchedule.objects.filter(pk=schedule.pk).update(pending_reason=reason)
            continue
        if schedule.pending_reason:
            ReportSchedule.objects.filter(pk=schedule.pk).update(pending_reason="")
        if period is None:
            continue
        delivery = delivery_claim(schedule=schedule, period=period)
        if delivery is not None:
            summary["delivered"] += 1
        else:
            delivery = ReportDelivery.objects.filter(
                schedule=schedule,
                period_key=period.key,
                status=DeliveryStatus.SENDING,
                started_at__lt=now - STALE_AFTER,
            ).first()
            if delivery is None:
                continue
            summary["resumed"] += 1
        before = set(delivery.outcomes.values_list("pk", flat=True))
        delivery = _deliver(delivery)
        for outcome in delivery.outcomes.exclude(pk__in=before).values_list("outcome", flat=True):
            summary[{"sent": "emails", "skipped": "skipped", "failed": "failed"}[outcome]] += 1
    return summary
