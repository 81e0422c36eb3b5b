"""Web pages of the improvement register: the list (filters, export), an item with its source, measurement panel
(before/after chart), benefit and timeline, the create form (``?source=<kind>:<id>`` raises from a source) and the
POSTed steps (transition, measure, benefit).

Views only parse input and call `improvement.services`; what anyone may see comes from `improvement.selectors`
(404 for what a reader may not see). Requesters have no page here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import TemplateView

from oversight.core import clock, kpis
from oversight.core.charts import Series, bar_chart
from oversight.core.errors import ApplicationError
from oversight.core.exports import csv_response, local_stamp, xlsx_response
from oversight.core.listing import sort_list
from oversight.core.views import RoleRequiredMixin, paginate, show_error
from oversight.core.zones import local_date
from oversight.improvement import effect, permissions, selectors, services, sources
from oversight.improvement.choices import (
    ACTIONS_NEEDING_NOTE,
    ITEM_MACHINE,
    ActivityKind,
    ItemAction,
    ItemStatus,
)
from oversight.improvement.filters import ItemFilter
from oversight.improvement.forms import BenefitForm, ItemForm, MeasureForm, TransitionForm
from oversight.improvement.presentation import effect_statement
from oversight.tenancy.choices import Role
from oversight.tenancy.roles import CLIENT_OPERATORS, STAFF_ROLES

#: Who raises improvements: the client's operators and vendor managers (for their own vendor).
CREATORS = CLIENT_OPERATORS | {Role.VENDOR_MANAGER}
SORT_KEYS = {
    "number": ("number",),
    "title": ("title",),
    "status": ("status",),
    "priority": ("priority",),
    "owner": ("owner__username",),
    "vendor": ("vendor__name",),
    "target": ("target_date",),
}
ITEM_FIELDS = (
    "title",
    "title_en",
    "description",
    "justification",
    "size",
    "priority",
    "target_date",
    "indicator",
    "baseline",
    "target",
)


def _require(allowed: bool) -> None:
    """Refuse with 403 what this reader may see but not do (the page shows it without the control)."""
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def _version(raw) -> int | None:
    return int(raw) if str(raw or "").isdigit() else None


def _filtered(request):
    user = request.user
    base = selectors.item_list(user=user)
    filterset = ItemFilter(request.GET or None, queryset=base, user=user)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return filterset, qs


class ItemListView(RoleRequiredMixin, TemplateView):
    """`/improvement/`: the register, filtered by state, vendor, source, owner and priority."""

    allowed_roles = STAFF_ROLES
    template_name = "improvement/item_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, qs = _filtered(self.request)
        qs, sorting = sort_list(qs, self.request, keys=SORT_KEYS, default=("-created_at", "-id"))
        context.update(
            {
                "filter": filterset,
                "sorting": sorting,
                "page": paginate(qs, self.request),
                "may_create": permissions.may_create(self.request.user),
                "query": self.request.GET.urlencode(),
            }
        )
        return context


def _indicator_label(code: str):
    return kpis.source_label(code) if code else ""


def _export_rows(qs):
    def rows():
        yield [
            str(label)
            for label in (
                _("Number"),
                _("Title"),
                _("Status"),
                _("Priority"),
                _("Size"),
                _("Source"),
                _("Owner"),
                _("Approver"),
                _("Vendor"),
                _("Indicator"),
                _("Baseline"),
                _("Target"),
                _("Target date"),
                _("Implemented on"),
                _("Target met"),
                _("Benefit amount"),
                _("Raised at"),
            )
        ]
        for i in qs.iterator(chunk_size=500):
            met = i.last_target_met
            yield [
                i.number,
                i.localized_title,
                str(i.get_status_display()),
                str(i.get_priority_display()),
                str(i.get_size_display()),
                str(i.get_source_kind_display()),
                str(i.owner),
                str(i.approver or ""),
                str(i.vendor or ""),
                str(_indicator_label(i.indicator)),
                i.baseline,
                i.target,
                i.target_date,
                i.implemented_on,
                "" if met is None else str(_("Yes") if met else _("No")),
                i.benefit_amount,
                i.created_at,
            ]

    return rows


class ItemExportView(RoleRequiredMixin, View):
    """`/improvement/export/?format=csv|xlsx` with the list's filters: the register as a file."""

    allowed_roles = STAFF_ROLES

    def get(self, request):
        _filterset, qs = _filtered(request)
        rows = _export_rows(qs.order_by("number"))
        filename = f"improvement-register-{local_stamp()}"
        if request.GET.get("format") == "xlsx":
            return xlsx_response(rows(), title=str(_("Improvement register")), filename=f"{filename}.xlsx")
        return csv_response(rows, filename=f"{filename}.csv")


