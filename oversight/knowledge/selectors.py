"""Reads of articles, their versions, links and deflections, limited to what the acting user may see.

On top of the gate (``Article.visibility``: every role of the organisation), the audience rule:

- the client's own staff (administrators, supervisors, executives, auditors) see every article of their
  organisation, in every state;
- vendor staff see published articles for vendors or requesters, and the articles they wrote themselves (in
  any state);
- requesters see published articles for requesters only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from oversight.knowledge.choices import ArticleStatus, Audience
from oversight.knowledge.models import Article, ArticleVersion, ArticleWorkOrder, Deflection
from oversight.tenancy.roles import is_client, is_requester, is_vendor
from oversight.tenancy.visibility import restrict

LIST_RELATED = ("category", "owner", "vendor")


def audience_rule(user) -> Q:
    """The articles a user's role may read within their organisation (see the module docstring)."""
    if is_client(user):
        return Q()
    published = Q(status=ArticleStatus.PUBLISHED)
    if is_vendor(user):
        return (published & Q(audience__in=[Audience.VENDOR, Audience.REQUESTERS])) | Q(owner=user)
    if is_requester(user):
        return published & Q(audience=Audience.REQUESTERS)
    return Q(pk__in=[])


def shows_people(user) -> bool:
    """Whether the reader is told who wrote and approved an article (and its vendor): the client's staff only.
    Vendor staff and requesters meet people only through a work order they may see (the gate's rule for people)."""
    return is_client(user)


def article_list(*, user) -> QuerySet[Article]:
    """Articles the user may read, with what list pages need joined in."""
    return restrict(Article.objects.select_related(*LIST_RELATED), user).filter(audience_rule(user))


def article_published(*, user) -> QuerySet[Article]:
    """Published articles the user may read (what the search and the suggestions offer)."""
    return article_list(user=user).filter(status=ArticleStatus.PUBLISHED)


def article_get(*, user, number: str) -> Article:
    """One readable article by its number, or 404 (never 403)."""
    try:
        return article_list(user=user).select_related("approver").get(number=number)
    except (Article.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def article_get_by_pk(*, user, pk) -> Article:
    """One readable article by primary key (the API and the forms), or 404."""
    try:
        return article_list(user=user).select_related("approver").get(pk=pk)
    except (Article.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def article_versions(*, article: Article) -> QuerySet[ArticleVersion]:
    """The versions of a readable article, newest first."""
    return article.versions.select_related("author").order_by("-number")


def article_version_get(*, article: Article, number) -> ArticleVersion:
    """One version of a readable article, or 404."""
    try:
        return article.versions.select_related("author").get(number=int(number))
    except (ArticleVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def article_work_orders(*, user, article: Article) -> QuerySet[ArticleWorkOrder]:
    """The work orders the user may see that this article solved."""
    return (
        restrict(ArticleWorkOrder.objects.filter(article=article), user)
        .select_related("work_order", "linked_by")
        .order_by("-linked_at", "-id")
    )


def deflection_list(*, user) -> QuerySet[Deflection]:
    """Deflections the user may see: the client's staff all of their organisation's, a requester their own."""
    return restrict(Deflection.objects.select_related("article", "requester", "service"), user)
