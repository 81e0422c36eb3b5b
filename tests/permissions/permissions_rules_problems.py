"""The permission matrix's knowledge of the problems app: problems, known errors and suggestions.

Rules (issue 9 "Problems and known errors", the problems app's stated design): the client side of the
organisation sees every problem, known error and suggestion; vendor staff see the problems attributed to their
vendor and those linked to one of their vendor's work orders, and the known errors of their vendor; suggestions
are the client's alone; requesters and other organisations see none. The client's administrators and
supervisors write; the attributed vendor's manager may also open the analysis page; only a client administrator
changes the settings.
"""

from __future__ import annotations

from oversight.problems import services
from oversight.problems.choices import ProblemAction
from oversight.problems.models import (
    KnownError,
    Problem,
    ProblemEvent,
    ProblemIncident,
    ProblemSettings,
    ProblemSuggestion,
)
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import CLIENT_SIDE, VENDOR_SIDE, Matrix, Payload, describe_app, secret, side

READERS = CLIENT_SIDE | VENDOR_SIDE
OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
ANALYSTS = OPERATORS | {Role.VENDOR_MANAGER}
# Instance key -> (vendor attribute of the world or None, work order linked or None, organisation "A" or "X").
PROBLEMS = {
    "A.V1": ("vendor", None, "A"),
    "A.linkB": (None, "B1", "A"),
    "X": ("foreign_vendor", None, "X"),
}


def _key(instance: str) -> str:
    return "P" + instance.replace(".", "")


def build(matrix: Matrix) -> None:
    world = matrix.world
    problems, known_errors, suggestions = {}, {}, {}
    for instance, (vendor_attr, linked, org) in PROBLEMS.items():
        actor = matrix.users["foreign_admin" if org == "X" else "client_supervisor"]
        key = _key(instance)
        problem = services.problem_create(
            actor=actor,
            title=secret(key, "Title"),
            description=secret(key, "Desc"),
            vendor=getattr(world, vendor_attr) if vendor_attr else None,
            work_orders=[matrix.work_orders[linked]] if linked else [],
        )
        problem = services.problem_update_analysis(
            actor=actor, problem=problem, root_cause=secret(key, "Cause"), workaround=secret(key, "Workaround")
        )
        problems[instance] = problem
        if instance != "A.linkB":
            services.problem_transition(actor=actor, problem=problem, action="analyse")
            services.problem_transition(actor=actor, problem=problem, action="record_known_error")
            known_errors[instance] = KnownError.objects.get(problem=problem)
        suggestion_key = f"service:{key}"
        suggestions[instance] = ProblemSuggestion.objects.create(
            organisation=problem.organisation,
            dimension="service",
            key=suggestion_key,
            work_order_ids=[],
            window_start=problem.created_at,
            created_at=problem.created_at,
        )
    # A known error of the client's own, attributed to nobody: vendor staff do not see it.
    known_errors["A.none"] = KnownError.objects.create(
        organisation=world.org,
        title=secret("KEAnone", "Title"),
        symptom=secret("KEAnone", "Symptom"),
        created_by=matrix.users["client_supervisor"],
        created_at=problems["A.V1"].created_at,
        updated_at=problems["A.V1"].created_at,
    )
    matrix.objects["problem"] = problems
    matrix.objects["known_error"] = known_errors
    matrix.objects["problem_suggestion"] = suggestions


def sees_problem(matrix: Matrix, role: str, problem) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != problem.organisation_id:
        return False
    who = side(user)
    if who == "client":
        return True
    if who != "vendor":
        return False
    linked_vendors = set(ProblemIncident.objects.filter(problem=problem).values_list("work_order__vendor", flat=True))
    return problem.vendor_id == user.vendor_id or user.vendor_id in linked_vendors


def sees_known_error(matrix: Matrix, role: str, known) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != known.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and known.vendor_id == user.vendor_id)


def sees_suggestion(matrix: Matrix, role: str, suggestion) -> bool:
    user = matrix.user(role)
    return user is not None and user.organisation_id == suggestion.organisation_id and side(user) == "client"


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for instance, problem in matrix.objects["problem"].items():
        if not sees_problem(matrix, role, problem):
            for what in ("Title", "Desc", "Cause", "Workaround"):
                out[secret(_key(instance), what)] = f"problem {instance}"
    for instance, known in matrix.objects["known_error"].items():
        if not sees_known_error(matrix, role, known) and not (
            known.problem_id and sees_problem(matrix, role, known.problem)
        ):
            out[known.title] = f"known error {instance}"
    return out


def get_status(matrix: Matrix, role: str, target) -> int | None:
    """Permitted GETs that are not a plain 200: a vendor manager opening the analysis of a problem that is not
    attributed to their vendor is sent back to the problem."""
    if target.endpoint.name == "problems:analysis":
        user = matrix.user(role)
        if side(user) == "vendor" and target.obj.vendor_id != user.vendor_id:
            return 302
    return None


