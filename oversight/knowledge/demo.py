"""Demo knowledge base of the demo hospital, written through the real services (`load_demo_knowledge`).

45 bilingual articles (`demo_articles.ARTICLES`) written by the vendors' agents and approved by a supervisor,
linked to their service, category and the known errors of that service; one article edited and restored (a
history to compare), two still in draft and one in review (the approval queue); some recorded as the solution
of resolved work orders of their service and a few deflections by nurses on the portal. Idempotent: an article
whose title the organisation already has is skipped, and the links and deflections are made once.
"""

from __future__ import annotations

from oversight.catalog.models import Service
from oversight.knowledge import services
from oversight.knowledge.choices import ArticleAction
from oversight.knowledge.demo_articles import ARTICLES
from oversight.knowledge.models import Article, ArticleWorkOrder, Deflection
from oversight.problems.models import KnownError
from oversight.tenancy.models import User
from oversight.tickets.models import WorkOrder

#: How many of the articles stay unpublished (the last ones: two drafts, then one in review).
DRAFTS = 2
IN_REVIEW = 1
#: Resolved work orders recorded as solved by each of the first articles of each service.
LINKS_PER_ARTICLE = 3
#: (nurse, article title, what they had typed)
DEFLECTIONS = [
    ("nurse1", "病房打印机卡纸怎么办", "打印机卡纸了"),
    ("nurse2", "病房打印机卡纸怎么办", "护士站打印机卡纸"),
    ("nurse3", "忘记密码如何重置", "忘记密码了"),
    ("nurse4", "病房无线网络信号弱或断网", "病房wifi断了"),
    ("nurse5", "HIS 登录失败提示密码错误", "HIS登录不了"),
    ("nurse6", "腕带打印机打印模糊", "腕带打不清楚"),
]


def load_demo_knowledge(organisation) -> int:
    """Write the demo articles, links and deflections that are missing; returns how many articles were written."""
    users = {u.username: u for u in User.objects.filter(organisation=organisation)}
    services_by_code = {s.code: s for s in Service.objects.filter(organisation=organisation).select_related("category")}
    approver, second = users.get("supervisor"), users.get("supervisor2")
    if approver is None or not services_by_code:
        return 0
    have = set(Article.objects.filter(organisation=organisation).values_list("title", flat=True))
    written = 0
    unpublished_from = len(ARTICLES) - DRAFTS - IN_REVIEW
    for index, (code, author_name, audience, title, title_en, body, body_en) in enumerate(ARTICLES):
        service, author = services_by_code.get(code), users.get(author_name)
        if title in have or service is None or author is None:
            continue
        known = list(KnownError.objects.filter(organisation=organisation, service=service)[:2])
        article = services.article_create(
            actor=author,
            title=title,
            title_en=title_en,
            body=body,
            body_en=body_en,
            category=service.category,
            services=[service],
            known_errors=known,
            audience=audience,
        )
        written += 1
        if index >= unpublished_from + IN_REVIEW:
            continue  # stays a draft
        article = services.article_transition(actor=author, article=article, action=ArticleAction.SUBMIT)
        if index >= unpublished_from:
            continue  # waits in review
        checker = second if author == approver else approver
        services.article_transition(actor=checker, article=article, action=ArticleAction.PUBLISH)
    _history(organisation, users)
    _links(organisation, users)
    _deflections(organisation, users)
    return written


def _history(organisation, users) -> None:
    """The first article gets a revision with an edit and a restore (a history to compare), then is re-approved."""
    article = Article.objects.filter(organisation=organisation, title=ARTICLES[0][3]).first()
    if article is None or article.versions.count() > 1 or article.status != "published":
        return
    author, approver = users[ARTICLES[0][1]], users["supervisor"]
    article = services.article_transition(actor=author, article=article, action=ArticleAction.REVISE)
    article = services.article_update(
        actor=author, article=article, body=article.body + "\n5. 卡纸后打印的第一张可能缺行，请核对后再使用。"
    )
    article = services.article_update(actor=author, article=article, body=article.body.replace("慢慢", "轻轻"))
    article = services.article_restore(actor=author, article=article, number=2)
    article = services.article_transition(actor=author, article=article, action=ArticleAction.SUBMIT)
    services.article_transition(actor=approver, article=article, action=ArticleAction.PUBLISH)


def _links(organisation, users) -> None:
    """The first published article of each service solved a few of that service's resolved work orders."""
    if ArticleWorkOrder.objects.filter(article__organisation=organisation).exists():
        return
    seen: set[int] = set()
    for article in Article.objects.filter(organisation=organisation, status="published").order_by("pk"):
        service = article.services.first()
        if service is None or service.pk in seen:
            continue
        seen.add(service.pk)
        agent = users.get(article.owner.username) if article.vendor_id else None
        work_orders = WorkOrder.objects.filter(service=service, status__in=("resolved", "closed")).order_by("-pk")
        for wo in work_orders[:LINKS_PER_ARTICLE]:
            services.article_link_work_order(actor=agent or article.owner, article=article, work_order=wo)


def _deflections(organisation, users) -> None:
    """A few nurses found their answer on the portal and submitted nothing."""
    if Deflection.objects.filter(organisation=organisation).exists():
        return
    for username, title, typed in DEFLECTIONS:
        article = Article.objects.filter(organisation=organisation, title=title, status="published").first()
        if article is None or username not in users:
            continue
        services.deflection_record(
            actor=users[username], article=article, title=typed, service=article.services.first()
        )
