"""Serializers of the knowledge API: separate input (strict, scoped to what the user may see) and output."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oversight.catalog.selectors import category_list, service_list
from oversight.configuration.selectors import ci_list
from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.knowledge.choices import ArticleAction, Audience
from oversight.knowledge.models import Article, ArticleVersion
from oversight.problems.selectors import known_error_list


class ArticleListSerializer(serializers.ModelSerializer):
    """An article in a list."""

    category = ObjectRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = ["id", "number", "title", "title_en", "status", "audience", "category", "updated_at", "version"]
        read_only_fields = fields


def _person(serializer, person) -> dict | None:
    """A person as a reference, when the reader is told who it is (`selectors.shows_people`)."""
    if person is None or not serializer.context.get("show_people"):
        return None
    return ObjectRefSerializer(person).data


class ArticleDetailSerializer(serializers.ModelSerializer):
    """An article with its text and links."""

    category = ObjectRefSerializer(read_only=True, allow_null=True)
    services = ObjectRefSerializer(many=True, read_only=True)
    known_errors = ObjectRefSerializer(many=True, read_only=True)
    configuration_items = serializers.SerializerMethodField(
        help_text=_("The configuration items the article is about that the reader may see.")
    )
    owner = serializers.SerializerMethodField(help_text=_("Shown to the client's staff only; otherwise null."))
    approver = serializers.SerializerMethodField(help_text=_("Shown to the client's staff only; otherwise null."))

    class Meta:
        model = Article
        fields = [
            "id",
            "number",
            "title",
            "title_en",
            "body",
            "body_en",
            "status",
            "audience",
            "category",
            "services",
            "known_errors",
            "configuration_items",
            "owner",
            "approver",
            "created_at",
            "updated_at",
            "published_at",
            "retired_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(ObjectRefSerializer(many=True))
    def get_configuration_items(self, obj) -> list[dict]:
        visible = ci_list(user=self.context["request"].user).filter(knowledge_articles=obj).order_by("name")
        return ObjectRefSerializer(visible, many=True).data

    @extend_schema_field(ObjectRefSerializer(allow_null=True))
    def get_owner(self, obj) -> dict | None:
        return _person(self, obj.owner)

    @extend_schema_field(ObjectRefSerializer(allow_null=True))
    def get_approver(self, obj) -> dict | None:
        return _person(self, obj.approver)


class ArticleInputSerializer(StrictInputSerializer):
    """What a writer sends to create or change an article (a PATCH sends only what changes)."""

    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body_en = serializers.CharField(required=False, allow_blank=True)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    category = ScopedPrimaryKeyRelatedField(category_list, required=False, allow_null=True)
    services = ScopedPrimaryKeyRelatedField(service_list, many=True, required=False)
    known_errors = ScopedPrimaryKeyRelatedField(known_error_list, many=True, required=False)
    configuration_items = ScopedPrimaryKeyRelatedField(ci_list, many=True, required=False)


class ArticleTransitionInputSerializer(StrictInputSerializer):
    """One step of an article's review."""

    action = serializers.ChoiceField(choices=ArticleAction.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ArticleRestoreInputSerializer(StrictInputSerializer):
    """The version whose text becomes the article's next version."""

    version = serializers.IntegerField(min_value=1, help_text=_("The number of the version to restore."))


class ArticleVersionSerializer(serializers.ModelSerializer):
    """One saved text of an article."""

    author = serializers.SerializerMethodField(help_text=_("Shown to the client's staff only; otherwise null."))

    class Meta:
        model = ArticleVersion
        fields = ["number", "kind", "restored_from", "title", "title_en", "body", "body_en", "author", "created_at"]
        read_only_fields = fields

    @extend_schema_field(ObjectRefSerializer(allow_null=True))
    def get_author(self, obj) -> dict | None:
        return _person(self, obj.author)


class SearchHitSerializer(serializers.Serializer):
    """One search result: the article and how it scored."""

    article = ArticleListSerializer(read_only=True)
    score = serializers.FloatField(read_only=True)
    relevance = serializers.FloatField(read_only=True)
    category_match = serializers.BooleanField(read_only=True)
    solved = serializers.IntegerField(read_only=True)
