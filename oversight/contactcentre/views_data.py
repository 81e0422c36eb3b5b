"""Pages for interval data in: imports (upload, result with the validation report, progress polled with htmx),
the vendor's column mapping, period locks, and the service-level terms of a contract's versions. Views parse
and call services; selectors decide what anyone sees (404 for the invisible)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.contactcentre import importing, permissions, selectors, services
from oversight.contactcentre.forms import LockForm, MappingForm, TermForm, UploadForm
from oversight.contactcentre.models import ImportStatus, ServiceLevelTerm
from oversight.contactcentre.services.imports import earlier_same_file, import_progress
from oversight.contracts.selectors import contract_get, contract_versions
from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, show_error
from oversight.tenancy.roles import STAFF_ROLES

HUNDRED = Decimal(100)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def _may_import_any(user) -> bool:
    return permissions.may_keep_queues(user) or (
        getattr(user, "vendor_id", None) is not None
        and permissions.may_import(user, organisation_id=user.organisation_id, vendor_id=user.vendor_id)
    )


class ImportListView(RoleRequiredMixin, View):
    """`/contact-centre/imports/`: the imports the reader may see, and the upload form (POST) for importers."""

    allowed_roles = STAFF_ROLES

    def _page(self, request, form, status=200):
        context = {
            "imports": list(selectors.import_list(user=request.user)[:100]),
            "form": form,
            "may_import": _may_import_any(request.user),
        }
        return render(request, "contactcentre/import_list.html", context, status=status)

    def get(self, request):
        return self._page(request, UploadForm(user=request.user))

    def post(self, request):
        _require(_may_import_any(request.user))
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self._page(request, form, status=400)
        try:
            run = services.import_upload(
                actor=request.user,
                vendor=form.cleaned_data["vendor"],
                upload=form.cleaned_data["file"],
                correction_reason=form.cleaned_data["correction_reason"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self._page(request, form, status=exc.status_code)
        return redirect("contactcentre:import_detail", run.pk)


def _progress_context(run) -> dict:
    done, phase = import_progress(run=run)
    return {"run": run, "done": done, "phase": phase, "running": run.status in (ImportStatus.QUEUED, "running")}


class ImportDetailView(RoleRequiredMixin, View):
    """`/contact-centre/imports/<pk>/`: the result of an import, its report of refused rows, or its progress."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        run = selectors.import_get(user=request.user, pk=pk)
        report = [(line, importing.reason_text(code, params)) for line, code, params in run.errors]
        context = _progress_context(run) | {"report": report, "earlier": earlier_same_file(run)}
        return render(request, "contactcentre/import_detail.html", context)


