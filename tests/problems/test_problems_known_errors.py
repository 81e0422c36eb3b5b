"""Known-error search (Chinese and English), expiry and visibility; the pure matching rules."""

from __future__ import annotations

import datetime as dt

from oversight.problems import matching, selectors
from oversight.problems.models import KnownError


def _known(world, title, symptom, *, vendor=None, expires_on=None, workaround="", org=None):
    return KnownError.objects.create(
        organisation=org or world.org,
        title=title,
        symptom=symptom,
        workaround=workaround,
        vendor=vendor,
        expires_on=expires_on,
        created_by=world.users["client_supervisor"],
        created_at="2026-03-01T00:00:00Z",
        updated_at="2026-03-01T00:00:00Z",
    )


def test_terms_are_words_and_chinese_bigrams():
    assert matching.terms("打印机卡纸 Printer JAM") == {"打印", "印机", "机卡", "卡纸", "printer", "jam"}
    assert matching.terms("纸") == {"纸"}
    assert matching.terms("a the") == frozenset()


def test_rank_by_shared_terms_over_the_smaller_set():
    ranked = matching.rank("三楼护士站打印机经常卡纸", [(1, "打印机卡纸"), (2, "网络中断"), (3, "打印机驱动丢失")])
    assert [m.id for m in ranked] == [1, 3]
    assert ranked[0].score == 3 / 4  # 打印, 印机, 卡纸 of 打印机卡纸 (机卡 is not in the description)
    assert ranked[1].score == 2 / 6  # 打印, 印机 of 打印机驱动丢失's six bigrams
    assert matching.rank("", [(1, "x")]) == []


def test_search_in_chinese_and_english(world):
    zh = _known(world, "打印机卡纸", "病房打印机频繁卡纸", workaround="更换干燥的打印纸")
    en = _known(world, "VPN drops", "The VPN connection drops every hour", workaround="Reconnect")
    sup = world.users["client_supervisor"]
    assert selectors.known_error_search(user=sup, text="三楼打印机又卡纸了") == [zh]
    assert selectors.known_error_search(user=sup, text="vpn connection keeps dropping") == [en]
    assert selectors.known_error_search(user=sup, text="") == []


def test_search_hides_expired_and_other_vendors(world):
    today = dt.date(2026, 6, 1)
    _known(world, "Old", "printer paper jam", expires_on=dt.date(2020, 1, 1))
    theirs = _known(world, "Theirs", "printer paper jam", vendor=world.other_vendor)
    mine = _known(world, "Mine", "printer paper jam", vendor=world.vendor, expires_on=today + dt.timedelta(days=3650))
    assert selectors.known_error_search(user=world.users["vendor_agent"], text="printer paper jam") == [mine]
    found = selectors.known_error_search(user=world.users["client_supervisor"], text="printer paper jam")
    assert set(found) == {mine, theirs}
    assert selectors.known_error_search(user=world.users["requester"], text="printer paper jam") == []
    assert selectors.known_error_search(user=world.users["foreign_admin"], text="printer paper jam") == []
