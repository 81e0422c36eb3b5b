"""The permission matrix's knowledge of the feedback app: ratings, complaints and prize draws.

Rules (MISSION.md "Visibility", the feedback app's stated design): a rating is seen by its requester, by the
staff of the rated vendor and by the client side of the organisation; complaints by the client side and by the
staff of the complained-about vendor (never by requesters, whose complaint pages are refused), with internal
notes for the client side only; prize draws by the client side only. Only the client's administrators and
supervisors open complaints on a work order.
"""

from __future__ import annotations

import datetime as dt

from oversight.core import clock
from oversight.feedback.models import Complaint, ComplaintEvent, PrizeDraw, Rating, RatingInvitation
from oversight.feedback.services import complaints as complaint_services
from oversight.feedback.services import draws as draw_services
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import (
    CLIENT_SIDE,
    VENDOR_SIDE,
    Matrix,
    Payload,
    describe_app,
    secret,
    side,
)

COMPLAINT_READERS = CLIENT_SIDE | VENDOR_SIDE
OPERATORS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR})
TRANSITIONS = ("investigate", "resolve", "close", "reopen")
RATED = ("A1", "B1", "X1")


def _last_quarter(today: dt.date) -> tuple[int, int, dt.datetime]:
    """(year, quarter) of the quarter before today's, and a moment in its middle (UTC)."""
    quarter_start_month = (today.month - 1) // 3 * 3 + 1
    previous_end = dt.date(today.year, quarter_start_month, 1) - dt.timedelta(days=1)
    quarter = (previous_end.month - 1) // 3 + 1
    middle = dt.datetime(previous_end.year, (quarter - 1) * 3 + 2, 15, 12, tzinfo=dt.UTC)
    return previous_end.year, quarter, middle


def build(matrix: Matrix) -> None:
    users = matrix.users
    year, quarter, rated_at = _last_quarter(clock.now().date())
    ratings, complaints, draws = {}, {}, {}
    for key in RATED:
        wo = matrix.work_orders[key]
        # Made directly: rating through a link needs a resolved work order, and the shared world's stay open.
        ratings[key] = Rating.objects.create(
            organisation_id=wo.organisation_id,
            work_order=wo,
            vendor_id=wo.vendor_id,
            requester_id=wo.requester_id,
            stars=2,
            comment=secret(key, "RatingNote"),
            channel="portal",
            created_at=rated_at,
        )
        operator = users["foreign_admin" if key == "X1" else "client_supervisor"]
        complaint = complaint_services.complaint_open(
            actor=operator, work_order=wo, summary=secret(key, "Complaint"), description=secret(key, "Grievance")
        )
        complaint_services.complaint_comment(
            actor=operator, complaint=complaint, body=secret(key, "ComplaintInternal"), is_internal=True
        )
        complaint_services.complaint_comment(actor=operator, complaint=complaint, body=secret(key, "ComplaintReply"))
        complaint.refresh_from_db()
        complaints[key] = complaint
    for key, role in (("A", "client_supervisor"), ("X", "foreign_admin")):
        draws[key] = draw_services.prize_draw_publish(
            actor=users[role], year=year, quarter=quarter, seed_source=secret(key, "SeedSource"), winners_count=1
        )
    matrix.objects["rating"] = ratings
    matrix.objects["complaint"] = complaints
    matrix.objects["prize_draw"] = draws


def sees_rating(matrix: Matrix, role: str, rating) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != rating.organisation_id:
        return False
    who = side(user)
    return (
        who == "client"
        or (who == "vendor" and rating.vendor_id == user.vendor_id)
        or (who == "requester" and rating.requester_id == user.pk)
    )


def sees_complaint(matrix: Matrix, role: str, complaint) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != complaint.organisation_id:
        return False
    who = side(user)
    return who == "client" or (who == "vendor" and complaint.vendor_id == user.vendor_id)


def sees_draw(matrix: Matrix, role: str, draw) -> bool:
    user = matrix.user(role)
    return user is not None and user.organisation_id == draw.organisation_id and side(user) == "client"


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for key, rating in matrix.objects["rating"].items():
        if not sees_rating(matrix, role, rating):
            out[secret(key, "RatingNote")] = f"rating of {key}"
    for key, complaint in matrix.objects["complaint"].items():
        visible = sees_complaint(matrix, role, complaint)
        if not visible:
            for what in ("Complaint", "Grievance", "ComplaintReply"):
                out[secret(key, what)] = f"complaint on {key}"
        if not visible or side(matrix.user(role)) != "client":
            out[secret(key, "ComplaintInternal")] = f"internal note of the complaint on {key}"
    for key, draw in matrix.objects["prize_draw"].items():
        if not sees_draw(matrix, role, draw):
            out[draw.seed_source] = f"prize draw {key}"
    return out


