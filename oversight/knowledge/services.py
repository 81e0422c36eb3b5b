"""Writes to knowledge articles, their versions, work-order links and deflections. Every change goes through here.

Every save of an article's text is a new `ArticleVersion` (restoring is a new version with the old text), and
rewrites the article's search terms (`knowledge.segment`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError
from oversight.knowledge import permissions, segment
from oversight.knowledge.choices import (
    ARTICLE_ACTIONS_NEEDING_NOTE,
    ARTICLE_MACHINE,
    EDITABLE_STATUSES,
    ArticleAction,
    ArticleStatus,
    Audience,
    VersionKind,
)
from oversight.knowledge.models import Article, ArticleCounter, ArticleVersion, ArticleWorkOrder, Deflection
from oversight.tenancy.roles import is_requester, is_vendor
from oversight.tickets.models import WorkOrder

TEXT_FIELDS = ("title", "title_en", "body", "body_en")
#: The fields `article_update` may change besides the text (relations are given as sequences of objects).
DETAIL_FIELDS = ("category", "audience")
RELATION_FIELDS = ("services", "known_errors", "configuration_items")

#: Work-order statuses after which a work order has a resolution to write an article from.
RESOLVED_STATUSES = frozenset({"resolved", "closed"})


def search_columns(*, title: str, title_en: str, body: str, body_en: str) -> dict:
    """The stored search columns of a text: pre-segmented title and body terms, and their total count."""
    title_terms = segment.terms(f"{title}\n{title_en}")
    body_terms = segment.terms(f"{body}\n{body_en}")
    return {
        "search_title": segment.stored(title_terms),
        "search_body": segment.stored(body_terms),
        "search_length": len(title_terms) + len(body_terms),
    }


def _clean_text(title: str, title_en: str, body: str, body_en: str) -> dict:
    cleaned = {
        "title": (title or "").strip(),
        "title_en": (title_en or "").strip(),
        "body": (body or "").strip(),
        "body_en": (body_en or "").strip(),
    }
    if not cleaned["title"]:
        raise ApplicationError(_("Give the article a title."))
    if not cleaned["body"]:
        raise ApplicationError(_("Write the article's text."))
    return cleaned


def _check_relations(
    organisation_id: int,
    *,
    category=None,
    services: Sequence = (),
    known_errors: Sequence = (),
    configuration_items: Sequence = (),
):
    """Everything an article refers to belongs to its organisation."""
    for obj in (category, *services, *known_errors):
        if obj is not None and obj.organisation_id != organisation_id:
            raise ApplicationError(_("Choose a category, services and known errors of your own organisation."))
    if any(ci.organisation_id != organisation_id for ci in configuration_items):
        raise ApplicationError(_("Choose configuration items of your own organisation."))


def _check_audience(audience: str) -> None:
    if audience not in Audience.values:
        raise ApplicationError(_("Choose who may read the article."))


def _next_number(organisation) -> str:
    counter, _created = ArticleCounter.objects.select_for_update(of=("self",)).get_or_create(organisation=organisation)
    ArticleCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"KB-{organisation.work_order_prefix}{counter.last:05d}"


def _version(article: Article, *, actor, kind: str, now: dt.datetime, restored_from: int | None = None):
    """Save the article's current text as its next version (the caller holds the row lock or created it)."""
    last = article.versions.aggregate(n=Max("number"))["n"] or 0
    return ArticleVersion.objects.create(
        article=article,
        number=last + 1,
        kind=kind,
        restored_from=restored_from,
        title=article.title,
        title_en=article.title_en,
        body=article.body,
        body_en=article.body_en,
        author=actor,
        created_at=now,
    )


@transaction.atomic
def article_create(
    *,
    actor,
    title: str,
    body: str,
    title_en: str = "",
    body_en: str = "",
    category=None,
    services: Sequence = (),
    known_errors: Sequence = (),
    configuration_items: Sequence = (),
    audience: str = Audience.INTERNAL,
    source_work_order: WorkOrder | None = None,
    source_problem=None,
    created_at: dt.datetime | None = None,
) -> Article:
    """Write a new article (a draft, version 1) for the actor's organisation."""
    permissions.require(permissions.may_write(actor))
    organisation = actor.organisation
    text = _clean_text(title, title_en, body, body_en)
    _check_audience(audience)
    services, known_errors, items = list(services), list(known_errors), list(configuration_items)
    _check_relations(
        organisation.pk, category=category, services=services, known_errors=known_errors, configuration_items=items
    )
    now = created_at or clock.now()
    article = Article.objects.create(
        organisation=organisation,
        number=_next_number(organisation),
        category=category,
        audience=audience,
        owner=actor,
        vendor_id=actor.vendor_id if is_vendor(actor) else None,
        source_work_order=source_work_order,
        source_problem=source_problem,
        created_at=now,
        updated_at=now,
        **text,
        **search_columns(**text),
    )
    article.services.set(services)
    article.known_errors.set(known_errors)
    article.configuration_items.set(items)
    _version(article, actor=actor, kind=VersionKind.CREATED, now=now)
    after = model_snapshot(article, ["number", "title", "status", "audience", "category"])
    audit_record(actor=actor, action="knowledge.article.created", obj=article, after=after)
    return article


