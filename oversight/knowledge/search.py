"""The one search of the knowledge base: `article_search` (the suggestions while a work order is typed, the
search box of the article list, the API).

1. The text becomes search terms (`knowledge.segment`: jieba search mode for Chinese, words for English).
2. Candidates: the published articles the user may read (`selectors.article_published`) that contain at least
   one of the terms. On PostgreSQL this is a full-text match (``@@``) of the pre-segmented columns as a
   ``simple`` tsvector, served by the GIN index of migration 0002; elsewhere (SQLite) it is a containment test
   of `` term `` in the same columns. Both select exactly the same articles (ADR 0025).
3. The candidates are ranked by `knowledge.ranking` (BM25 over title and text, title weighted, boosted for the
   category asked for and for articles that solved work orders before), with the corpus statistics (how many
   articles, their mean length) read from the same readable published articles. Same inputs, same order, on
   both databases.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Avg, BooleanField, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from oversight.knowledge import ranking, segment, selectors
from oversight.knowledge.models import Article, ArticleWorkOrder, Deflection

#: The most distinct terms of a typed text that are searched (a long description is cut, not refused).
MAX_TERMS = 48
#: The default and the largest number of articles returned.
DEFAULT_LIMIT = 5
MAX_LIMIT = 50

# The expression of the GIN index (migration 0002), so that PostgreSQL can use it.
_TSVECTOR = "to_tsvector('simple'::regconfig, knowledge_article.search_title || ' ' || knowledge_article.search_body)"


@dataclass(frozen=True)
class Hit:
    """One article found, with its score and the parts of the score."""

    article: Article
    score: float
    relevance: float
    category_match: bool
    solved: int


def query_terms(text: str) -> list[str]:
    """The distinct search terms of a typed text, in order, at most MAX_TERMS."""
    return list(dict.fromkeys(segment.terms(text)))[:MAX_TERMS]


def uses_full_text() -> bool:
    """Whether candidates are selected by PostgreSQL's full-text search (else the portable containment test)."""
    return connection.vendor == "postgresql"


def candidates_full_text(articles: QuerySet[Article], terms: list[str]) -> QuerySet[Article]:
    """PostgreSQL: the articles whose term vector matches any of the terms (GIN index)."""
    # Terms hold only CJK characters or [a-z0-9] (knowledge.segment), so quoting each one is enough.
    query = " | ".join(f"'{term}'" for term in terms)
    sql = f"{_TSVECTOR} @@ to_tsquery('simple'::regconfig, %s)"  # constant SQL; the query is a bound parameter
    match = RawSQL(sql, [query], output_field=BooleanField())  # noqa: S611
    return articles.alias(term_match=match).filter(term_match=True)


def candidates_portable(articles: QuerySet[Article], terms: list[str]) -> QuerySet[Article]:
    """Any database: the articles whose stored terms contain any of the terms (as a whole term)."""
    wanted = Q()
    for term in terms:
        wanted |= Q(search_title__contains=f" {term} ") | Q(search_body__contains=f" {term} ")
    return articles.filter(wanted)


def _count_of(model) -> Coalesce:
    """How many rows of ``model`` point at the outer article (0 when none)."""
    rows = model.objects.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")), 0)


def with_solved(articles: QuerySet[Article]) -> QuerySet[Article]:
    """The articles with ``solved``: the work orders each solved before (linked as their solution, or avoided by
    a requester: deflections), counted in the same query."""
    return articles.annotate(solved=_count_of(ArticleWorkOrder) + _count_of(Deflection))


def _id_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def article_search(*, user, text: str, category=None, limit: int = DEFAULT_LIMIT, full_text: bool | None = None):
    """The best published articles the user may read for a typed text, best first (see the module docstring).

    ``category`` (a `catalog.ServiceCategory` or its id) boosts the articles of that category; ``full_text``
    forces the candidate selection (None: PostgreSQL's full text where available)."""
    terms = query_terms(text)
    if not terms:
        return []
    limit = max(1, min(int(limit or DEFAULT_LIMIT), MAX_LIMIT))
    readable = selectors.article_published(user=user).order_by()
    stats = readable.aggregate(size=Count("pk"), average=Avg("search_length"))
    if not stats["size"]:
        return []
    use_full_text = uses_full_text() if full_text is None else full_text
    select = candidates_full_text if use_full_text else candidates_portable
    found = list(with_solved(select(readable, terms)).select_related("category"))
    documents = [
        ranking.Document(
            id=a.pk,
            title_terms=a.search_title.split(),
            body_terms=a.search_body.split(),
            category_id=a.category_id,
            solved=a.solved,
        )
        for a in found
    ]
    category_id = _id_or_none(getattr(category, "pk", category))
    ranked = ranking.rank(
        terms,
        documents,
        size=stats["size"],
        average_length=float(stats["average"] or 0),
        category_id=category_id,
        limit=limit,
    )
    by_pk = {a.pk: a for a in found}
    return [
        Hit(article=by_pk[r.id], score=r.score, relevance=r.relevance, category_match=r.category_match, solved=r.solved)
        for r in ranked
    ]
