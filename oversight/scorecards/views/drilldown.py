"""Drill-down pages: the work orders, ratings, complaints or entries behind an indicator or a commitment."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from oversight.core.views import paginate
from oversight.scorecards import selectors
from oversight.scorecards.views.display import figure, labelled_sets


def _drilldown(request, result, *, title, template="scorecards/drilldown.html"):
    """Render one named set of records behind a result, paginated in the order its registered record kind gives."""
    sets = labelled_sets(result)
    which = request.GET.get("set") or (sets[0][0] if sets else "numerator")
    kind = selectors.drilldown_kind(result, which)  # the registered kind of record (oversight.core.kpis)
    records = selectors.drilldown_records(user=request.user, result=result, which=which)
    context = {
        "result": result,
        "period": result.period,
        "title": title,
        "sets": sets,
        "which": which,
        "record_type": kind.key if kind else result.record_type,
        "record_template": kind.template if kind else "scorecards/partials/records/none.html",
        "page": paginate(records.order_by(*(kind.ordering if kind else ("pk",))), request),
        "total": len(selectors.record_ids(result, which)),
    }
    return render(request, template, context)


class ResultDrilldownView(LoginRequiredMixin, View):
    """`/scorecards/results/<pk>/?set=…`: the work orders, ratings, complaints or entries behind an indicator."""

    def get(self, request, pk):
        result = selectors.result_get(user=request.user, pk=pk)
        result.value_text = figure(result.value, result.unit)
        return _drilldown(request, result, title=result.indicator.localized_name)


class CommitmentDrilldownView(LoginRequiredMixin, View):
    """`/scorecards/commitment-results/<pk>/?set=…`: the records behind a commitment's measured value."""

    def get(self, request, pk):
        result = selectors.commitment_result_get(user=request.user, pk=pk)
        result.value_text = figure(result.measured_value, result.unit)
        result.groups = {}
        return _drilldown(request, result, title=result.localized_name)
