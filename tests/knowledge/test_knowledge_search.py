"""`knowledge.search.article_search`: Chinese and English, readers, boosts, and the two candidate paths."""

from __future__ import annotations

import pytest
from django.db import connection

from oversight.catalog.models import ServiceCategory
from oversight.knowledge import search
from oversight.knowledge import services as knowledge


@pytest.fixture
def shelf(world, article):
    """Five published articles for requesters, one internal, one draft."""
    made = {
        "printer": article(
            title="病房打印机卡纸怎么办",
            title_en="Ward printer paper jam",
            body="打开打印机后盖，取出卡住的纸，检查硒鼓。",
            body_en="Open the printer's back cover and remove the jammed paper.",
            publish=True,
            audience="requesters",
        ),
        "wristband": article(
            title="腕带打印机打印模糊",
            body="清洁腕带打印机的打印头。",
            publish=True,
            audience="requesters",
        ),
        "vpn": article(
            title="VPN 连不上",
            title_en="VPN does not connect",
            body="重新安装 VPN 客户端并导入证书。",
            body_en="Reinstall the VPN client and import the certificate.",
            publish=True,
            audience="requesters",
        ),
        "his": article(
            title="HIS 登录失败提示密码错误",
            title_en="HIS login fails with a wrong password",
            body="在自助服务重置密码；连续五次错误会锁定账号。",
            publish=True,
            audience="requesters",
        ),
        "pacs": article(
            title="PACS 影像调阅很慢",
            body="清理浏览器缓存，检查网络。",
            publish=True,
            audience="requesters",
        ),
        "internal": article(title="打印机驱动的内部部署说明", body="仅信息科。", publish=True, audience="internal"),
        "draft": article(title="打印机卡纸（草稿）", body="未审核。", audience="requesters"),
    }
    return made


def titles(hits):
    return [hit.article.title for hit in hits]


def test_chinese_text_finds_the_printer_articles_first(world, shelf):
    hits = search.article_search(user=world.users["requester"], text="我们病房的打印机又卡纸了")
    assert titles(hits)[0] == "病房打印机卡纸怎么办"
    assert "腕带打印机打印模糊" in titles(hits)
    assert "打印机驱动的内部部署说明" not in titles(hits) and "打印机卡纸（草稿）" not in titles(hits)


def test_english_text_finds_the_bilingual_article(world, shelf):
    assert (
        titles(search.article_search(user=world.users["requester"], text="printer jammed"))[0] == "病房打印机卡纸怎么办"
    )
    assert titles(search.article_search(user=world.users["requester"], text="cannot log in to HIS")) == [
        "HIS 登录失败提示密码错误"
    ]
    assert titles(search.article_search(user=world.users["requester"], text="vpn"))[0] == "VPN 连不上"


def test_readers_rule_applies_to_the_search(world, shelf):
    client = titles(search.article_search(user=world.users["client_supervisor"], text="打印机", limit=10))
    assert "打印机驱动的内部部署说明" in client and "打印机卡纸（草稿）" not in client
    assert search.article_search(user=world.users["foreign_requester"], text="打印机") == []


def test_nothing_typed_or_nothing_shared(world, shelf):
    assert search.article_search(user=world.users["requester"], text="   ") == []
    assert search.article_search(user=world.users["requester"], text="了 的 the") == []
    assert search.article_search(user=world.users["requester"], text="心电图机") == []


def test_category_and_solved_boosts(world, shelf, incident_resolved):
    printers = ServiceCategory.objects.create(organisation=world.org, code="printers", name="打印机")
    knowledge.article_transition(actor=world.users["client_admin"], article=shelf["wristband"], action="revise")
    knowledge.article_update(actor=world.users["client_supervisor"], article=shelf["wristband"], category=printers)
    wristband = knowledge.article_transition(
        actor=world.users["client_supervisor"], article=shelf["wristband"], action="submit"
    )
    knowledge.article_transition(actor=world.users["client_admin"], article=wristband, action="publish")
    plain = search.article_search(user=world.users["requester"], text="打印机 打印")
    boosted = search.article_search(user=world.users["requester"], text="打印机 打印", category=printers.pk)
    score = {hit.article.pk: hit for hit in plain}
    hit = next(h for h in boosted if h.article.pk == wristband.pk)
    assert hit.category_match and hit.score == pytest.approx(score[wristband.pk].score * 1.3)
    knowledge.article_link_work_order(
        actor=world.users["vendor_agent"], article=shelf["pacs"], work_order=incident_resolved
    )
    knowledge.deflection_record(actor=world.users["requester"], article=shelf["pacs"], title="影像慢")
    after = search.article_search(user=world.users["requester"], text="影像调阅")
    assert after[0].solved == 2


def test_both_candidate_paths_select_the_same_articles(world, shelf):
    texts = ["打印机卡纸", "printer paper", "HIS 密码", "影像调阅 网络", "vpn 证书 客户端"]
    for text in texts:
        portable = search.article_search(user=world.users["requester"], text=text, full_text=False)
        assert portable == search.article_search(user=world.users["requester"], text=text)
    assert search.uses_full_text() is (connection.vendor == "postgresql")
    if connection.vendor == "postgresql":
        for text in texts:
            by_index = search.article_search(user=world.users["requester"], text=text, full_text=True)
            assert by_index == search.article_search(user=world.users["requester"], text=text, full_text=False)


def test_postgresql_has_the_gin_index_and_uses_it(world, shelf):
    """On PostgreSQL the candidates come from the GIN index of migration 0002 (elsewhere there is no index)."""
    from django.db import connection

    from oversight.knowledge.models import Article

    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assert search.uses_full_text() is False
            return
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'knowledge_article_search_gin'")
        (definition,) = cursor.fetchone()
        assert "gin" in definition.lower() and "to_tsvector" in definition
        cursor.execute("SET LOCAL enable_seqscan = off")
        qs = search.candidates_full_text(Article.objects.all(), ["打印机", "vpn"])
        plan = qs.explain()
        assert "knowledge_article_search_gin" in plan
        assert {a.title for a in qs} == {
            "病房打印机卡纸怎么办",
            "腕带打印机打印模糊",
            "VPN 连不上",
            "打印机驱动的内部部署说明",
            "打印机卡纸（草稿）",
        }
