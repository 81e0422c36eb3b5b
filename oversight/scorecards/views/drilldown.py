"""Drill-down pages: the work orders, ratings, complaints or entries behind an indicator or a commitment."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from oversight.core.views import paginate
from oversight.scorecards import selectors
from oversight.scorecards.choices import (
    RECORD_CERTIFICATE,
    RECORD_COMPLAINT,
    RECORD_MANUAL,
    RECORD_RATING,
    RECORD_STAFF_MEMBER,
    RECORD_WORK_ORDER,
)
from oversight.scorecards.views.display import figure, labelled_sets


def _drilldown(request, result, *, title, template="scorecards/drilldown.html"):
    """Render one named set of records behind a result, paginated in the order that suits its record type."""
    sets = labelled_sets(result)
    which = request.GET.get("set") or (sets[0][0] if sets else "numerator")
    record_type = RECORD_WORK_ORDER if which == "excluded" else result.record_type
    records = selectors.drilldown_records(user=request.user, result=result, which=which)
    ordering = {
        RECORD_WORK_ORDER: ("created_at", "pk"),
        RECORD_RATING: ("created_at", "pk"),
        RECORD_COMPLAINT: ("opened_at", "pk"),
        RECORD_MANUAL: ("-entered_at", "-pk"),
        RECORD_STAFF_MEMBER: ("position", "name", "pk"),
        RECORD_CERTIFICATE: ("expires_on", "staff_member__name", "pk"),
    }.get(record_type, ("pk",))
    context = {
        "result": result,
        "period": result.period,
        "title": title,
        "sets": sets,
        "which": which,
        "record_type": record_type,
        "page": paginate(records.order_by(*ordering), request),
        "total": len(selectors.record_ids(result, which)),
    }
    return render(request, template, context)


class ResultDrilldownView(LoginRequiredMixin, View):
    """`/scorecards/results/<pk>/?set=…`: the work orders, ratings, complaints or entries behind an indicator."""

    def get(self, request, pk):
        result = selectors.result_get(user=request.user, pk=pk)
        result.value_text = figure(result.value, result.unit)
        return _drilldown(request, result, title=result.indicator.name)


class CommitmentDrilldownView(LoginRequiredMixin, View):
    """`/scorecards/commitment-results/<pk>/?set=…`: the records behind a commitment's measured value."""

    def get(self, request, pk):
        result = selectors.commitment_result_get(user=request.user, pk=pk)
        result.value_text = figure(result.measured_value, result.unit)
        result.groups = {}
        return _drilldown(request, result, title=result.name)
