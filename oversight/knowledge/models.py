"""Knowledge articles (知识文章) with their full version history, the work orders they solved and the work orders
they avoided (deflections, 知识拦截).

An article is bilingual the way the platform treats text people type: the organisation's language (``title``,
``body``) plus an optional English text (``title_en``, ``body_en``) that English readers see when it is filled in
(ADR 0026). ``search_title`` and ``search_body`` hold the text pre-segmented into search terms (jieba for Chinese,
words for English, both languages together, separated by single spaces and padded with one at each end); they
are what the search reads (ADR 0025) and are rewritten by the services on every save.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.bilingual import pick_name
from oversight.core.concurrency import VersionETag
from oversight.knowledge.choices import ArticleStatus, Audience, VersionKind
from oversight.tenancy.visibility import WHOLE_ORGANISATION, Visibility


class ArticleCounter(models.Model):
    """Per organisation, the last article number handed out (locked while incremented)."""

    visibility = Visibility(organisation="organisation", roles=frozenset())  # bookkeeping: nobody reads it

    organisation = models.OneToOneField("tenancy.Organisation", on_delete=models.CASCADE, related_name="+")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("article counter")
        verbose_name_plural = _("article counters")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.last}"


class Article(VersionETag, models.Model):
    """A knowledge article (知识文章): how to solve or avoid a fault, reviewed before its readers see it."""

    # The gate lets every role of the organisation reach articles; who reads which one (audience, state, own
    # drafts) is the domain rule of `knowledge.selectors.article_list`.
    visibility = Visibility(organisation="organisation", vendor=WHOLE_ORGANISATION, requester=WHOLE_ORGANISATION)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    body_en = models.TextField(_("text (English)"), blank=True)
    category = models.ForeignKey(
        "catalog.ServiceCategory",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("services"), blank=True, related_name="knowledge_articles"
    )
    known_errors = models.ManyToManyField(
        "problems.KnownError", verbose_name=_("known errors"), blank=True, related_name="knowledge_articles"
    )
    configuration_items = models.ManyToManyField(
        "configuration.ConfigurationItem",
        verbose_name=_("configuration items"),
        blank=True,
        related_name="knowledge_articles",
    )
    status = models.CharField(_("status"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    audience = models.CharField(_("readers"), max_length=20, choices=Audience.choices, default=Audience.INTERNAL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    # The owner's vendor when a vendor's staff wrote it (kept when the person leaves the vendor).
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("vendor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_work_order = models.ForeignKey(
        "tickets.WorkOrder",
        verbose_name=_("written from work order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("written from problem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_title = models.TextField(_("search terms of the title"), blank=True, editable=False)
    search_body = models.TextField(_("search terms of the text"), blank=True, editable=False)
    # The number of terms in search_title + search_body (the document length BM25 normalises by).
    search_length = models.PositiveIntegerField(_("search length"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-updated_at", "-id"], name="knowledge_org_updated_idx"),
            models.Index(fields=["organisation", "status", "audience"], name="knowledge_org_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="knowledge_article_title_given"),
            models.CheckConstraint(condition=Q(status__in=ArticleStatus.values), name="knowledge_article_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.localized_title}"

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", args=[self.pk])

    @property
    def localized_title(self) -> str:
        """The English title for English readers when there is one, else the title."""
        return pick_name(self.title, self.title_en)

    @property
    def localized_body(self) -> str:
        """The English text for English readers when there is one, else the text."""
        return pick_name(self.body, self.body_en)


class ArticleVersion(models.Model):
    """One saved text of an article (every save is a version; a restore is a new version with an old text)."""

    visibility = Visibility.through("article")

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("how"), max_length=20, choices=VersionKind.choices, default=VersionKind.EDITED)
    restored_from = models.PositiveIntegerField(_("restored from version"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    body_en = models.TextField(_("text (English)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="knowledge_articleversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"

    @property
    def localized_title(self) -> str:
        """The English title for English readers when there is one, else the title."""
        return pick_name(self.title, self.title_en)


class ArticleWorkOrder(models.Model):
    """An article used on a work order: the agent (or the requester) says it solved it (counted in the ranking)."""

    visibility = Visibility(organisation="article__organisation", vendor="work_order__vendor")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="work_order_links"
    )
    work_order = models.ForeignKey(
        "tickets.WorkOrder", verbose_name=_("work order"), on_delete=models.CASCADE, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        verbose_name = _("article used on a work order")
        verbose_name_plural = _("articles used on work orders")
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "work_order"], name="knowledge_articleworkorder_unique")
        ]
        indexes = [models.Index(fields=["work_order"], name="knowledge_link_wo_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.work_order_id}"


class Deflection(models.Model):
    """A work order not submitted because an article solved the requester's problem (知识拦截), with what they
    had typed."""

    # The client's staff count them; a requester sees their own; vendors see none.
    visibility = Visibility(organisation="organisation", requester="requester")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="deflections"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    typed_title = models.CharField(_("typed title"), max_length=200, blank=True)
    typed_description = models.TextField(_("typed description"), blank=True)
    created_at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("deflected work order")
        verbose_name_plural = _("deflected work orders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "created_at"], name="knowledge_defl_org_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} ← {self.requester_id}"