class ImportProgressView(RoleRequiredMixin, View):
    """`/contact-centre/imports/<pk>/progress/`: the progress bar alone (polled by htmx while the job runs)."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        run = selectors.import_get(user=request.user, pk=pk)
        return render(request, "contactcentre/partials/import_progress.html", _progress_context(run))


class MappingView(RoleRequiredMixin, View):
    """`/contact-centre/mapping/?vendor=<id>`: how a vendor's exports are read; importers save it (POST)."""

    allowed_roles = STAFF_ROLES

    def _vendor(self, request, raw):
        form = MappingForm(user=request.user)
        vendors = form.fields["vendor"].queryset
        if raw:
            try:
                return vendors.get(pk=int(raw))
            except (ValueError, TypeError, vendors.model.DoesNotExist) as exc:
                raise Http404 from exc
        return vendors.order_by("name", "pk").first()

    def _page(self, request, vendor, form, status=200):
        may = vendor is not None and permissions.may_import(
            request.user, organisation_id=vendor.organisation_id, vendor_id=vendor.pk
        )
        context = {"vendor": vendor, "form": form, "may_save": may, "targets": importing.TARGETS}
        return render(request, "contactcentre/mapping.html", context, status=status)

    def get(self, request):
        vendor = self._vendor(request, request.GET.get("vendor"))
        initial = {}
        if vendor is not None:
            mapping = selectors.mapping_of(user=request.user, vendor=vendor)
            initial["vendor"] = vendor.pk
            if mapping is not None:
                initial |= {"datetime_format": mapping.datetime_format, "time_zone": mapping.time_zone}
                initial |= {f"col_{k}": v for k, v in mapping.columns.items()}
        return self._page(request, vendor, MappingForm(initial=initial, user=request.user))

    def post(self, request):
        form = MappingForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._page(request, self._vendor(request, None), form, status=400)
        vendor = form.cleaned_data["vendor"]
        _require(permissions.may_import(request.user, organisation_id=vendor.organisation_id, vendor_id=vendor.pk))
        try:
            services.mapping_save(
                actor=request.user,
                vendor=vendor,
                columns=form.columns(),
                datetime_format=form.cleaned_data["datetime_format"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self._page(request, vendor, form, status=exc.status_code)
        messages.success(request, _("The column mapping was saved."))
        return redirect(f"{request.path}?vendor={vendor.pk}")


class LockView(RoleRequiredMixin, View):
    """`/contact-centre/locks/`: the locked months; client operators lock (POST) or reopen (POST ``unlock``)."""

    allowed_roles = STAFF_ROLES

    def _page(self, request, form, status=200):
        context = {
            "locks": list(selectors.lock_list(user=request.user)),
            "form": form,
            "may_lock": permissions.may_keep_queues(request.user),
        }
        return render(request, "contactcentre/locks.html", context, status=status)

    def get(self, request):
        return self._page(request, LockForm(user=request.user))

    def post(self, request):
        _require(permissions.may_keep_queues(request.user))
        if request.POST.get("unlock"):
            lock = selectors.lock_list(user=request.user).filter(pk=_int(request.POST.get("unlock"))).first()
            if lock is None:
                raise Http404
            services.period_unlock(actor=request.user, lock=lock)
            return redirect("contactcentre:locks")
        form = LockForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._page(request, form, status=400)
        services.period_lock(actor=request.user, vendor=form.cleaned_data["vendor"], month=form.cleaned_data["month"])
        messages.success(request, _("The month was locked."))
        return redirect("contactcentre:locks")


def _int(raw) -> int | None:
    return int(raw) if str(raw or "").isdigit() else None


def _percent(value) -> Decimal | None:
    return None if value is None else (value * HUNDRED).quantize(Decimal("0.01"))


def _share(value) -> Decimal | None:
    return None if value is None else value / HUNDRED


class TermsView(RoleRequiredMixin, View):
    """`/contact-centre/contracts/<pk>/terms/`: each version's service-level terms; client operators set those
    of versions not yet in force (POST with ``version``)."""

    allowed_roles = STAFF_ROLES

    def _page(self, request, contract, form=None, status=200, form_version=None):
        versions = contract_versions(contract=contract)
        terms = {}
        for term in ServiceLevelTerm.objects.filter(contract_version__in=versions).order_by("channel"):
            terms.setdefault(term.contract_version_id, []).append(term)
        may = permissions.may_keep_queues(request.user, contract.organisation_id)
        rows = [
            {
                "version": v,
                "terms": terms.get(v.pk, []),
                "open": services.version_is_open(v),
                "form": form if form_version == v.pk else TermForm(initial=_initial(terms.get(v.pk, []))),
            }
            for v in versions
        ]
        context = {"contract": contract, "rows": rows, "may_edit": may}
        return render(request, "contactcentre/terms.html", context, status=status)

    def get(self, request, pk):
        return self._page(request, contract_get(user=request.user, pk=pk))

    def post(self, request, pk):
        contract = contract_get(user=request.user, pk=pk)
        _require(permissions.may_keep_queues(request.user, contract.organisation_id))
        version = next(
            (v for v in contract_versions(contract=contract) if v.pk == _int(request.POST.get("version"))), None
        )
        if version is None:
            raise Http404
        try:
            if request.POST.get("copy"):
                services.terms_copy_forward(actor=request.user, version=version)
                return redirect("contactcentre:terms", contract.pk)
            form = TermForm(request.POST)
            if not form.is_valid():
                return self._page(request, contract, form, status=400, form_version=version.pk)
            data = form.cleaned_data
            services.term_save(
                actor=request.user,
                version=version,
                channel=data["channel"],
                variant=data["variant"],
                threshold_seconds=data["threshold_seconds"],
                target=_share(data["target_percent"]),
                short_abandon_seconds=data["short_abandon_seconds"],
                max_occupancy=_share(data["max_occupancy_percent"]),
                shrinkage=_share(data["shrinkage_percent"]),
                abandonment_target=_share(data["abandonment_target_percent"]),
                asa_target_seconds=data["asa_target_seconds"],
                forecast_tolerance=_share(data["forecast_tolerance_percent"]),
            )
        except ApplicationError as exc:
            show_error(request, exc)
            return redirect("contactcentre:terms", contract.pk)
        messages.success(request, _("The service-level term was saved."))
        return redirect("contactcentre:terms", contract.pk)


def _initial(terms) -> dict:
    term = terms[0] if terms else None
    if term is None:
        return {
            "threshold_seconds": 20,
            "target_percent": 80,
            "short_abandon_seconds": 5,
            "max_occupancy_percent": 85,
            "shrinkage_percent": 30,
        }
    return {
        "channel": term.channel,
        "variant": term.variant,
        "threshold_seconds": term.threshold_seconds,
        "target_percent": _percent(term.target),
        "short_abandon_seconds": term.short_abandon_seconds,
        "max_occupancy_percent": _percent(term.max_occupancy),
        "shrinkage_percent": _percent(term.shrinkage),
        "abandonment_target_percent": _percent(term.abandonment_target),
        "asa_target_seconds": term.asa_target_seconds,
        "forecast_tolerance_percent": _percent(term.forecast_tolerance),
    }