def _require_editable(locked: Article) -> None:
    if locked.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            _("A %(status)s article cannot be edited: take it back to draft first.")
            % {"status": ArticleStatus(locked.status).label}
        )


@transaction.atomic
def article_update(*, actor, article: Article, expected_version: int | None = None, **changes) -> Article:
    """Change a draft's text (a new version), category, readers, services, known errors or configuration items."""
    unknown = set(changes) - set(TEXT_FIELDS) - set(DETAIL_FIELDS) - set(RELATION_FIELDS)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    locked = lock_row(article)
    permissions.require(permissions.may_edit(actor, locked))
    check_version(locked, expected_version, ARTICLE_MACHINE.stale)
    _require_editable(locked)
    text = _clean_text(*(changes.get(f, getattr(locked, f)) for f in TEXT_FIELDS))
    if "audience" in changes:
        _check_audience(changes["audience"])
    relations = {name: list(changes[name]) for name in RELATION_FIELDS if name in changes}
    _check_relations(locked.organisation_id, category=changes.get("category", locked.category), **relations)
    before = model_snapshot(locked, [*TEXT_FIELDS, *DETAIL_FIELDS])
    before_relations = {name: sorted(getattr(locked, name).values_list("pk", flat=True)) for name in relations}
    for name, value in text.items():
        setattr(locked, name, value)
    for name in DETAIL_FIELDS:
        if name in changes:
            setattr(locked, name, changes[name])
    old, new = diff_snapshots(before, model_snapshot(locked, [*TEXT_FIELDS, *DETAIL_FIELDS]))
    for name, items in relations.items():
        pks = sorted(obj.pk for obj in items)
        if pks != before_relations[name]:
            getattr(locked, name).set(items)
            old[name], new[name] = before_relations[name], pks
    if not new:
        return locked
    now = clock.now()
    fields = [f for f in new if f not in RELATION_FIELDS]
    if set(new) & set(TEXT_FIELDS):
        columns = search_columns(**text)
        for name, value in columns.items():
            setattr(locked, name, value)
        fields += list(columns)
        _version(locked, actor=actor, kind=VersionKind.EDITED, now=now)
    touch(locked, now, fields)
    audit_record(actor=actor, action="knowledge.article.updated", obj=locked, before=old, after=new)
    return locked


@transaction.atomic
def article_restore(*, actor, article: Article, number: int, expected_version: int | None = None) -> Article:
    """Restore the text of an earlier version: a new version with that text (the history keeps everything)."""
    locked = lock_row(article)
    permissions.require(permissions.may_edit(actor, locked))
    check_version(locked, expected_version, ARTICLE_MACHINE.stale)
    _require_editable(locked)
    try:
        old = locked.versions.get(number=number)
    except ArticleVersion.DoesNotExist as exc:
        raise ApplicationError(_("This version does not exist.")) from exc
    text = {name: getattr(old, name) for name in TEXT_FIELDS}
    if all(getattr(locked, name) == value for name, value in text.items()):
        raise ApplicationError(_("The article already has this text."))
    now = clock.now()
    for name, value in {**text, **search_columns(**text)}.items():
        setattr(locked, name, value)
    touch(locked, now, [*TEXT_FIELDS, "search_title", "search_body", "search_length"])
    made = _version(locked, actor=actor, kind=VersionKind.RESTORED, now=now, restored_from=old.number)
    audit_record(
        actor=actor,
        action="knowledge.article.restored",
        obj=locked,
        after={"restored_from": old.number, "version": made.number},
    )
    return locked


def _authorize(actor, locked: Article, action: str) -> None:
    if action == ArticleAction.PUBLISH or action == ArticleAction.REJECT:
        permissions.require(
            permissions.may_approve(actor, locked),
            _("An article is approved by a client administrator or supervisor who did not write it."),
        )
    elif action == ArticleAction.RETIRE:
        permissions.require(permissions.may_retire(actor, locked))
    else:
        permissions.require(permissions.may_edit(actor, locked))


def _apply(locked: Article, action: str, actor, now: dt.datetime) -> list[str]:
    if action == ArticleAction.PUBLISH:
        locked.approver = actor
        locked.published_at = now
        locked.retired_at = None
        return ["approver", "published_at", "retired_at"]
    if action == ArticleAction.RETIRE:
        locked.retired_at = now
        return ["retired_at"]
    return []


