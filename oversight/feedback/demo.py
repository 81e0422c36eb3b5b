"""Demo ratings, complaints and a prize draw, made through the real services with the clock moved back."""

from __future__ import annotations

import datetime as dt
import random

from oversight.core.clock import frozen_at
from oversight.core.errors import ApplicationError
from oversight.feedback.models import PrizeDraw, Rating
from oversight.feedback.services.draws import prize_draw_publish, prize_draw_run
from oversight.feedback.services.ratings import rating_link_for_requester, rating_submit
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from oversight.tickets.choices import Status
from oversight.tickets.models import WorkOrder

# Stars as requesters give them in a hospital: mostly content, a few unhappy (who open complaints).
STAR_WEIGHTS = {5: 52, 4: 30, 3: 11, 2: 5, 1: 2}
COMMENTS = {
    5: ["处理很及时，谢谢！", "工程师很专业", "Quick and friendly, thank you."],
    4: ["解决了，稍微慢了一点", "服务态度好"],
    3: ["等了比较久", "问题解决了但沟通不够"],
    2: ["拖了两天才来", "第二次报修才解决"],
    1: ["完全没人理", "打印机还是坏的"],
}


def load_demo_ratings(organisation, *, share: float = 0.08, seed: int = 2026) -> int:
    """Rate a seeded share of the resolved and closed work orders, each an hour or two after resolution."""
    if Rating.objects.filter(work_order__organisation=organisation).exists():
        return 0
    rng = random.Random(seed)
    candidates = list(
        WorkOrder.objects.filter(
            organisation=organisation, status__in=[Status.RESOLVED, Status.CLOSED], resolved_at__isnull=False
        )
        .exclude(requester__vendor__isnull=False)
        .select_related("requester")
        .order_by("pk")
    )
    made = 0
    stars_values, weights = zip(*STAR_WEIGHTS.items())
    for work_order in candidates:
        if rng.random() >= share:
            continue
        stars = rng.choices(stars_values, weights)[0]
        at = work_order.resolved_at + dt.timedelta(minutes=rng.randint(20, 600))
        with frozen_at(at):
            link = rating_link_for_requester(actor=work_order.requester, work_order=work_order)
            rating_submit(
                token=link.token,
                stars=stars,
                comment=rng.choice(COMMENTS[stars]) if rng.random() < 0.4 else "",
                recommend=min(10, max(0, stars * 2 + rng.randint(-1, 0))) if rng.random() < 0.6 else None,
            )
        made += 1
    return made


def load_demo_draw(organisation, *, year: int = 2026, quarter: int = 3) -> PrizeDraw | None:
    """Publish and run the quarter's prize draw among the requesters who rated, with a published seed."""
    existing = PrizeDraw.objects.filter(organisation=organisation).first()
    if existing:
        return existing
    supervisor = User.objects.filter(organisation=organisation, role=Role.CLIENT_SUPERVISOR, is_active=True).first()
    if supervisor is None:
        return None
    end_of_quarter = dt.datetime(year, quarter * 3, 28, tzinfo=dt.UTC) + dt.timedelta(days=10)
    with frozen_at(end_of_quarter):
        try:
            draw = prize_draw_publish(
                actor=supervisor,
                year=year,
                quarter=quarter,
                seed_source="体彩大乐透 2026-10-12 开奖号码 / lottery draw of 2026-10-12",
                winners_count=3,
            )
        except ApplicationError:
            return None  # a small demo may have nobody who rated in that quarter: nothing to draw
    with frozen_at(end_of_quarter + dt.timedelta(days=3)):
        return prize_draw_run(actor=supervisor, draw=draw, seed="03 11 19 27 33 + 05 09")
