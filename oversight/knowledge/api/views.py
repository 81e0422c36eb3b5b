"""Knowledge API: articles the user may read (`knowledge.selectors`), their versions and the one search;
writing, review steps and restore as POST actions that call the services. An invisible article is a 404."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from oversight.core.api.permissions import ReadOnlyRolesCannotWrite
from oversight.core.errors import Conflict
from oversight.knowledge import search, selectors, services
from oversight.knowledge.api import serializers as s
from oversight.knowledge.choices import ARTICLE_MACHINE
from oversight.knowledge.models import Article

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input, or a business rule refused it.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
    404: OpenApiResponse(description=_("Not found, or not visible to you.")),
}
CHANGE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description=_("Not possible in the article's current state.")),
    412: OpenApiResponse(description=_("If-Match does not match: someone changed the article since you read it.")),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_("The article's ETag as read (its version); a stale one is refused."),
)
_ETAG = re.compile(r'^(?:W/)?"(\d+)-(\d+)"$')


def _expected_version(request, article: Article) -> int | None:
    """The version the client saw, from If-Match (None without the header)."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    match = _ETAG.fullmatch(header.strip())
    if not match or int(match[1]) != article.pk:
        raise Conflict(ARTICLE_MACHINE.stale, extra={"current_version": article.version})
    return int(match[2])


class ArticleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Knowledge articles visible to the signed-in user."""

    serializer_class = s.ArticleListSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Article.objects.none()
        return selectors.article_list(user=self.request.user).order_by("-updated_at", "-id")

    def get_object(self) -> Article:
        return selectors.article_get_by_pk(user=self.request.user, pk=self.kwargs["pk"])

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _detail(self, article: Article, *, status_code=status.HTTP_200_OK) -> Response:
        article = selectors.article_get_by_pk(user=self.request.user, pk=article.pk)
        context = {"show_people": selectors.shows_people(self.request.user), "request": self.request}
        response = Response(s.ArticleDetailSerializer(article, context=context).data, status=status_code)
        response["ETag"] = article.etag
        return response

    @extend_schema(responses={200: s.ArticleDetailSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        """One article with its text and links."""
        return self._detail(self.get_object())

    @extend_schema(request=s.ArticleInputSerializer, responses={201: s.ArticleDetailSerializer, **ERRORS})
    def create(self, request):
        """Write a new article (a draft)."""
        data = self._input(s.ArticleInputSerializer)
        article = services.article_create(actor=request.user, **data)
        return self._detail(article, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ArticleInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ArticleDetailSerializer, **CHANGE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        """Change a draft: its text (a new version), readers, category, services or known errors."""
        article = self.get_object()
        data = self._input(s.ArticleInputSerializer, partial=True)
        article = services.article_update(
            actor=request.user, article=article, expected_version=_expected_version(request, article), **data
        )
        return self._detail(article)

    @extend_schema(
        request=s.ArticleTransitionInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ArticleDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Submit, approve and publish, return (with a note), retire or revise an article."""
        article = self.get_object()
        data = self._input(s.ArticleTransitionInputSerializer)
        article = services.article_transition(
            actor=request.user,
            article=article,
            action=data["action"],
            note=data.get("note", ""),
            expected_version=_expected_version(request, article),
        )
        return self._detail(article)

    @extend_schema(responses={200: s.ArticleVersionSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        """Every version of the article's text, newest first."""
        article = self.get_object()
        context = {"show_people": selectors.shows_people(request.user)}
        versions = selectors.article_versions(article=article)
        return Response(s.ArticleVersionSerializer(versions, many=True, context=context).data)

    @extend_schema(
        request=s.ArticleRestoreInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ArticleDetailSerializer, **CHANGE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Restore an earlier version's text as the article's next version."""
        article = self.get_object()
        data = self._input(s.ArticleRestoreInputSerializer)
        article = services.article_restore(
            actor=request.user,
            article=article,
            number=data["version"],
            expected_version=_expected_version(request, article),
        )
        return self._detail(article)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, OpenApiParameter.QUERY, description=_("The text to search.")),
            OpenApiParameter(
                "category",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=False,
                description=_("Boost this category."),
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=False,
                description=_("At most 50; default 5."),
            ),
        ],
        responses={200: s.SearchHitSerializer(many=True), **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def search(self, request):
        """The best published articles for a text (Chinese or English), best first."""
        try:
            limit = int(request.query_params.get("limit") or search.DEFAULT_LIMIT)
        except ValueError:
            limit = search.DEFAULT_LIMIT
        hits = search.article_search(
            user=request.user,
            text=(request.query_params.get("q") or "")[:2000],
            category=request.query_params.get("category"),
            limit=limit,
        )
        return Response(s.SearchHitSerializer(hits, many=True).data)
