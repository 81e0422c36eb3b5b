"""Real concurrency: two submits of a rating at the same moment store exactly one rating (and one complaint)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from oversight.feedback import services as feedback
from oversight.feedback.models import Complaint, Rating, RatingInvitation

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls at the same moment in separate threads (each with its own DB connection)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each side got
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_the_same_link_submitted_twice_at_once_stores_one_rating(world, resolve, link):
    work_order = resolve()
    token = link(work_order)
    results = race(
        lambda: feedback.rating_submit(token=token, stars=1, comment="first"),
        lambda: feedback.rating_submit(token=token, stars=1, comment="second"),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, feedback.RatingLinkError) and error.reason in ("used", "rated")
    assert Rating.objects.filter(work_order=work_order).count() == 1
    assert Complaint.objects.filter(work_order=work_order).count() == 1  # and one complaint for the 1 star
    assert RatingInvitation.objects.filter(work_order=work_order, used_at__isnull=False).count() == 1


def test_two_links_of_one_work_order_submitted_at_once_store_one_rating(world, resolve, link):
    work_order = resolve()
    first, second = link(work_order), link(work_order, channel="qr")
    results = race(
        lambda: feedback.rating_submit(token=first, stars=5),
        lambda: feedback.rating_submit(token=second, stars=4),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, feedback.RatingLinkError) and error.reason in ("replaced", "rated")
    assert Rating.objects.filter(work_order=work_order).count() == 1
    assert RatingInvitation.objects.filter(work_order=work_order, used_at__isnull=False).count() == 1


def test_the_web_form_double_posted_at_once_stores_one_rating(world, resolve, link):
    from django.test import Client

    token = link(resolve())

    def submit():
        return Client().post(f"/r/{token}/", {"stars": "3"}).status_code

    results = race(submit, submit)
    assert sorted(value for _kind, value in results) == [200, 410], results
    assert Rating.objects.count() == 1
