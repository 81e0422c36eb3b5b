"""Who may do what to an article they can see. Visibility itself is decided by knowledge.selectors (the gate
and the audience rule).

- Client administrators and supervisors, vendor managers and vendor agents write articles (from scratch, from a
  resolved work order or from a problem); executives, auditors and requesters read.
- The author and the client's operators edit a draft, restore an earlier version and submit it for review.
- A client administrator or supervisor approves (publishes) or returns an article in review, but never one they
  wrote: not as its author, not as the author of the text under review (four eyes).
- The client's operators retire a published article; the author or an operator takes one back to draft.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import NotAllowed
from oversight.tenancy.roles import CLIENT_OPERATORS, VENDOR_ROLES, is_client_operator, is_signed_in

WRITERS = CLIENT_OPERATORS | VENDOR_ROLES


def may_write(user) -> bool:
    """Write a new article for one's organisation."""
    return is_signed_in(user) and (user.is_superuser or user.role in WRITERS)


def may_edit(user, article) -> bool:
    """Edit the text, restore a version, submit, take back to draft: the author and the client's operators."""
    if is_client_operator(user, article.organisation_id):
        return True
    return may_write(user) and article.owner_id == user.pk


def is_author(user, article) -> bool:
    """The article's owner or the author of its current text."""
    if article.owner_id == user.pk:
        return True
    latest = article.versions.order_by("-number").values_list("author_id", flat=True).first()
    return latest == user.pk


def may_approve(user, article) -> bool:
    """Publish or return an article in review: a client operator who did not write it."""
    return is_client_operator(user, article.organisation_id) and not is_author(user, article)


def may_retire(user, article) -> bool:
    """Retire a published article: the client's operators."""
    return is_client_operator(user, article.organisation_id)


def require(condition: bool, message=None) -> None:
    """Raise NotAllowed with a clear message unless the condition holds."""
    if not condition:
        raise NotAllowed(message or _("You are not allowed to do this."))