@transaction.atomic
def article_transition(
    *,
    actor,
    article: Article,
    action: str,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Article:
    """Move an article along its states (choices.ARTICLE_MACHINE): submit, publish (four eyes), return, retire,
    revise."""
    note = (note or "").strip()

    def needs_note(locked, _actor):
        if action in ARTICLE_ACTIONS_NEEDING_NOTE and not note:
            raise ApplicationError(_("Say what the author should change."))

    done = transition(
        article,
        machine=ARTICLE_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        authorize=lambda locked: _authorize(actor, locked, action),
        guards=(needs_note,),
        apply=lambda locked, now: _apply(locked, action, actor, now),
        at=at,
        audit_after={"note": note} if note else None,
    )
    return done.obj


def _resolution_text(work_order: WorkOrder) -> str:
    parts = [work_order.description.strip()]
    if work_order.resolution.strip():
        parts.append(f"{gettext('Resolution')}:\n{work_order.resolution.strip()}")
    return "\n\n".join(p for p in parts if p)


@transaction.atomic
def article_from_work_order(*, actor, work_order: WorkOrder) -> Article:
    """A draft prefilled from a resolved work order (its title, description and resolution, its service and
    category), linked to it as the article's source."""
    permissions.require(permissions.may_write(actor))
    if work_order.organisation_id != getattr(actor, "organisation_id", None):
        raise ApplicationError(_("Only a work order of your own organisation can become an article."))
    if work_order.status not in RESOLVED_STATUSES:
        raise ApplicationError(_("Only a resolved or closed work order can become an article."))
    if not work_order.resolution.strip():
        raise ApplicationError(_("This work order has no resolution to write an article from."))
    service = work_order.service
    return article_create(
        actor=actor,
        title=work_order.title,
        body=_resolution_text(work_order),
        category=service.category,
        services=[service],
        source_work_order=work_order,
    )


def _problem_text(problem) -> str:
    sections = (
        (gettext("Symptom"), problem.description),
        (gettext("Root cause"), problem.root_cause),
        (gettext("Workaround"), problem.workaround),
        (gettext("Permanent fix"), problem.permanent_fix),
    )
    return "\n\n".join(f"{label}:\n{text.strip()}" for label, text in sections if (text or "").strip())


@transaction.atomic
def article_from_problem(*, actor, problem) -> Article:
    """A draft prefilled from a problem (symptom, root cause, workaround, permanent fix), linked to its service,
    its configuration items and to its known error when it has one."""
    permissions.require(permissions.may_write(actor))
    if problem.organisation_id != getattr(actor, "organisation_id", None):
        raise ApplicationError(_("Only a problem of your own organisation can become an article."))
    body = _problem_text(problem)
    if not body:
        raise ApplicationError(_("This problem has no description or analysis to write an article from."))
    known_error = getattr(problem, "known_error", None)  # the reverse one-to-one raises when there is none
    return article_create(
        actor=actor,
        title=problem.title,
        body=body,
        category=problem.service.category if problem.service_id else None,
        services=[problem.service] if problem.service_id else [],
        known_errors=[known_error] if known_error is not None else [],
        configuration_items=list(problem.configuration_items.all()),
        source_problem=problem,
    )


@transaction.atomic
def article_link_work_order(*, actor, article: Article, work_order: WorkOrder) -> ArticleWorkOrder:
    """Record that a published article solved a work order (counted in the ranking); a repeat changes nothing."""
    permissions.require(permissions.may_write(actor))
    if article.status != ArticleStatus.PUBLISHED:
        raise ApplicationError(_("Only a published article can be recorded as a solution."))
    if work_order.organisation_id != article.organisation_id:
        raise ApplicationError(_("The article and the work order belong to different organisations."))
    link, created = ArticleWorkOrder.objects.get_or_create(
        article=article, work_order=work_order, defaults={"linked_by": actor, "linked_at": clock.now()}
    )
    if created:
        audit_record(
            actor=actor,
            action="knowledge.article.work_order_linked",
            obj=article,
            after={"work_order": work_order.number},
        )
    return link


@transaction.atomic
def deflection_record(*, actor, article: Article, title: str = "", description: str = "", service=None) -> Deflection:
    """A requester says the article solved their problem: the work order they were typing is not submitted, and
    the avoided work order is counted with what they had typed."""
    permissions.require(is_requester(actor), _("Only a requester can say an article solved their problem."))
    if article.status != ArticleStatus.PUBLISHED or article.organisation_id != actor.organisation_id:
        raise ApplicationError(_("This article is not available."))
    if service is not None and service.organisation_id != actor.organisation_id:
        raise ApplicationError(_("Choose a service of your own organisation."))
    deflection = Deflection.objects.create(
        organisation=actor.organisation,
        article=article,
        requester=actor,
        service=service,
        typed_title=(title or "").strip()[:200],
        typed_description=(description or "").strip(),
        created_at=clock.now(),
    )
    audit_record(actor=actor, action="knowledge.deflection.created", obj=deflection, after={"article": article.number})
    return deflection
