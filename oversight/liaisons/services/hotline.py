"""The public supervision hotline (监管热线): its page and service areas, reports submitted without login, and the
supervisor's triage of each report into a complaint or a work order (the link is kept, and the report is resolved
when what it became is resolved: its resolution time is measured from receipt)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.events import publish
from oversight.feedback.services.complaints import complaint_open
from oversight.liaisons.choices import HOTLINE_MACHINE, HotlineAction, HotlineStatus
from oversight.liaisons.events import HOTLINE_REPORT_RECEIVED
from oversight.liaisons.models import HotlineArea, HotlinePage, HotlineReport
from oversight.tenancy.roles import is_client_operator
from oversight.tickets.choices import Channel
from oversight.tickets.services import work_order_create

DESCRIPTION_MAX = 2000
CONTACT_MAX = 200
PAGE_FIELDS = ("title", "title_en", "intro", "intro_en", "phone", "email", "is_active")
AREA_FIELDS = ("name", "name_en", "text", "text_en", "vendor", "position")


def _require_operator(actor, organisation_id: int) -> None:
    if not is_client_operator(actor, organisation_id):
        raise NotAllowed(_("Only the client's supervisors and administrators manage the hotline."))


@transaction.atomic
def hotline_page_save(*, actor, organisation, **values) -> HotlinePage:
    """Create or edit the organisation's hotline page (its public address token never changes)."""
    _require_operator(actor, organisation.pk)
    now = clock.now()
    page = HotlinePage.objects.select_for_update(of=("self",)).filter(organisation=organisation).first()
    created = page is None
    if created:
        page = HotlinePage(organisation=organisation, created_at=now)
    before = {} if created else model_snapshot(page, list(PAGE_FIELDS))
    for name in PAGE_FIELDS:
        if name in values:
            value = values[name]
            setattr(page, name, value.strip() if isinstance(value, str) else value)
    if not page.title:
        raise ApplicationError(_("Give the hotline page a title."))
    page.updated_at = now
    page.save()
    old, new = diff_snapshots(before, model_snapshot(page, list(PAGE_FIELDS)))
    audit_record(
        actor=actor,
        action="liaisons.hotlinepage.created" if created else "liaisons.hotlinepage.changed",
        obj=page,
        before=old,
        after=new,
    )
    return page


@transaction.atomic
def hotline_area_save(*, actor, page: HotlinePage, area: HotlineArea | None = None, **values) -> HotlineArea:
    """Add or edit a service area of the hotline page (its vendor must be of the page's organisation)."""
    _require_operator(actor, page.organisation_id)
    created = area is None
    if created:
        area = HotlineArea(page=page)
    elif area.page_id != page.pk:
        raise ApplicationError(_("This service area belongs to another page."))
    before = {} if created else model_snapshot(area, list(AREA_FIELDS))
    for name in AREA_FIELDS:
        if name in values:
            value = values[name]
            setattr(area, name, value.strip() if isinstance(value, str) else value)
    if not area.name:
        raise ApplicationError(_("Give the service area a name."))
    if area.vendor is not None and area.vendor.organisation_id != page.organisation_id:
        raise ApplicationError(_("Choose a vendor of your own organisation."))
    area.save()
    old, new = diff_snapshots(before, model_snapshot(area, list(AREA_FIELDS)))
    audit_record(
        actor=actor,
        action="liaisons.hotlinearea.created" if created else "liaisons.hotlinearea.changed",
        obj=area,
        organisation=page.organisation,
        before=old,
        after=new,
    )
    return area


