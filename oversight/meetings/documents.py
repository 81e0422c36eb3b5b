"""The minutes of a meeting as a PDF (oversight.core.pdf), in the language active when it is built: when and
where, the participants of both sides with their attendance, the agenda, the minutes, the decisions, the action
items and both sides' signatures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from oversight.core import pdf
from oversight.core.files import readable_filename
from oversight.meetings.presentation import DASH, agenda_rows, local_text, person


def minutes_filename(meeting) -> str:
    """The download name of a meeting's minutes."""
    return readable_filename(
        _("Minutes"), meeting.title, local_text(meeting.starts_at, meeting.organisation, "%Y-%m-%d"), extension="pdf"
    )


def minutes_pdf(*, meeting, participants, agenda, decisions, actions) -> bytes:
    """The minutes as PDF bytes (every list already read through the gate for the reader)."""
    organisation = meeting.organisation
    st = pdf.styles()
    width = pdf.usable_width()
    story: list = [pdf.para(_("Minutes: %(title)s") % {"title": meeting.title}, st["title"])]
    facts = [
        (_("Vendor"), str(meeting.vendor)),
        (_("Starts"), local_text(meeting.starts_at, organisation)),
        (_("Ends"), local_text(meeting.ends_at, organisation)),
        (_("Location"), meeting.location or meeting.online_link or DASH),
        (_("Status"), str(meeting.get_status_display())),
    ]
    story.append(pdf.table(facts, col_widths=[width * 0.3, width * 0.7], header_rows=0))

    story.append(pdf.para(_("Participants"), st["heading"]))
    rows = [[_("Name"), _("Side"), _("Attendance")]]
    rows += [[person(p.user), p.get_side_display(), p.get_attendance_display()] for p in participants]
    story.append(pdf.table(rows, col_widths=[width * 0.5, width * 0.25, width * 0.25]))

    story.append(pdf.para(_("Agenda"), st["heading"]))
    lines = agenda_rows(agenda, organisation)
    if lines:
        rows = [[_("Kind"), _("Item"), _("Detail")]]
        rows += [[r["kind_label"], r["item"].title, r["detail"]] for r in lines]
        story.append(pdf.table(rows, col_widths=[width * 0.2, width * 0.45, width * 0.35]))
    else:
        story.append(pdf.para(_("No agenda items."), st["body"]))

    story.append(pdf.para(_("Minutes"), st["heading"]))
    story.append(pdf.para(meeting.minutes or DASH, st["body"]))

    story.append(pdf.para(_("Decisions"), st["heading"]))
    if decisions:
        rows = [[_("No."), _("Decision")]] + [[str(i), d.text] for i, d in enumerate(decisions, 1)]
        story.append(pdf.table(rows, col_widths=[width * 0.1, width * 0.9]))
    else:
        story.append(pdf.para(_("No decisions."), st["body"]))

    story.append(pdf.para(_("Action items"), st["heading"]))
    if actions:
        rows = [[_("Action"), _("Owner"), _("Due date"), _("Status")]]
        rows += [[a.title, person(a.owner), a.due_on.isoformat(), a.get_status_display()] for a in actions]
        story.append(pdf.table(rows, col_widths=[width * 0.45, width * 0.2, width * 0.15, width * 0.2]))
    else:
        story.append(pdf.para(_("No action items."), st["body"]))

    story.append(pdf.para(_("Sign-off"), st["heading"]))
    rows = [
        [_("Side"), _("Signed by"), _("Signed at")],
        [
            _("Client side"),
            person(meeting.client_signer) if meeting.client_signer_id else DASH,
            local_text(meeting.client_signed_at, organisation),
        ],
        [
            _("Vendor side"),
            person(meeting.vendor_signer) if meeting.vendor_signer_id else DASH,
            local_text(meeting.vendor_signed_at, organisation),
        ],
    ]
    story.append(pdf.table(rows, col_widths=[width * 0.3, width * 0.4, width * 0.3]))
    return pdf.build(story, title=meeting.title, footer=str(organisation))
