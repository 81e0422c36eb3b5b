"""Reads of problems, their links, known errors and suggestions, limited to what the acting user may see.

Vendor staff see the problems attributed to their vendor and those linked to one of their vendor's work orders
(both through the one gate: ``Problem.visibility`` and ``ProblemIncident.visibility``); requesters see none;
the client's roles see their organisation's.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from oversight.core.zones import local_today
from oversight.problems import matching
from oversight.problems.choices import OPEN_PROBLEM_STATUSES
from oversight.problems.models import KnownError, Problem, ProblemIncident, ProblemSettings, ProblemSuggestion
from oversight.tenancy.roles import is_vendor
from oversight.tenancy.visibility import restrict

LIST_RELATED = ("service", "vendor", "owner")


def problem_list(*, user) -> QuerySet[Problem]:
    """Problems the user may see, with what list pages need joined in."""
    qs = Problem.objects.select_related(*LIST_RELATED)
    own = restrict(Problem.objects.all(), user)
    if is_vendor(user):
        linked = restrict(ProblemIncident.objects.all(), user).values("problem_id")
        return qs.filter(Q(pk__in=own.values("pk")) | Q(pk__in=linked))
    return restrict(qs, user)


def problem_list_annotated(*, user) -> QuerySet[Problem]:
    """The visible problems with the number of linked incidents the user may see."""
    links = restrict(ProblemIncident.objects.all(), user).values("pk")
    return problem_list(user=user).annotate(
        incident_count=Count("incident_links", filter=Q(incident_links__in=links), distinct=True)
    )


def problem_get(*, user, number: str) -> Problem:
    """One visible problem by its number, or 404 (never 403)."""
    try:
        return problem_list(user=user).select_related("contract", "commitment", "created_by").get(number=number)
    except (Problem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def problem_get_by_pk(*, user, pk) -> Problem:
    """One visible problem by primary key (the API), or 404."""
    try:
        return problem_list(user=user).select_related("contract", "commitment", "created_by").get(pk=pk)
    except (Problem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def problem_incidents(*, user, problem: Problem) -> QuerySet[ProblemIncident]:
    """The problem's linked incidents the user may see, with their live status and SLA columns."""
    return (
        restrict(ProblemIncident.objects.filter(problem=problem), user)
        .select_related("work_order__service", "work_order__vendor", "work_order__assignee", "linked_by")
        .order_by("linked_at", "id")
    )


def problem_events(*, problem: Problem):
    """The timeline of a visible problem, oldest first."""
    return problem.events.select_related("actor").order_by("seq")


def problem_for_work_order(*, user, work_order) -> ProblemIncident | None:
    """The visible link of a work order to its problem, if the user may see both (None otherwise)."""
    link = (
        restrict(ProblemIncident.objects.filter(work_order=work_order), user)
        .select_related("problem", "linked_by")
        .first()
    )
    if link is None or not problem_list(user=user).filter(pk=link.problem_id).exists():
        return None
    return link


def open_problems(*, user) -> QuerySet[Problem]:
    """Visible problems still open (to link an incident to)."""
    return problem_list(user=user).filter(status__in=OPEN_PROBLEM_STATUSES)


def known_error_list(*, user) -> QuerySet[KnownError]:
    """Known errors the user may see."""
    return restrict(KnownError.objects.select_related("problem", "service", "vendor"), user)


def known_error_current(*, user) -> QuerySet[KnownError]:
    """Known errors the user may see that have not expired (a record without expiry stays current)."""
    qs = known_error_list(user=user)
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return qs
    return qs.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=local_today(organisation)))


def known_error_get(*, user, pk) -> KnownError:
    """One visible known error, or 404."""
    try:
        return known_error_list(user=user).get(pk=pk)
    except (KnownError.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


#: How many current known errors a search reads at most (an organisation records dozens to hundreds).
SEARCH_CANDIDATES = 2000


def known_error_search(*, user, text: str, limit: int = 5) -> list[KnownError]:
    """The current known errors the user may see that match a text (a work order's description as it is typed,
    or a search box), best first: Chinese by character pairs, other languages by words (`problems.matching`)."""
    if not (text or "").strip():
        return []
    rows = known_error_current(user=user).values_list("pk", "title", "symptom", "root_cause", "workaround")[
        :SEARCH_CANDIDATES
    ]
    candidates = [(pk, " ".join((title, symptom, cause, workaround))) for pk, title, symptom, cause, workaround in rows]
    ranked = matching.rank(text, candidates, limit=limit)
    by_pk = known_error_list(user=user).in_bulk([m.id for m in ranked])
    return [by_pk[m.id] for m in ranked if m.id in by_pk]


def suggestion_list(*, user) -> QuerySet[ProblemSuggestion]:
    """Problem suggestions the user may see (the client side of the organisation)."""
    related = ("service", "category", "configuration_item", "problem")
    return restrict(ProblemSuggestion.objects.select_related(*related), user)


def suggestion_get(*, user, pk) -> ProblemSuggestion:
    """One visible suggestion, or 404."""
    try:
        return suggestion_list(user=user).get(pk=pk)
    except (ProblemSuggestion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def settings_for(organisation) -> ProblemSettings:
    """The organisation's problem settings (an unsaved blank row when it never saved any)."""
    found = ProblemSettings.objects.select_related("calendar").filter(organisation=organisation).first()
    return found or ProblemSettings(organisation=organisation)


def incident_has_open_problem(work_order) -> bool:
    """Whether the work order is linked to a problem still open (the condition of "wait for the problem"; a fact
    of the work order, asked by the tickets transition for whoever may act on it)."""
    return ProblemIncident.objects.filter(work_order=work_order, problem__status__in=OPEN_PROBLEM_STATUSES).exists()