def _timeline_rows(item) -> list[dict]:
    rows = []
    for step in selectors.item_timeline(item=item):
        headline = ActivityKind(step.kind).label if step.kind in ActivityKind.values else ""
        lines = []
        data = step.data or {}
        if step.kind == ActivityKind.STATUS_CHANGED and step.to_status in ItemStatus.values:
            headline = _("Status: %(status)s") % {"status": ItemStatus(step.to_status).label}
        elif step.kind == ActivityKind.MEASURED:
            lines.append(
                _("Before %(before)s, after %(after)s (%(days)s days each)")
                % {"before": _shown(data.get("before")), "after": _shown(data.get("after")), "days": data.get("days")}
            )
        if step.body:
            lines.append(step.body)
        rows.append({"event": step, "headline": headline, "lines": lines})
    return rows


def _shown(value) -> str:
    """A stored value (text of a Decimal) with two decimals at most, or a dash."""
    return "—" if value in (None, "") else floatformat(value, "-2")


def _chart(item, record) -> str:
    if record is None or (record.before_value is None and record.after_value is None):
        return ""
    values = [record.before_value, record.after_value]
    series = [Series(str(_indicator_label(record.indicator)), values)]
    if record.target is not None:
        series.append(Series(str(_("Target")), [record.target, record.target]))
    return mark_safe(  # noqa: S308 - the chart escapes every text it draws
        bar_chart(
            categories=[str(pgettext("improvement effect", "Before")), str(pgettext("improvement effect", "After"))],
            series=series,
            unit="%" if record.unit == "percent" else "",
            width=360,
            height=220,
            label=str(_("Indicator before and after the implementation")),
        )
    )


def item_page(request, item, *, status: int = 200, measure_form=None, benefit_form=None):
    """Render an item with everything about it and the actions this reader may take."""
    user = request.user
    actions = [
        {
            "code": a,
            "label": ItemAction(a).label,
            "note": a in ACTIONS_NEEDING_NOTE,
            "date": _("Implemented on") if a == ItemAction.COMPLETE else "",
            "secondary": a in (ItemAction.REJECT, ItemAction.HOLD),
        }
        for a in ITEM_MACHINE.actions_from(item.status)
        if permissions.may_act(user, item, a)
    ]
    history = list(selectors.measurements(user=user, item=item))
    latest = history[0] if history else None
    source = sources.resolve(user=user, kind=item.source_kind, pk=item.source_id)
    longest = (
        effect.longest_days(item.implemented_on, local_date(clock.now(), item.organisation))
        if item.implemented_on
        else 0
    )
    context = {
        "item": item,
        "indicator_label": _indicator_label(item.indicator),
        "source": source,
        "actions": actions,
        "may_edit": item.is_open and permissions.may_edit(user, item),
        "may_measure": item.status == ItemStatus.REVIEW
        and bool(item.indicator)
        and permissions.may_measure(user, item),
        "may_benefit": item.status in (ItemStatus.REVIEW, ItemStatus.CLOSED) and permissions.may_edit(user, item),
        "measure_form": measure_form
        or MeasureForm(initial={"days": min(services.DEFAULT_WINDOW_DAYS, longest) or None}),
        "benefit_form": benefit_form
        or BenefitForm(
            initial={"benefits": item.benefits, "benefit_amount": item.benefit_amount, "version": item.version}
        ),
        "longest": longest,
        "latest": latest,
        "statement": effect_statement(latest),
        "chart": _chart(item, latest),
        "history": history,
        "timeline": _timeline_rows(item),
    }
    return render(request, "improvement/item_detail.html", context, status=status)


class ItemDetailView(RoleRequiredMixin, View):
    """`/improvement/<pk>/`: one item."""

    allowed_roles = STAFF_ROLES

    def get(self, request, pk):
        return item_page(request, selectors.item_get(user=request.user, pk=pk))


def _render_form(request, form, *, title, back, status=200, item=None, source=None):
    context = {
        "form": form,
        "title": title,
        "action": request.get_full_path(),
        "back": back,
        "item": item,
        "source": source,
    }
    return render(request, "improvement/item_form.html", context, status=status)


