"""The public rating page /r/<token>/: no sign-in, the requester's language, no personal data, private headers,
rate-limited, and every abuse of the token (reused, expired, tampered, foreign, malformed) answered with a clear
page while nothing changes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.feedback import services as feedback
from oversight.feedback.models import Complaint, Rating, RatingInvitation
from oversight.feedback.tokens import new_token
from oversight.tickets import services as tickets

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def url(token: str) -> str:
    return f"/r/{token}/"


def state() -> tuple:
    """What a refused request must leave untouched."""
    return (
        Rating.objects.count(),
        Complaint.objects.count(),
        list(RatingInvitation.objects.order_by("pk").values_list("pk", "used_at", "revoked_at")),
        AuditEntry.objects.count(),
    )


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def post_rating(client: Client, token: str, data: dict):
    """GET the page (which sets the CSRF cookie), then POST the form with the token like a browser."""
    page = client.get(url(token))
    csrf = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    return page, client.post(url(token), {"csrfmiddlewaretoken": csrf, **data})


def test_the_page_rates_without_sign_in_and_shows_no_personal_data(world, resolve, link):
    requester = world.users["requester"]
    requester.display_name, requester.phone = "Nurse Zhang Wei", "13800000000"
    requester.save(update_fields=["display_name", "phone"])
    work_order = resolve(
        title="PmxSecretTitle", description="PmxSecretDescription", location_detail="Bed 12", contact_phone="555-0100"
    )
    token = link(work_order)
    response = Client().get(url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert work_order.number in html
    assert world.service.name in html
    assert work_order.resolved_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d") in html
    for secret in (
        "PmxSecretTitle",
        "PmxSecretDescription",
        "Bed 12",
        "555-0100",
        "13800000000",
        "Nurse Zhang Wei",
        requester.username,
        requester.email,
        world.dept.name,
        world.vendor.name,
        world.users["vendor_agent"].username,
        "Fixed",  # the resolution text
    ):
        assert secret not in html, secret
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert 'name="referrer" content="no-referrer"' in html
    assert response.cookies["csrftoken"].value  # the form's CSRF cookie is set by the page itself


def test_submitting_stores_one_rating_and_uses_the_link(world, resolve, link):
    work_order = resolve()
    token = link(work_order)
    client = csrf_client()
    _page, response = post_rating(client, token, {"stars": "4", "comment": "Quick and kind", "recommend": "9"})
    assert response.status_code == 200
    assert 'data-testid="rate-done"' in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    rating = Rating.objects.get(work_order=work_order)
    assert (rating.stars, rating.comment, rating.recommend, rating.channel) == (4, "Quick and kind", 9, "portal")
    assert rating.requester == world.users["requester"] and rating.vendor == world.vendor
    assert rating.invitation.used_at is not None
    assert AuditEntry.objects.filter(action="feedback.rating.created", object_id=str(rating.pk)).exists()
    # The same link again: a clear page, nothing changes.
    before = state()
    again = client.get(url(token))
    assert again.status_code == 410
    assert 'data-reason="used"' in again.content.decode()
    _page, repost = post_rating(client, token, {"stars": "1"})
    assert repost.status_code == 410
    assert state() == before
    assert Rating.objects.get(work_order=work_order).stars == 4


def test_the_optional_questions_may_stay_empty(world, resolve, link):
    work_order = resolve()
    _page, response = post_rating(csrf_client(), link(work_order), {"stars": "5"})
    assert response.status_code == 200
    rating = Rating.objects.get(work_order=work_order)
    assert (rating.comment, rating.recommend) == ("", None)


def test_a_post_without_the_csrf_token_is_refused(world, resolve, link):
    token = link(resolve())
    client = csrf_client()
    client.get(url(token))
    response = client.post(url(token), {"stars": "5"})
    assert response.status_code == 403
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"stars": "0"},
        {"stars": "6"},
        {"stars": "abc"},
        {},
        {"stars": "3", "recommend": "11"},
        {"stars": "3", "comment": "x" * 2001},
    ],
)
def test_invalid_answers_keep_the_page_and_store_nothing(world, resolve, link, data):
    token = link(resolve())
    before = state()
    _page, response = post_rating(csrf_client(), token, data)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode() or "alert-error" in response.content.decode()
    assert state() == before
    assert RatingInvitation.objects.get(token_hash=feedback_hash(token)).used_at is None


def feedback_hash(token: str) -> str:
    from oversight.feedback.tokens import hash_token

    return hash_token(token)


def test_an_expired_link_gets_a_clear_page(world, resolve, link):
    with clock.frozen_at(T0):
        token = link(resolve())
    before = state()
    with clock.frozen_at(T0 + dt.timedelta(days=14)):
        response = Client().get(url(token))
        assert response.status_code == 410
        assert 'data-reason="expired"' in response.content.decode()
        _page, posted = post_rating(csrf_client(), token, {"stars": "5"})
        assert posted.status_code == 410
    with clock.frozen_at(T0 + dt.timedelta(days=13, hours=23)):
        assert Client().get(url(token)).status_code == 200
    assert state() == before


def tampered_variants(token: str) -> list[str]:
    """Altered copies of a real token: each must be refused."""
    flipped = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    last = token[-1]
    # The last character carries 2 spare bits; an alphabet neighbour with the same 4 high bits is non-canonical.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    index = alphabet.index(last)
    non_canonical = token[:-1] + alphabet[index ^ 1]
    return [flipped, non_canonical, token.upper() if token.upper() != token else token.lower()]


def test_tampered_malformed_and_unknown_tokens_get_404_and_change_nothing(world, resolve, link):
    work_order = resolve()
    token = link(work_order)
    unknown, _hash = new_token()
    stored_hash = RatingInvitation.objects.get(work_order=work_order, channel="portal").token_hash
    candidates = [
        *tampered_variants(token),
        unknown,  # well formed, never issued
        token[:-1],  # 42 characters
        token + "A",  # 44 characters
        stored_hash,  # the stored hash is not a key
        "é" * 43,  # non-ASCII
        token[:-2] + "文字",
        "%00" + token[3:],
        "x",
    ]
    before = state()
    client = csrf_client()
    for candidate in candidates:
        response = client.get(url(candidate))
        assert response.status_code == 404, candidate
        assert 'data-reason="invalid"' in response.content.decode()
        assert response["Referrer-Policy"] == "no-referrer"
        assert client.post(url(candidate), {"stars": "1"}).status_code in (403, 404)  # no CSRF cookie yet, or 404
        with pytest.raises(feedback.RatingLinkError) as exc:
            feedback.rating_submit(token=candidate, stars=1)
        assert exc.value.reason == "invalid"
    assert state() == before
    assert Client().get(url(token)).status_code == 200  # the real one still works


def test_a_token_rates_only_its_own_work_order(world, resolve, link):
    mine = resolve(title="Mine")
    other = resolve(requester="requester_2", title="Other")
    foreign = resolve(requester="other_requester", service=world.other_service, title="Other vendor")
    token_mine = link(mine)
    link(other)
    link(foreign)
    page = Client().get(url(token_mine)).content.decode()
    assert mine.number in page and other.number not in page and foreign.number not in page
    _page, response = post_rating(csrf_client(), token_mine, {"stars": "2"})
    assert response.status_code == 200
    assert list(Rating.objects.values_list("work_order_id", flat=True)) == [mine.pk]
    # The other work orders' links are untouched and still usable.
    assert RatingInvitation.objects.filter(work_order__in=[other, foreign], used_at__isnull=True).count() == 4
    assert Complaint.objects.get().work_order_id == mine.pk


def test_a_reopened_work_order_cannot_be_rated_with_the_old_link(world, resolve, link):
    work_order = resolve()
    token = link(work_order)
    tickets.work_order_transition(actor=world.users["requester"], work_order=work_order, action="reopen", note="No")
    response = Client().get(url(token))
    assert response.status_code == 410
    assert 'data-reason="reopened"' in response.content.decode()
    with pytest.raises(feedback.RatingLinkError):
        feedback.rating_submit(token=token, stars=5)
    assert not Rating.objects.exists()


def test_a_sibling_link_is_dead_once_the_work_order_is_rated(world, resolve, link):
    work_order = resolve()
    first, second = link(work_order), link(work_order, channel="qr")
    feedback.rating_submit(token=second, stars=5)
    response = Client().get(url(first))
    assert response.status_code == 410
    assert re.search(r'data-reason="(replaced|rated)"', response.content.decode())


def test_the_page_speaks_the_requesters_language_whoever_opens_it(world, resolve, link, web):
    chinese = world.users["requester_2"]
    chinese.language = "zh-hans"
    chinese.save(update_fields=["language"])
    token = link(resolve(requester=chinese))
    english_visitor = web("client_supervisor")  # signed in with English: the page still follows the requester
    response = english_visitor.get(url(token), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()
    assert world.users["client_supervisor"].username not in response.content.decode()
    english = link(resolve(title="English one"))
    response = Client().get(url(english), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_the_page_is_rate_limited_per_client_address(world, resolve, link, settings):
    settings.OVERSIGHT_RATING_RATE_LIMIT = 3
    token = link(resolve())
    client = Client(REMOTE_ADDR="10.0.0.7")
    statuses = [client.get(url(token)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    blocked = client.get(url(token))
    assert blocked.status_code == 429
    assert 'data-testid="rate-limited"' in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0
    assert blocked["Referrer-Policy"] == "no-referrer"
    assert client.post(url(token), {"stars": "5"}).status_code == 429  # guessing by POST is limited too
    assert not Rating.objects.exists()
    assert Client(REMOTE_ADDR="10.0.0.8").get(url(token)).status_code == 200  # another address is not affected
    for _ in range(5):
        assert Client(REMOTE_ADDR="10.0.0.9").get(url("x" * 43)).status_code in (404, 429)
    assert Client(REMOTE_ADDR="10.0.0.9").get(url(token)).status_code == 429  # guessing used up the budget
    with clock.frozen_at(clock.now() + dt.timedelta(seconds=settings.OVERSIGHT_RATING_RATE_WINDOW)):
        assert client.get(url(token)).status_code == 200  # the next window starts afresh


def test_rating_from_the_work_order_page_link_and_qr_page(world, resolve, web):
    work_order = resolve()
    requester = web("requester")
    page = requester.get(f"/wo/{work_order.number}/").content.decode()
    assert 'data-testid="rate-now"' in page and 'data-testid="rate-qr"' in page
    redirect = requester.post(f"/wo/{work_order.number}/rating/link/")
    assert redirect.status_code == 302 and redirect["Location"].startswith("/r/")
    assert redirect["Referrer-Policy"] == "no-referrer"
    qr_page = requester.post(f"/wo/{work_order.number}/rating/qr/")
    assert qr_page.status_code == 200
    html = qr_page.content.decode()
    assert "data:image/svg+xml;base64," in html
    qr_url = re.search(r'data-testid="rating-url">([^<]+)<', html).group(1)
    assert qr_url.startswith("http://testserver/r/")
    token = qr_url.rsplit("/r/", 1)[1].strip("/")
    feedback.rating_submit(token=token, stars=5)
    assert Rating.objects.get(work_order=work_order).channel == "qr"
    after = requester.get(f"/wo/{work_order.number}/").content.decode()
    assert 'data-testid="rate-now"' not in after and 'data-testid="rating"' in after


@pytest.mark.parametrize("role", ["vendor_agent", "vendor_manager", "client_supervisor", "auditor"])
def test_nobody_but_the_requester_gets_a_rating_link(world, resolve, web, role):
    work_order = resolve()
    client = web(role)
    assert 'data-testid="rate-now"' not in client.get(f"/wo/{work_order.number}/").content.decode()
    before = RatingInvitation.objects.count()
    assert client.post(f"/wo/{work_order.number}/rating/link/").status_code == 403
    assert client.post(f"/wo/{work_order.number}/rating/qr/").status_code == 403
    assert RatingInvitation.objects.count() == before


def test_the_requester_is_told_when_the_work_order_is_already_rated(world, resolve, rate, web):
    work_order = resolve()
    rate(work_order, stars=5)
    response = web("requester").post(f"/wo/{work_order.number}/rating/link/", follow=True)
    assert response.redirect_chain == [(f"/wo/{work_order.number}/", 302)]
    assert 'class="alert alert-error"' in response.content.decode() or "alert-error" in response.content.decode()
    assert (
        RatingInvitation.objects.filter(work_order=work_order, used_at__isnull=True, revoked_at__isnull=True).count()
        == 0
    )


def test_another_vendor_cannot_even_reach_the_rating_link_of_a_work_order(world, resolve, web):
    work_order = resolve()
    assert web("other_vendor_agent").post(f"/wo/{work_order.number}/rating/link/").status_code == 404
    assert Client().post(f"/wo/{work_order.number}/rating/link/").status_code == 302  # to the login page
    assert RatingInvitation.objects.filter(work_order=work_order).count() == 1


def test_a_browser_posting_with_origin_null_is_accepted_only_with_the_token(world, resolve, link):
    # Under Referrer-Policy: no-referrer browsers send `Origin: null` with the form.
    token = link(resolve())
    client = csrf_client()
    client.get(url(token))
    csrf = client.cookies["csrftoken"].value
    assert client.post(url(token), {"stars": "5"}, HTTP_ORIGIN="null").status_code == 403
    foreign = client.post(url(token), {"csrfmiddlewaretoken": csrf, "stars": "5"}, HTTP_ORIGIN="https://evil.example")
    assert foreign.status_code == 403
    assert not Rating.objects.exists()
    accepted = client.post(url(token), {"csrfmiddlewaretoken": csrf, "stars": "5"}, HTTP_ORIGIN="null")
    assert accepted.status_code == 200
    assert Rating.objects.count() == 1


def test_the_page_says_a_low_rating_becomes_a_complaint_and_the_thank_you_page_links_back(world, resolve, link):
    requester = world.users["requester"]
    requester.language = "en"
    requester.save(update_fields=["language"])
    work_order = resolve()
    token = link(work_order)
    page, done = post_rating(csrf_client(), token, {"stars": "2"})
    threshold = feedback.feedback_settings_for(world.org.pk).complaint_max_stars
    assert threshold >= 2
    note = re.search(r'data-testid="low-rating-note"><small>([^<]+)<', page.content.decode()).group(1)
    assert f"{threshold} star" in note and "complaint" in note
    html = done.content.decode()
    assert done.status_code == 200
    assert f'href="/wo/{work_order.number}/" data-testid="back-to-work-order"' in html
    assert 'data-testid="complaint-note"' in html  # two stars opened a complaint, and the requester is told
    assert Complaint.objects.filter(rating__work_order=work_order).exists()
    high = resolve(title="Second")
    _page, five = post_rating(csrf_client(), link(high), {"stars": "5"})
    assert 'data-testid="complaint-note"' not in five.content.decode()