@transaction.atomic
def hotline_report_submit(*, page: HotlinePage, description: str, contact: str = "", area_id=None) -> HotlineReport:
    """Receive a report from the public page (no login; the contact is optional and may stay empty)."""
    if not page.is_active:
        raise ApplicationError(_("This hotline page is closed."))
    description = (description or "").strip()
    contact = (contact or "").strip()
    if not description:
        raise ApplicationError(_("Describe what happened."))
    if len(description) > DESCRIPTION_MAX:
        raise ApplicationError(_("The description is too long (at most %(n)d characters).") % {"n": DESCRIPTION_MAX})
    if len(contact) > CONTACT_MAX:
        raise ApplicationError(_("The contact is too long (at most %(n)d characters).") % {"n": CONTACT_MAX})
    if any(ord(c) < 32 and c not in "\n\r\t" for c in description + contact):
        raise ApplicationError(_("The text contains characters that are not allowed."))
    area = None
    if area_id not in (None, ""):
        try:
            area = page.areas.get(pk=int(area_id))
        except (HotlineArea.DoesNotExist, ValueError, TypeError) as exc:
            raise ApplicationError(_("Choose one of the service areas listed.")) from exc
    report = HotlineReport.objects.create(
        organisation_id=page.organisation_id,
        area=area,
        description=description,
        contact=contact,
        received_at=clock.now(),
    )
    audit_record(actor=None, action="liaisons.hotlinereport.created", obj=report, organisation=page.organisation)
    publish(HOTLINE_REPORT_RECEIVED, report_id=report.pk)
    return report


def hotline_report_convert(
    *, actor, report: HotlineReport, work_order=None, service=None, summary: str = "", site=None
) -> HotlineReport:
    """Pass a report on: as a complaint about an existing work order (``work_order``), or as a new work order of
    ``service`` (received through the hotline channel); the report keeps the link."""
    with transaction.atomic():
        _require_operator(actor, report.organisation_id)
        summary = (summary or "").strip() or report.description[:200]
        if (work_order is None) == (service is None):
            raise ApplicationError(
                _("Choose either the work order to complain about or the service of a new work order.")
            )
        complaint = None
        created_order = None
        if work_order is not None:
            if work_order.organisation_id != report.organisation_id:
                raise ApplicationError(_("Choose a work order of your own organisation."))
            complaint = complaint_open(
                actor=actor, work_order=work_order, summary=summary[:300], description=report.description
            )
        else:
            if service.organisation_id != report.organisation_id:
                raise ApplicationError(_("Choose a service of your own organisation."))
            created_order = work_order_create(
                actor=actor,
                service=service,
                title=summary[:200],
                description=report.description,
                site=site,
                channel=Channel.PHONE,
            )

        def apply(obj, now):
            obj.triaged_at = now
            obj.triaged_by = actor
            obj.complaint = complaint
            obj.work_order = created_order
            return ["triaged_at", "triaged_by", "complaint", "work_order"]

        transition(
            report,
            machine=HOTLINE_MACHINE,
            action=HotlineAction.CONVERT,
            actor=actor,
            apply=apply,
            audit_after={
                "complaint": getattr(complaint, "pk", None),
                "work_order": getattr(created_order, "pk", None),
            },
        )
    report.refresh_from_db()
    return report


@transaction.atomic
def hotline_report_dismiss(*, actor, report: HotlineReport, note: str) -> HotlineReport:
    """Close a report that calls for nothing (a duplicate, not about the service), with the reason."""
    _require_operator(actor, report.organisation_id)
    note = (note or "").strip()
    if not note:
        raise ApplicationError(_("Give a reason."))

    def apply(obj, now):
        obj.note = note[:2000]
        obj.resolved_at = now
        obj.triaged_at = now
        obj.triaged_by = actor
        return ["note", "resolved_at", "triaged_at", "triaged_by"]

    outcome = transition(
        report,
        machine=HOTLINE_MACHINE,
        action=HotlineAction.DISMISS,
        actor=actor,
        apply=apply,
        audit_after={"note": note},
    )
    return outcome.obj


def hotline_reports_resolve_for(
    *, at: dt.datetime, complaint_id: int | None = None, work_order_id: int | None = None
) -> int:
    """Resolve the reports passed on as this complaint or work order (the system; a repeat is harmless)."""
    reports = HotlineReport.objects.filter(status=HotlineStatus.CONVERTED)
    if complaint_id is not None:
        reports = reports.filter(complaint_id=complaint_id)
    elif work_order_id is not None:
        reports = reports.filter(work_order_id=work_order_id)
    else:
        return 0
    resolved = 0
    for report in reports:
        with transaction.atomic():

            def apply(obj, now):
                obj.resolved_at = at
                return ["resolved_at"]

            outcome = transition(report, machine=HOTLINE_MACHINE, action=HotlineAction.RESOLVE, actor=None, apply=apply)
            resolved += int(outcome.changed)
    return resolved