class ItemCreateView(RoleRequiredMixin, View):
    """`/improvement/new/` (optionally `?source=<kind>:<id>`): raise an improvement, by hand or from a source."""

    allowed_roles = CREATORS

    def _source(self, request):
        raw = request.GET.get("source", "")
        if not raw:
            return None, {}
        kind, pk = sources.parse(raw)
        linked = sources.require(user=request.user, kind=kind, pk=pk, organisation_id=request.user.organisation_id)
        initial = {"source_kind": kind, "source_id": pk}
        if linked is not None and linked.vendor_id:
            initial["vendor"] = linked.vendor_id
        return linked, initial

    def get(self, request):
        _require(permissions.may_create(request.user))
        try:
            linked, initial = self._source(request)
        except ApplicationError as exc:
            show_error(request, exc)
            return redirect("improvement:list")
        initial.setdefault("owner", request.user.pk)
        form = ItemForm(user=request.user, initial=initial)
        return _render_form(request, form, title=_("Raise an improvement"), back="improvement:list", source=linked)

    def post(self, request):
        _require(permissions.may_create(request.user))
        form = ItemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                item = services.item_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Improvement %(number)s was raised.") % {"number": item.number})
                return redirect(item)
        return _render_form(request, form, title=_("Raise an improvement"), back="improvement:list", status=400)


def _content_only(request, item) -> bool:
    """The owner (not a client operator) edits the item's text and target date only."""
    return not permissions.may_manage(request.user, item)


class ItemEditView(RoleRequiredMixin, View):
    """`/improvement/<pk>/edit/`: change an item's details."""

    allowed_roles = STAFF_ROLES

    def _item(self, request, pk):
        item = selectors.item_get(user=request.user, pk=pk)
        _require(permissions.may_edit(request.user, item))
        return item

    def get(self, request, pk):
        item = self._item(request, pk)
        initial = {name: getattr(item, name) for name in ITEM_FIELDS}
        initial |= {
            "owner": item.owner_id,
            "approver": item.approver_id,
            "vendor": item.vendor_id,
            "contract": item.contract_id,
            "service": item.service_id,
        }
        form = ItemForm(user=request.user, initial=initial, editing=True, content_only=_content_only(request, item))
        return _render_form(request, form, title=_("Edit improvement"), back=item, item=item)

    def post(self, request, pk):
        item = self._item(request, pk)
        form = ItemForm(request.POST, user=request.user, editing=True, content_only=_content_only(request, item))
        if form.is_valid():
            try:
                services.item_update(
                    actor=request.user,
                    item=item,
                    expected_version=_version(request.POST.get("version")),
                    **form.cleaned_data,
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The improvement was saved."))
                return redirect(item)
        return _render_form(request, form, title=_("Edit improvement"), back=item, item=item, status=400)


class ItemTransitionView(RoleRequiredMixin, View):
    """`/improvement/<pk>/transition/` (POST `action`, `note`, `implemented_on`, `version`): move the item along."""

    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        item = selectors.item_get(user=request.user, pk=pk)
        form = TransitionForm(request.POST)
        if not form.is_valid() or form.cleaned_data["action"] not in ItemAction.values:
            messages.error(request, _("Choose an action and give a valid date."))
            return redirect(item)
        data = form.cleaned_data
        action = data["action"]
        _require(permissions.may_act(request.user, item, action))
        try:
            services.item_transition(
                actor=request.user,
                item=item,
                action=action,
                expected_version=data["version"],
                note=data["note"],
                implemented_on=data["implemented_on"],
            )
        except ApplicationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ItemAction(action).label})
        return redirect(item)


class ItemMeasureView(RoleRequiredMixin, View):
    """`/improvement/<pk>/measure/` (POST `days`): measure the effect at review."""

    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        item = selectors.item_get(user=request.user, pk=pk)
        _require(permissions.may_measure(request.user, item))
        form = MeasureForm(request.POST)
        if form.is_valid():
            try:
                services.effect_measure(actor=request.user, item=item, days=form.cleaned_data["days"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The effect was measured."))
                return redirect(item)
        return item_page(request, item, status=400, measure_form=form)


class ItemBenefitView(RoleRequiredMixin, View):
    """`/improvement/<pk>/benefit/` (POST `benefits`, `benefit_amount`): record the benefit realised."""

    allowed_roles = STAFF_ROLES

    def post(self, request, pk):
        item = selectors.item_get(user=request.user, pk=pk)
        _require(permissions.may_edit(request.user, item))
        form = BenefitForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.benefit_record(
                    actor=request.user,
                    item=item,
                    benefits=data["benefits"],
                    benefit_amount=data["benefit_amount"],
                    expected_version=data["version"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The benefit was recorded."))
                return redirect(item)
        return item_page(request, item, status=400, benefit_form=form)
