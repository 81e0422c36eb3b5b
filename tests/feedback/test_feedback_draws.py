"""The quarterly prize draw (抽奖): participants are the distinct requesters who rated in the quarter (in the
organisation's time zone, half-open), frozen and published with their digest and the seed source, then drawn;
the stored result is reproducible by an independent calculation and by the verify page."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from oversight.feedback import services as feedback
from oversight.feedback.draw import participants_digest
from oversight.feedback.models import PrizeDraw
from oversight.feedback.selectors import prize_draw_verify
from tests.factories import UserFactory

# 2026 Q1 in Asia/Shanghai (UTC+8) is [2025-12-31 16:00 UTC, 2026-03-31 16:00 UTC).
Q1_START = dt.datetime(2025, 12, 31, 16, 0, tzinfo=dt.UTC)
Q1_END = dt.datetime(2026, 3, 31, 16, 0, tzinfo=dt.UTC)
AFTER = dt.datetime(2026, 4, 2, 2, 0, tzinfo=dt.UTC)
SEED = "China Welfare Lottery 2026-04-07: 03 11 19 24 30 + 07"


def independent_winners(ids: list[str], seed: str, k: int) -> list[str]:
    """The published recipe, written out with hashlib only."""
    unique = sorted(set(ids))
    return sorted(unique, key=lambda i: (hashlib.sha256(f"{seed}:{i}".encode()).hexdigest(), i))[:k]


@pytest.fixture
def rated_at(world, resolve, rate):
    """`rated_at(requester, instant, stars=5)`: a work order resolved and rated by that requester at that instant."""

    def make(requester, instant: dt.datetime, stars: int = 5, service=None):
        with clock.frozen_at(instant - dt.timedelta(hours=1)):
            work_order = resolve(requester=requester, title=f"wo {instant.isoformat()}", service=service)
        with clock.frozen_at(instant):
            return rate(work_order, stars=stars)

    return make


@pytest.fixture
def raters(world, rated_at):
    """Six requesters of the organisation; five rated in 2026 Q1 (one of them twice), one just after it."""
    people = [
        UserFactory(username=f"rater{i}", organisation=world.org, role="requester", display_name=f"Rater {i}")
        for i in range(6)
    ]
    rated_at(people[0], Q1_START)  # the first instant of the quarter counts
    rated_at(people[1], Q1_START + dt.timedelta(days=20))
    rated_at(people[1], Q1_START + dt.timedelta(days=40))  # twice: one ticket
    rated_at(people[2], Q1_START + dt.timedelta(days=50), stars=1)  # a complaint does not exclude anyone
    rated_at(people[3], Q1_START + dt.timedelta(days=60))
    rated_at(people[4], Q1_END - dt.timedelta(seconds=1))  # the last second counts
    rated_at(people[5], Q1_END)  # 00:00 on 1 April in Shanghai: the next quarter
    rated_at(world.users["foreign_requester"], Q1_START + dt.timedelta(days=5), service=world.foreign_service)
    return people


def test_publishing_freezes_the_distinct_raters_of_the_quarter(world, raters):
    with clock.frozen_at(AFTER):
        draw = feedback.prize_draw_publish(
            actor=world.users["client_supervisor"],
            year=2026,
            quarter=1,
            seed_source=SEED.split(":")[0],
            winners_count=2,
        )
    expected = sorted(str(person.pk) for person in raters[:5])
    assert draw.participants == expected
    assert draw.participants_digest == hashlib.sha256("\n".join(expected).encode()).hexdigest()
    assert draw.participants_digest == participants_digest(expected)
    assert (draw.period_start, draw.period_end) == (Q1_START, Q1_END)
    assert draw.status == "published" and draw.seed == "" and draw.winners == []
    entry = AuditEntry.objects.get(action="feedback.prizedraw.published", object_id=str(draw.pk))
    assert entry.after["participants_digest"] == draw.participants_digest and entry.after["participants"] == 5


def test_the_draw_is_reproducible_and_matches_an_independent_calculation(world, raters):
    boss = world.users["client_supervisor"]
    with clock.frozen_at(AFTER):
        draw = feedback.prize_draw_publish(
            actor=boss, year=2026, quarter=1, seed_source="CWL 2026-04-07", winners_count=3
        )
        draw = feedback.prize_draw_run(actor=boss, draw=draw, seed=SEED)
    assert draw.status == "drawn" and draw.seed == SEED and draw.drawn_by == boss
    assert draw.winners == independent_winners(draw.participants, SEED, 3)
    assert len(set(draw.winners)) == 3 and set(draw.winners) <= set(draw.participants)
    check = prize_draw_verify(draw=PrizeDraw.objects.get(pk=draw.pk))
    assert check.digest_matches and check.participants_unchanged and check.winners_match is True
    assert check.winners == draw.winners
    assert [pid for pid, _ticket in check.ranking] == independent_winners(draw.participants, SEED, 99)
    entry = AuditEntry.objects.get(action="feedback.prizedraw.drawn", object_id=str(draw.pk))
    assert entry.after["winners"] == draw.winners and entry.after["seed"] == SEED
    # The result never changes: the same seed again is harmless, another seed is refused.
    assert feedback.prize_draw_run(actor=boss, draw=draw, seed=SEED).winners == draw.winners
    with pytest.raises(InvalidTransition):
        feedback.prize_draw_run(actor=boss, draw=draw, seed="another seed")
    assert PrizeDraw.objects.get(pk=draw.pk).winners == draw.winners


def test_changing_the_participants_changes_the_digest_and_the_verify_check_says_so(world, raters, rated_at):
    boss = world.users["client_supervisor"]
    with clock.frozen_at(AFTER):
        draw = feedback.prize_draw_publish(actor=boss, year=2026, quarter=1, seed_source="CWL", winners_count=2)
        draw = feedback.prize_draw_run(actor=boss, draw=draw, seed=SEED)
    added = sorted([*draw.participants, str(raters[5].pk)])
    assert participants_digest(added) != draw.participants_digest
    assert participants_digest(draw.participants[1:]) != draw.participants_digest
    # A rating back-dated into the quarter after publication shows up in the check; the stored draw stays.
    late = UserFactory(username="late_rater", organisation=world.org, role="requester")
    rated_at(late, Q1_START + dt.timedelta(days=70))
    check = prize_draw_verify(draw=draw)
    assert check.digest_matches and check.winners_match is True
    assert check.participants_unchanged is False
    # Tampering with the stored list is caught too.
    PrizeDraw.objects.filter(pk=draw.pk).update(participants=[*draw.participants, "999999"])
    tampered = prize_draw_verify(draw=PrizeDraw.objects.get(pk=draw.pk))
    assert tampered.digest_matches is False


def test_publishing_is_refused_before_the_quarter_ends_twice_or_without_raters(world, raters):
    boss = world.users["client_supervisor"]
    with clock.frozen_at(Q1_END - dt.timedelta(seconds=1)), pytest.raises(ApplicationError):
        feedback.prize_draw_publish(actor=boss, year=2026, quarter=1, seed_source="CWL", winners_count=1)
    with clock.frozen_at(AFTER):
        feedback.prize_draw_publish(actor=boss, year=2026, quarter=1, seed_source="CWL", winners_count=1)
        with pytest.raises(ApplicationError):
            feedback.prize_draw_publish(actor=boss, year=2026, quarter=1, seed_source="CWL", winners_count=1)
        with pytest.raises(ApplicationError):
            feedback.prize_draw_publish(actor=boss, year=2025, quarter=4, seed_source="CWL", winners_count=1)
        for bad in (0, -1, 1001, True, "3"):
            with pytest.raises(ApplicationError):
                feedback.prize_draw_publish(actor=boss, year=2025, quarter=3, seed_source="CWL", winners_count=bad)
        with pytest.raises(ApplicationError):
            feedback.prize_draw_publish(actor=boss, year=2026, quarter=5, seed_source="CWL", winners_count=1)
        with pytest.raises(ApplicationError):
            feedback.prize_draw_publish(actor=boss, year=2026, quarter=2, seed_source="  ", winners_count=1)
    assert PrizeDraw.objects.count() == 1


@pytest.mark.parametrize("role", ["executive", "auditor", "vendor_manager", "requester"])
def test_only_client_operators_publish_and_draw(world, raters, role):
    with clock.frozen_at(AFTER):
        with pytest.raises(NotAllowed):
            feedback.prize_draw_publish(
                actor=world.users[role], year=2026, quarter=1, seed_source="CWL", winners_count=1
            )
        draw = feedback.prize_draw_publish(
            actor=world.users["client_admin"], year=2026, quarter=1, seed_source="CWL", winners_count=1
        )
        with pytest.raises(NotAllowed):
            feedback.prize_draw_run(actor=world.users[role], draw=draw, seed=SEED)
        with pytest.raises(NotAllowed):
            feedback.prize_draw_run(actor=world.users["foreign_admin"], draw=draw, seed=SEED)
    assert PrizeDraw.objects.get().status == "published"


def test_the_draw_pages_for_the_supervisor(world, raters, web):
    client = web("client_supervisor")
    with clock.frozen_at(AFTER):
        page = client.get("/draws/")
        assert page.status_code == 200 and 'name="seed_source"' in page.content.decode()
        response = client.post(
            "/draws/", {"year": 2026, "quarter": 1, "winners_count": 2, "seed_source": "CWL draw of 2026-04-07"}
        )
        draw = PrizeDraw.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/draws/{draw.pk}/"
        detail = client.get(f"/draws/{draw.pk}/").content.decode()
        assert draw.participants_digest in detail and "CWL draw of 2026-04-07" in detail
        assert client.post(f"/draws/{draw.pk}/", {"seed": SEED}).status_code == 302
    draw.refresh_from_db()
    detail = client.get(f"/draws/{draw.pk}/").content.decode()
    names = {str(p.pk): p.display_name for p in raters}
    for winner in draw.winners:
        assert names[winner] in detail  # winners by display name
    for person in raters:
        assert person.username not in detail and person.email not in detail
    verify = client.get(f"/draws/{draw.pk}/verify/").content.decode()
    assert 'data-testid="winners-check" data-ok="yes"' in verify
    assert 'data-testid="digest-check" data-ok="yes"' in verify
    listing = client.get(f"/draws/{draw.pk}/participants.txt")
    assert listing.content.decode().split() == draw.participants
    again = client.post("/draws/", {"year": 2026, "quarter": 1, "winners_count": 2, "seed_source": "x"})
    assert again.status_code == 400 and "alert-error" in again.content.decode()
    assert PrizeDraw.objects.count() == 1


def test_draw_pages_are_for_the_client_side_only(world, raters, web):
    with clock.frozen_at(AFTER):
        draw = feedback.prize_draw_publish(
            actor=world.users["client_supervisor"], year=2026, quarter=1, seed_source="CWL", winners_count=1
        )
    for role in ("vendor_manager", "vendor_agent", "requester"):
        client = web(role)
        assert client.get("/draws/").status_code == 403
        assert client.get(f"/draws/{draw.pk}/").status_code == 403
    assert web("foreign_admin").get(f"/draws/{draw.pk}/").status_code == 404
    auditor = web("auditor")
    assert auditor.get(f"/draws/{draw.pk}/").status_code == 200
    assert 'name="seed"' not in auditor.get(f"/draws/{draw.pk}/").content.decode()
    assert auditor.post(f"/draws/{draw.pk}/", {"seed": SEED}).status_code == 403
    assert PrizeDraw.objects.get().status == "published"
