"""The permission matrix's knowledge of the knowledge base: articles (with their versions), the suggestions and
deflections.

Rules (issue 9 "Knowledge base", the app's stated design), written here independently of knowledge.selectors:
the client side of the organisation reads every article in every state; vendor staff read published articles
for vendors or requesters, and the articles they wrote themselves; requesters read published articles for
requesters; another organisation reads nothing. Every signed-in role opens the list, an article it may read, its
history and the suggestions; client administrators, supervisors, vendor managers and vendor agents write; the
author and the client's operators edit.
"""

from __future__ import annotations

from oversight.knowledge import services
from oversight.knowledge.models import Article, ArticleVersion, ArticleWorkOrder, Deflection
from oversight.tenancy.choices import Role
from tests.permissions.permissions_support import (
    CLIENT_SIDE,
    VENDOR_SIDE,
    Matrix,
    Payload,
    Target,
    describe_app,
    secret,
)

WRITERS = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR, *VENDOR_SIDE})
EVERYONE = frozenset(Role.values)
# Instance key -> (author role, readers, how far it goes: draft / review / published).
ARTICLES = {
    "A.req": ("client_supervisor", "requesters", "published"),
    "A.ven": ("vendor_agent", "vendor", "published"),
    "A.int": ("client_admin", "internal", "published"),
    "A.rev": ("client_supervisor", "requesters", "review"),
    "A.V1draft": ("vendor_agent", "requesters", "draft"),
    "A.V2draft": ("other_vendor_agent", "vendor", "draft"),
    "X": ("foreign_admin", "requesters", "draft"),
}


def build(matrix: Matrix) -> None:
    articles = {}
    for instance, (author_role, audience, goes_to) in ARTICLES.items():
        key = "K" + instance.replace(".", "")
        author = matrix.users[author_role]
        article = services.article_create(
            actor=author, title=secret(key, "Title"), body=secret(key, "Body"), audience=audience
        )
        if goes_to != "draft":
            article = services.article_transition(actor=author, article=article, action="submit")
        if goes_to == "published":
            approver = matrix.users["client_admin" if author_role != "client_admin" else "client_supervisor"]
            article = services.article_transition(actor=approver, article=article, action="publish")
        articles[instance] = article
    matrix.objects["article"] = articles


def sees_article(matrix: Matrix, role: str, article) -> bool:
    user = matrix.user(role)
    if user is None or user.organisation_id != article.organisation_id:
        return False
    if user.role in CLIENT_SIDE:
        return True
    published = article.status == "published"
    if user.role in VENDOR_SIDE:
        return (published and article.audience in ("vendor", "requesters")) or article.owner_id == user.pk
    return user.role == Role.REQUESTER and published and article.audience == "requesters"


def words(matrix: Matrix, role: str) -> dict[str, str]:
    out = {}
    for instance, article in matrix.objects["article"].items():
        if not sees_article(matrix, role, article):
            out[article.title] = f"article {instance}"
            out[article.body] = f"article {instance}"
            out[article.number] = f"article {instance}"
    return out


def get_status(matrix: Matrix, role: str, target: Target) -> int | None:
    """The edit page opens for the article's author and the client's operators; others are refused."""
    if target.endpoint.name != "knowledge:edit" or target.obj is None:
        return None
    user = matrix.user(role)
    if user.role in (Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR):
        return None
    return None if user.role in VENDOR_SIDE and target.obj.owner_id == user.pk else 403


def _form(data):
    return lambda target, matrix: Payload(dict(data))


def _json(data):
    return lambda target, matrix: Payload(dict(data), json=True)


ARTICLE_PAGES = ("detail", "edit", "transition", "versions", "restore", "deflect")

describe_app(
    "knowledge",
    models={"article": Article},
    build=build,
    rules={"article": sees_article},
    words=words,
    get_status=get_status,
    tables=(Article, ArticleVersion, ArticleWorkOrder, Deflection),
    pk_models={**{f"knowledge:{page}": "article" for page in ARTICLE_PAGES}, "knowledge:from_work_order": "work_order"},
    action_kwargs={("knowledge:restore", "version"): ("1",)},
    gates={
        "knowledge:list": EVERYONE,
        "knowledge:suggest": EVERYONE,
        "knowledge:create": WRITERS,
    },
    payloads={
        ("knowledge:create", "post"): _form({"title": "PmxNewArticle", "body": "PmxText", "audience": "internal"}),
        ("knowledge:edit", "post"): _form({"title": "PmxEdited", "body": "PmxText", "audience": "internal"}),
        ("knowledge:transition", "post"): _form({"action": "submit"}),
        ("knowledge:restore", "post"): _form({}),
        ("knowledge:deflect", "post"): _form({"title": "PmxDeflected"}),
        ("knowledge:from_work_order", "post"): _form({}),
        ("knowledge:from_problem", "post"): _form({"problem": "PRB-PMX"}),
        ("api:knowledge-article-list", "post"): _json({"title": "PmxApiArticle", "body": "PmxText"}),
        ("api:knowledge-article-detail", "patch"): _json({"title": "PmxPatched"}),
        ("api:knowledge-article-transition", "post"): _json({"action": "submit"}),
        ("api:knowledge-article-restore", "post"): _json({"version": 1}),
    },
)
