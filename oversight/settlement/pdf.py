"""The statement as an A4 PDF (reportlab): parties, period, figures, lines, totals and the signatures block."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from oversight.core import pdf
from oversight.core.money import format_money, rmb_in_words
from oversight.settlement.models import SettlementStatement
from oversight.settlement.presentation import line_views, summary_rows
from oversight.settlement.selectors import statement_lines

PDF_CONTENT_TYPE = "application/pdf"


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def signed_off_text(statement: SettlementStatement) -> str:
    """Who prepared and who approved the statement, by the person's name, in the reader's language and zone."""
    prepared = _("Prepared by %(who)s on %(when)s.") % {
        "who": statement.prepared_by or _("System"),
        "when": _when(statement.prepared_at),
    }
    if statement.approved_at is None:
        return prepared + " " + _("Not approved yet.")
    approved = _("Approved by %(who)s on %(when)s.") % {
        "who": statement.approved_by or _("System"),
        "when": _when(statement.approved_at),
    }
    return prepared + " " + approved


def statement_pdf(statement: SettlementStatement) -> bytes:
    """Render the statement (in the active language and time zone) to PDF bytes."""
    st = pdf.styles()
    width = pdf.usable_width()
    period = statement.period
    title = _("Settlement statement %(contract)s %(period)s") % {
        "contract": statement.contract.number,
        "period": period.label,
    }
    story: list = [pdf.para(title, st["title"])]
    status = statement.get_status_display()
    if not statement.is_approved:
        status = _("%(status)s — not approved, not for payment") % {"status": status}
    facts = [
        (_("Client (甲方)"), statement.organisation.name),
        (_("Vendor (乙方)"), statement.vendor.name),
        (_("Contract"), f"{statement.contract.number} {statement.contract.title}"),
        (_("Contract version"), str(statement.contract_version.number)),
        (
            _("Period"),
            f"{period.label} ({period.starts_on:%Y-%m-%d} – {period.ends_on:%Y-%m-%d})"
            + (f" r{period.revision}" if period.revision > 1 else ""),
        ),
        (_("Evaluation status"), period.get_status_display()),
        (_("Score"), str(statement.score)),
        (_("Currency"), statement.currency),
        (_("Statement status"), status),
    ]
    if statement.supersedes_id:
        facts.append((_("Replaces"), f"#{statement.supersedes_id} ({statement.supersedes.period.label})"))
    story.append(pdf.table(facts, col_widths=[width * 0.3, width * 0.7], header_rows=0))
    story.append(pdf.para(_("Lines"), st["heading"]))
    rows: list[list] = [["#", _("Item"), _("Explanation"), _("Amount")]]
    for view in line_views(statement, statement_lines(statement)):
        rows.append([str(view.line.position), view.label, view.explanation, view.amount])
    rows.append(["", _("Total payable"), "", format_money(statement.total, statement.currency)])
    story.append(
        pdf.table(
            rows,
            col_widths=[width * 0.06, width * 0.22, width * 0.54, width * 0.18],
            right_cols=(3,),
            bold_last_row=True,
        )
    )
    if statement.currency == "CNY":
        words = _("Total payable in Chinese capitals: %(words)s") % {"words": rmb_in_words(statement.total)}
        story.append(pdf.para(words, st["body"]))
    story.append(pdf.para(_("Figures"), st["heading"]))
    figures = [[label, format_money(value, statement.currency)] for label, value in summary_rows(statement)]
    story.append(pdf.table(figures, col_widths=[width * 0.5, width * 0.25], header_rows=0, right_cols=(1,)))
    story.append(Spacer(1, 3 * mm))
    story.append(pdf.para(signed_off_text(statement), st["small"]))
    story.append(pdf.para(_("Content hash (SHA-256): %(hash)s") % {"hash": statement.content_hash}, st["small"]))
    story.append(pdf.para(_("Signatures"), st["heading"]))
    name_line = _("Name: ____________________")
    date_line = _("Date: ____________________")
    signatures = [
        [_("Client (甲方)"), _("Vendor (乙方)")],
        [statement.organisation.name, statement.vendor.name],
        [_("Signature and seal:") + "\n\n\n", _("Signature and seal:") + "\n\n\n"],
        [name_line, name_line],
        [date_line, date_line],
    ]
    story.append(pdf.table(signatures, col_widths=[width / 2, width / 2]))
    footer = f"{statement.contract.number} · {period.label} · {statement.content_hash[:12]}"
    return pdf.build(story, title=title, footer=footer)
