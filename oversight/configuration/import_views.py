"""Pages of the CI import: upload a file (the imports list), the dry run as a table with confirm, and the progress
of a job. Views parse and call `configuration.imports`; what the user sees comes from `configuration.selectors`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.configuration import importing, imports, permissions, selectors
from oversight.configuration.choices import CIStatus, ImportStatus
from oversight.configuration.forms import ImportForm
from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, paginate
from oversight.tenancy.models import Site, Vendor
from oversight.tenancy.roles import CLIENT_ROLES
from oversight.tenancy.visibility import restrict

#: Statuses whose dry run is still worth showing row by row (an applied import would now read "unchanged").
PLANNED_STATUSES = (ImportStatus.CHECKED, ImportStatus.FAILED)
RUNNING_STATUSES = (ImportStatus.QUEUED, ImportStatus.RUNNING)


def _list_page(request, form, *, status: int = 200):
    user = request.user
    context = {
        "form": form if permissions.may_import(user) else None,
        "page": paginate(selectors.import_list(user=user), request),
        "columns": _columns(),
        "max_rows": importing.MAX_ROWS,
        "max_mb": importing.MAX_BYTES // 1048576,
    }
    return render(request, "configuration/import_list.html", context, status=status)


def _columns() -> list[tuple]:
    """(label, header) of each fixed column the file may have, the header in the reader's language (the other
    language's headers are accepted too)."""
    chinese = (translation.get_language() or "").startswith("zh")
    return [
        (
            importing.FIELD_LABELS[name],
            next((a for a in aliases if not a.isascii()), aliases[0]) if chinese else aliases[0],
        )
        for name, aliases in importing.COLUMNS.items()
    ]


class ImportListView(RoleRequiredMixin, View):
    """`/configuration/imports/`: the organisation's imports, and the form to upload a file (a dry run)."""

    allowed_roles = CLIENT_ROLES

    def get(self, request):
        return _list_page(request, ImportForm())

    def post(self, request):
        if not permissions.may_import(request.user):
            raise PermissionDenied(_("Your role cannot import configuration items."))
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return _list_page(request, form, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(size)s MB; split it into smaller files.")
                % {"size": importing.MAX_BYTES // 1048576},
            )
            return _list_page(request, form, status=400)
        try:
            ci_import = imports.import_check(actor=request.user, file_name=upload.name, data=upload.read())
        except ApplicationError as exc:
            form.add_error("file", exc.message)
            return _list_page(request, form, status=exc.status_code)
        return redirect("configuration:import_detail", pk=ci_import.pk)


def _display_rows(user, plans) -> list[dict]:
    """The rows of one page of the dry run in words: what happens, to which CI, which fields change."""
    sites = dict(restrict(Site.objects.all(), user).values_list("pk", "name"))
    vendors = dict(restrict(Vendor.objects.all(), user).values_list("pk", "name"))
    statuses = dict(CIStatus.choices)

    def shown(field, value):
        if value in (None, ""):
            return "—"
        if field == "site":
            return sites.get(value, "—")
        if field == "vendor":
            return vendors.get(value, "—")
        if field == "status":
            return statuses.get(value, value)
        return value

    rows = []
    for p in plans:
        rows.append(
            {
                "line": p.line,
                "action": p.action,
                "action_label": importing.ACTION_LABELS[p.action],
                "name": p.name or p.values.get("name", ""),
                "ci_id": p.ci_id,
                "changes": [
                    (
                        field[5:] if field.startswith("attr:") else importing.FIELD_LABELS[field],
                        shown(field, old),
                        shown(field, new),
                    )
                    for field, old, new in p.changes
                ],
                "reasons": [importing.reason_text(code, params) for code, params in p.reasons],
            }
        )
    return rows


def import_page(request, ci_import, *, status: int = 200):
    """Render an import: its counts, its dry run row by row (or its progress while it runs), and the confirm."""
    user = request.user
    show = request.GET.get("show", "")
    context = {"ci_import": ci_import, "show": show, "actions": importing.ACTION_LABELS.items()}
    if ci_import.status in PLANNED_STATUSES:
        plans = imports.import_plan(ci_import=ci_import)
        totals = importing.counts(plans)
        if show in importing.ACTIONS:
            plans = [p for p in plans if p.action == show]
        page = paginate(plans, request)
        page.items = _display_rows(user, page.items)
        context.update(
            {
                "counts": totals,
                "page": page,
                "may_apply": permissions.may_import(user)
                and ci_import.status == ImportStatus.CHECKED
                and not totals[importing.ERROR]
                and (totals[importing.CREATE] or totals[importing.UPDATE]),
            }
        )
    else:
        context["counts"] = ci_import.counts
    counted = context["counts"] or {}
    context["count_rows"] = [(code, label, counted.get(code, 0)) for code, label in importing.ACTION_LABELS.items()]
    context["has_errors"] = bool(counted.get(importing.ERROR))
    context.update(progress_context(ci_import))
    return render(request, "configuration/import_detail.html", context, status=status)


def progress_context(ci_import) -> dict:
    done, total = imports.import_progress(ci_import=ci_import)
    return {
        "ci_import": ci_import,
        "running": ci_import.status in RUNNING_STATUSES,
        "done": done,
        "total": total,
        "percent": int(done * 100 / total) if total else 0,
    }


class ImportDetailView(RoleRequiredMixin, View):
    """`/configuration/imports/<pk>/`: the dry run of an import and its confirm button."""

    allowed_roles = CLIENT_ROLES

    def get(self, request, pk):
        return import_page(request, selectors.import_get(user=request.user, pk=pk))


class ImportApplyView(RoleRequiredMixin, View):
    """`POST /configuration/imports/<pk>/apply/`: apply every row, or none (a large file runs as a job)."""

    allowed_roles = CLIENT_ROLES

    def post(self, request, pk):
        ci_import = selectors.import_get(user=request.user, pk=pk)
        if not permissions.may_import(request.user):
            raise PermissionDenied(_("Your role cannot import configuration items."))
        try:
            result = imports.import_start(actor=request.user, ci_import=ci_import)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return import_page(request, selectors.import_get(user=request.user, pk=pk), status=exc.status_code)
        if result.status == ImportStatus.APPLIED:
            messages.success(request, _("The configuration items were imported."))
        else:
            messages.info(request, _("The import is running; this page shows its progress."))
        return redirect("configuration:import_detail", pk=ci_import.pk)


class ImportProgressView(RoleRequiredMixin, View):
    """`/configuration/imports/<pk>/progress/`: the progress bar (htmx polls it while the job runs)."""

    allowed_roles = CLIENT_ROLES

    def get(self, request, pk):
        ci_import = selectors.import_get(user=request.user, pk=pk)
        return render(request, "configuration/partials/import_progress.html", progress_context(ci_import))
