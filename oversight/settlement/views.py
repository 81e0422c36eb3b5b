"""Web pages of the settlement app: the list of statements (and signed periods awaiting one), the statement page,
prepare and approve actions, and the PDF and XLSX downloads.

Views only parse input and call settlement.services; what anyone may see comes from settlement.selectors
(an invisible statement is a 404; an action the role may not take is a 403 from the service).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.files import download_response, readable_filename
from oversight.core.listing import sort_list
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.scorecards.selectors import period_get
from oversight.settlement import permissions, selectors, services
from oversight.settlement.pdf import PDF_CONTENT_TYPE, statement_pdf
from oversight.settlement.presentation import line_views, summary_rows
from oversight.settlement.xlsx import XLSX_CONTENT_TYPE, statement_xlsx
from oversight.tenancy.roles import STAFF_ROLES

# The statement list's column headers sort by these keys (core.listing.sort_list).
STATEMENT_SORT_KEYS = {
    "period": ("period__starts_on",),
    "contract": ("contract__number",),
    "vendor": ("vendor__name",),
    "status": ("status",),
    "score": ("score",),
    "total": ("total",),
}


class StatementListView(RoleRequiredMixin, TemplateView):
    """`/settlement/`: the statements the user may see; operators also see the signed periods awaiting one."""

    allowed_roles = STAFF_ROLES
    template_name = "settlement/statement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        may_operate = permissions.may_operate(user, user.organisation_id)
        statements, sorting = sort_list(
            selectors.statement_list(user=user), self.request, keys=STATEMENT_SORT_KEYS, default=("-created_at", "-id")
        )
        context.update(
            {
                "page": paginate(statements, self.request),
                "sorting": sorting,
                "may_operate": may_operate,
                "awaiting": list(selectors.periods_awaiting_statement(user=user)[:50]) if may_operate else [],
            }
        )
        return context


class StatementDetailView(LoginRequiredMixin, TemplateView):
    """`/settlement/statements/<pk>/`: the statement with every line, its explanation and source, and signatures."""

    template_name = "settlement/statement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        statement = selectors.statement_get(user=user, pk=kwargs["pk"])
        context.update(
            {
                "statement": statement,
                "lines": line_views(statement, list(statement.lines.all())),
                "figures": summary_rows(statement),
                "may_operate": permissions.may_operate(user, statement.organisation_id),
            }
        )
        return context


class PrepareView(LoginRequiredMixin, View):
    """Prepare (or recompute the draft of) the statement of a signed period (client operators)."""

    def post(self, request, pk):
        period = period_get(user=request.user, pk=pk)
        try:
            statement = services.statement_prepare(actor=request.user, period=period)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc  # a role that may not do this gets 403, not a redirect
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("settlement:list")
        messages.success(request, _("The statement was computed."))
        return redirect("settlement:detail", pk=statement.pk)


class ApproveView(LoginRequiredMixin, View):
    """Approve and lock a draft statement (client operators)."""

    def post(self, request, pk):
        statement = selectors.statement_get(user=request.user, pk=pk)
        try:
            services.statement_approve(actor=request.user, statement=statement)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc  # a role that may not do this gets 403, not a redirect
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The statement was approved and is locked."))
        return redirect("settlement:detail", pk=statement.pk)


def filename(statement, extension: str) -> str:
    """Readable file name of a statement document in the reader's language, e.g. 结算单-HT-1-2026-Q3.pdf."""
    revision = f"r{statement.period.revision}" if statement.period.revision > 1 else ""
    return readable_filename(
        _("Settlement statement"), statement.contract.number, statement.period.label, revision, extension=extension
    )


class StatementPdfView(LoginRequiredMixin, View):
    """The statement as PDF."""

    def get(self, request, pk):
        statement = selectors.statement_get(user=request.user, pk=pk)
        return download_response(
            statement_pdf(statement), content_type=PDF_CONTENT_TYPE, filename=filename(statement, "pdf")
        )


class StatementXlsxView(LoginRequiredMixin, View):
    """The statement as XLSX."""

    def get(self, request, pk):
        statement = selectors.statement_get(user=request.user, pk=pk)
        return download_response(
            statement_xlsx(statement), content_type=XLSX_CONTENT_TYPE, filename=filename(statement, "xlsx")
        )
