"""Article states with the one table of article transitions, audiences, version kinds and the audit action labels
of the knowledge base."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.transitions import Machine


class ArticleStatus(models.TextChoices):
    """Article state; see ARTICLE_TRANSITIONS for how one may move between them."""

    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ArticleAction(models.TextChoices):
    """The transitions of an article; each is one call of `knowledge.services.article_transition`."""

    SUBMIT = "submit", _("Submit for review")
    PUBLISH = "publish", _("Approve and publish")
    REJECT = "reject", _("Return to the author")
    RETIRE = "retire", _("Retire")
    REVISE = "revise", _("Revise (back to draft)")


class Audience(models.TextChoices):
    """Who may read a published article besides the client's own staff."""

    INTERNAL = "internal", _("Internal (client staff only)")
    VENDOR = "vendor", _("Vendors (client and vendor staff)")
    REQUESTERS = "requesters", _("Requesters (everyone)")


# The one table of allowed article transitions: action -> (statuses it may start from, status it leads to).
ARTICLE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ArticleAction.SUBMIT: (frozenset({ArticleStatus.DRAFT}), ArticleStatus.REVIEW),
    ArticleAction.PUBLISH: (frozenset({ArticleStatus.REVIEW}), ArticleStatus.PUBLISHED),
    ArticleAction.REJECT: (frozenset({ArticleStatus.REVIEW}), ArticleStatus.DRAFT),
    ArticleAction.RETIRE: (frozenset({ArticleStatus.PUBLISHED}), ArticleStatus.RETIRED),
    ArticleAction.REVISE: (frozenset({ArticleStatus.PUBLISHED, ArticleStatus.RETIRED}), ArticleStatus.DRAFT),
}
# Transitions that need a text from the person asking (why an article goes back to its author).
ARTICLE_ACTIONS_NEEDING_NOTE = frozenset({ArticleAction.REJECT})

# The article's state machine (oversight.core.transitions). "reject" and "revise" both lead to draft, so neither
# is recognised as a harmless repeat by the status alone; a repeated submit, publish or retire is harmless.
ARTICLE_MACHINE = Machine(
    name="knowledge.article",
    table=ARTICLE_TRANSITIONS,
    refusal=lambda status, action: (
        _("“%(action)s” is not possible while the article is “%(status)s”.")
        % {"action": ArticleAction(action).label, "status": ArticleStatus(status).label}
    ),
    stale=_("This article was changed by someone else in the meantime. Reload it and try again."),
    audit="knowledge.article.{action}",
    same_request=lambda obj, actor, action, params: action not in (ArticleAction.REJECT, ArticleAction.REVISE),
)

#: The statuses in which an article's text may be edited (a published one is revised first).
EDITABLE_STATUSES = frozenset({ArticleStatus.DRAFT})


class VersionKind(models.TextChoices):
    """How a version of an article came to be."""

    CREATED = "created", _("Written")
    EDITED = "edited", _("Edited")
    RESTORED = "restored", _("Restored from an earlier version")


# Readable names of the audit actions this app writes (oversight.audit.actions collects them); the transitions
# are named `knowledge.article.<action>` by ARTICLE_MACHINE.
AUDIT_ACTIONS = {
    "knowledge.article.created": _("Knowledge article written"),
    "knowledge.article.updated": _("Knowledge article edited"),
    "knowledge.article.restored": _("Knowledge article restored from an earlier version"),
    "knowledge.article.submit": _("Knowledge article submitted for review"),
    "knowledge.article.publish": _("Knowledge article approved and published"),
    "knowledge.article.reject": _("Knowledge article returned to its author"),
    "knowledge.article.retire": _("Knowledge article retired"),
    "knowledge.article.revise": _("Knowledge article taken back to draft"),
    "knowledge.article.work_order_linked": _("Knowledge article linked to a work order"),
    "knowledge.deflection.created": _("Work order avoided by a knowledge article"),
}