def _version(target) -> dict:
    return {"version": getattr(target.obj, "version", 1)}


def _json(data):
    return lambda target, matrix: Payload(data(target, matrix), json=True)


def _form(data):
    return lambda target, matrix: Payload(data(target, matrix) if callable(data) else dict(data))


describe_app(
    "problems",
    models={"problem": Problem, "known_error": KnownError, "problem_suggestion": ProblemSuggestion},
    build=build,
    rules={"problem": sees_problem, "known_error": sees_known_error, "problem_suggestion": sees_suggestion},
    words=words,
    get_status=get_status,
    tables=(Problem, ProblemEvent, ProblemIncident, KnownError, ProblemSuggestion, ProblemSettings),
    pk_models={
        "problems:detail": "problem",
        "problems:edit": "problem",
        "problems:analysis": "problem",
        "problems:transition": "problem",
        "problems:link": "problem",
        "problems:unlink": "problem",
        "problems:communicate": "problem",
        "problems:known_error_detail": "known_error",
        "problems:known_error_edit": "known_error",
        "problems:suggestion_accept": "problem_suggestion",
        "problems:suggestion_dismiss": "problem_suggestion",
    },
    gates={
        "problems:list": READERS,
        "problems:detail": READERS,
        "problems:known_errors": READERS,
        "problems:known_error_suggest": READERS,
        "problems:known_error_detail": READERS,
        "problems:create": OPERATORS,
        "problems:edit": OPERATORS,
        "problems:analysis": ANALYSTS,
        "problems:transition": OPERATORS,
        "problems:link": OPERATORS,
        "problems:unlink": OPERATORS,
        "problems:communicate": OPERATORS,
        "problems:known_error_edit": OPERATORS,
        "problems:suggestions": CLIENT_SIDE,
        "problems:suggestion_accept": OPERATORS,
        "problems:suggestion_dismiss": OPERATORS,
        "problems:settings": frozenset({Role.CLIENT_ADMIN}),
        "api:problem-list": READERS,
        "api:problem-detail": READERS,
        "api:problem-analysis": READERS,
        "api:problem-transition": READERS,
        "api:problem-incidents": READERS,
        "api:problem-unlink": READERS,
        "api:problem-communicate": READERS,
        "api:known-error-list": READERS,
        "api:known-error-detail": READERS,
        "api:problem-suggestion-list": CLIENT_SIDE,
        "api:problem-suggestion-detail": CLIENT_SIDE,
        "api:problem-suggestion-accept": CLIENT_SIDE,
        "api:problem-suggestion-dismiss": CLIENT_SIDE,
    },
    action_kwargs={("api:problem-transition", "transition"): tuple(ProblemAction.values)},
    payloads={
        ("problems:create", "post"): _form({"title": "PmxNewProblem", "impact": 2, "urgency": 2}),
        ("problems:edit", "post"): _form(
            lambda t, m: {"title": "PmxEdited", "impact": 2, "urgency": 2, "version": getattr(t.obj, "version", 1)}
        ),
        ("problems:analysis", "post"): _form(
            lambda t, m: {
                "root_cause": "PmxCause",
                "workaround_effect": "works",
                "version": getattr(t.obj, "version", 1),
            }
        ),
        ("problems:transition", "post"): _form(
            lambda t, m: {"action": "cancel", "note": "PmxCancel", "version": getattr(t.obj, "version", 1)}
        ),
        ("problems:link", "post"): _form(lambda t, m: {"numbers": m.work_orders["A2"].number}),
        ("problems:unlink", "post"): _form(lambda t, m: {"work_order": m.work_orders["B1"].pk}),
        ("problems:communicate", "post"): _form(lambda t, m: {"version": getattr(t.obj, "version", 1)}),
        ("problems:known_error_edit", "post"): _form({"title": "PmxKnown", "symptom": "PmxSymptom"}),
        ("problems:suggestion_accept", "post"): _form({}),
        ("problems:suggestion_dismiss", "post"): _form({}),
        ("problems:settings", "post"): _form({"min_incidents": 4, "window_days": 3}),
        ("api:problem-list", "post"): _json(lambda t, m: {"title": "PmxApiProblem"}),
        ("api:problem-detail", "patch"): _json(lambda t, m: {"title": "PmxPatched"}),
        ("api:problem-analysis", "post"): _json(lambda t, m: {"root_cause": "PmxApiCause"}),
        ("api:problem-transition", "post"): _json(lambda t, m: {"note": "PmxApiNote"}),
        ("api:problem-incidents", "post"): _json(lambda t, m: {"work_orders": [m.work_orders["A2"].pk]}),
        ("api:problem-unlink", "post"): _json(lambda t, m: {"work_order": m.work_orders["B1"].pk}),
        ("api:problem-communicate", "post"): _json(lambda t, m: {}),
        ("api:problem-suggestion-accept", "post"): _json(lambda t, m: {}),
        ("api:problem-suggestion-dismiss", "post"): _json(lambda t, m: {}),
    },
)