def _complaint(target) -> Complaint:
    return target.obj if isinstance(target.obj, Complaint) else None


def _versioned(extra):
    def make(target, matrix):
        complaint = _complaint(target)
        return Payload({"expected_version": complaint.version if complaint else 1, **extra(matrix)})

    return make


def _publish(matrix: Matrix) -> dict:
    year, quarter, _middle = _last_quarter(clock.now().date())
    return {"year": year - 1, "quarter": quarter, "winners_count": 1, "seed_source": "PmxSeedSource"}


describe_app(
    "feedback",
    models={"rating": Rating, "complaint": Complaint, "prize_draw": PrizeDraw},
    build=build,
    rules={"rating": sees_rating, "complaint": sees_complaint, "prize_draw": sees_draw},
    words=words,
    tables=(Rating, RatingInvitation, Complaint, ComplaintEvent, PrizeDraw),
    excluded={
        "feedback:rate": "the public rating page (no sign-in by design; anonymous callers get 404/410, never a login "
        "redirect) whose <token> is a rating token: tests/feedback/test_feedback_rating_page.py",
    },
    pk_models={
        "feedback:complaint_detail": "complaint",
        "feedback:complaint_act": "complaint",
        "feedback:complaint_comment": "complaint",
        "feedback:complaint_assign": "complaint",
        "feedback:draw_detail": "prize_draw",
        "feedback:draw_verify": "prize_draw",
        "feedback:draw_participants": "prize_draw",
    },
    action_kwargs={
        ("feedback:complaint_act", "action"): TRANSITIONS,
        ("api:complaint-transition", "transition"): TRANSITIONS,
    },
    gates={
        "feedback:complaint_create": OPERATORS,
        "feedback:complaints": COMPLAINT_READERS,
        "feedback:complaint_detail": COMPLAINT_READERS,
        "feedback:complaint_act": COMPLAINT_READERS,
        "feedback:complaint_comment": COMPLAINT_READERS,
        "feedback:complaint_assign": COMPLAINT_READERS,
        "api:complaint-list": COMPLAINT_READERS,
        "api:complaint-detail": COMPLAINT_READERS,
        "api:complaint-assign": COMPLAINT_READERS,
        "api:complaint-comments": COMPLAINT_READERS,
        "api:complaint-transition": COMPLAINT_READERS,
        "feedback:draws": CLIENT_SIDE,
        "feedback:draw_detail": CLIENT_SIDE,
        "feedback:draw_verify": CLIENT_SIDE,
        "feedback:draw_participants": CLIENT_SIDE,
        "api:prize-draw-list": CLIENT_SIDE,
        "api:prize-draw-detail": CLIENT_SIDE,
        "api:prize-draw-draw": CLIENT_SIDE,
        "api:prize-draw-verify": CLIENT_SIDE,
    },
    payloads={
        ("feedback:rating_link", "post"): lambda target, matrix: Payload({}),
        ("feedback:rating_qr", "post"): lambda target, matrix: Payload({}),
        ("feedback:complaint_create", "post"): lambda target, matrix: Payload(
            {"source": "hotline", "summary": "PmxOpened"}
        ),
        ("feedback:complaint_act", "post"): _versioned(lambda matrix: {"text": "PmxAct"}),
        ("feedback:complaint_comment", "post"): lambda target, matrix: Payload({"body": "PmxComplaintComment"}),
        ("feedback:complaint_assign", "post"): _versioned(
            lambda matrix: {"assignee": matrix.users["client_supervisor"].pk}
        ),
        ("feedback:draws", "post"): lambda target, matrix: Payload(_publish(matrix)),
        ("feedback:draw_detail", "post"): lambda target, matrix: Payload({"seed": "PmxSeed"}),
        ("api:complaint-list", "post"): lambda target, matrix: Payload(
            {"work_order": matrix.work_orders["A1"].pk, "summary": "PmxOpened"}, json=True
        ),
        ("api:complaint-transition", "post"): lambda target, matrix: Payload({"text": "PmxAct"}, json=True),
        ("api:complaint-comments", "post"): lambda target, matrix: Payload({"body": "PmxComment"}, json=True),
        ("api:complaint-assign", "post"): lambda target, matrix: Payload({"assignee": None}, json=True),
        ("api:prize-draw-list", "post"): lambda target, matrix: Payload(_publish(matrix), json=True),
        ("api:prize-draw-draw", "post"): lambda target, matrix: Payload({"seed": "PmxSeed"}, json=True),
    },
)
