"""Writes to contracts. Every change goes through one of these services, whoever asks for it, and is audited.

Lifecycle (the table is `choices.TRANSITIONS`): a contract is created as a **draft** with version 1;
the draft may be edited freely (nothing is in force yet). **Activating** it puts version 1 in force
from its `effective_from`. From then on the terms change only by **amendment**: a new version with a
later effective date (today or later: never retroactive), while every earlier version stays exactly
as it was. A future amendment may be withdrawn until it takes effect. An active contract **expires**
the day after its term ends (the daily task) or is **terminated** early, with a reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.audit.transitions import transition
from oversight.contracts.choices import (
    CONTRACT_MACHINE,
    ISO_4217_CODES,
    ContractAction,
    ContractStatus,
    DocumentKind,
)
from oversight.contracts.events import CONTRACT_ACTIVATED
from oversight.contracts.models import (
    CommitmentShareStep,
    Contract,
    ContractCommitment,
    ContractDocument,
    ContractScoreBand,
    ContractStaffing,
    ContractUnitRate,
    ContractVersion,
)
from oversight.contracts.permissions import may_manage_contracts
from oversight.contracts.selectors import version_queryset, version_terms
from oversight.contracts.validation import TERM_FIELDS, Terms, terms_snapshot, validate_terms
from oversight.core import clock
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from oversight.core.uploads import check_stored_upload
from oversight.core.zones import local_today
from oversight.notifications.services import notification_create, notification_queue_email
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User, Vendor

logger = logging.getLogger(__name__)

# Besides the notice period itself, renewal reminders are repeated this many days before the end.
FOLLOW_UP_REMINDER_DAYS = (30, 7)


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------


def _require_manager(actor, organisation) -> None:
    if not may_manage_contracts(actor, organisation):
        raise NotAllowed(_("Only the organisation's administrators manage contracts."))


def _lock(contract: Contract) -> Contract:
    """Reload the contract under a row lock (every write to a contract and its versions takes it)."""
    return Contract.objects.select_for_update(of=("self",)).select_related("vendor", "organisation").get(pk=contract.pk)


def _clean_text(value: str, *, label, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(_("%(label)s is required.") % {"label": label}, code="required")
    if len(text) > max_length:
        raise ApplicationError(
            _("%(label)s may have at most %(n)s characters.") % {"label": label, "n": max_length}, code="too_long"
        )
    return text


def _currency(value: str) -> str:
    code = (value or "").strip().upper()
    if code not in ISO_4217_CODES:
        raise ApplicationError(
            _("%(code)s is not an ISO 4217 currency code.") % {"code": value},
            code="currency",
            extra={"field": "currency"},
        )
    return code


def _write_terms(version: ContractVersion, terms: Terms) -> None:
    """Store the rows of a version's terms (the version's own fields are set by the caller)."""
    version.services.set(terms.services)
    version.sites.set(terms.sites)
    ContractScoreBand.objects.bulk_create(
        ContractScoreBand(
            version=version,
            upper=b.upper,
            lower=b.lower,
            per_point=b.per_point,
            per_point_basis=b.per_point_basis,
            step=b.step,
            step_basis=b.step_basis,
        )
        for b in terms.bands
    )
    for position, c in enumerate(terms.commitments):
        commitment = ContractCommitment.objects.create(
            version=version,
            position=position,
            code=c.code,
            name=c.name,
            name_en=c.name_en,
            sla_metric=c.sla_metric,
            indicator=c.indicator,
            target=c.target,
            allocation_percent=c.allocation_percent,
            miss_share_percent=c.miss_share_percent,
        )
        CommitmentShareStep.objects.bulk_create(
            CommitmentShareStep(commitment=commitment, threshold=s.threshold, share_percent=s.share_percent)
            for s in c.share_steps
        )
        commitment.sla_policy_versions.set(c.sla_policy_versions)
    ContractUnitRate.objects.bulk_create(
        ContractUnitRate(version=version, kind=r.kind, rate=r.rate, included_quantity=r.included_quantity)
        for r in terms.unit_rates
    )
    ContractStaffing.objects.bulk_create(
        ContractStaffing(version=version, position=s.position, count=s.count) for s in terms.staffing
    )


def _clear_terms(version: ContractVersion) -> None:
    version.bands.all().delete()
    version.commitments.all().delete()
    version.unit_rates.all().delete()
    version.staffing.all().delete()
    version.services.clear()
    version.sites.clear()


_VERSION_FIELDS = (
    "term_start",
    "term_end",
    "fee_period",
    "fixed_fee",
    "at_risk_percent",
    "max_deduction",
    "max_deduction_basis",
    "renewal_notice_days",
)


def _version_fields(terms: Terms) -> dict:
    return {name: getattr(terms, name) for name in _VERSION_FIELDS}


def _latest_version(contract: Contract) -> ContractVersion:
    return version_queryset().filter(contract=contract).order_by("-number").first()


# --------------------------------------------------------------------------------------------------
# create and edit a draft
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def contract_create(
    *, actor: User | None, vendor: Vendor, number: str, title: str, terms: Terms, currency: str = "CNY"
) -> Contract:
    """Create a draft contract with a vendor and its version 1 (in force from the term start once activated)."""
    organisation = vendor.organisation
    _require_manager(actor, organisation)
    number = _clean_text(number, label=_("The contract number"), max_length=60)
    title = _clean_text(title, label=_("The title"), max_length=200)
    currency = _currency(currency)
    terms = validate_terms(terms, vendor=vendor, effective_from=terms.term_start)
    if Contract.objects.filter(organisation=organisation, number=number).exists():
        raise ApplicationError(
            _("Another contract already has the number %(number)s.") % {"number": number},
            code="duplicate_number",
            extra={"field": "number"},
        )
    now = clock.now()
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                organisation=organisation,
                vendor=vendor,
                number=number,
                title=title,
                currency=currency,
                status=ContractStatus.DRAFT,
                starts_on=terms.term_start,
                ends_on=terms.term_end,
                created_at=now,
                created_by=actor,
                updated_at=now,
            )
    except IntegrityError as exc:  # a concurrent create took the number
        raise ApplicationError(
            _("Another contract already has the number %(number)s.") % {"number": number},
            code="duplicate_number",
            extra={"field": "number"},
        ) from exc
    version = ContractVersion.objects.create(
        contract=contract,
        number=1,
        effective_from=terms.term_start,
        reason="",
        created_at=now,
        created_by=actor,
        **_version_fields(terms),
    )
    _write_terms(version, terms)
    audit_record(
        actor=actor,
        action="contracts.contract.created",
        obj=contract,
        after={
            "number": number,
            "title": title,
            "vendor": vendor.pk,
            "currency": currency,
            "status": contract.status,
            "terms": terms_snapshot(terms),
        },
    )
    return contract


@transaction.atomic
def contract_update_draft(
    *,
    actor: User | None,
    contract: Contract,
    number: str | None = None,
    title: str | None = None,
    currency: str | None = None,
    terms: Terms | None = None,
) -> Contract:
    """Change a draft: its number, title, currency and the terms of its version 1 (nothing is in force yet)."""
    locked = _lock(contract)
    _require_manager(actor, locked.organisation)
    if locked.status != ContractStatus.DRAFT:
        raise InvalidTransition(
            _("Only a draft can be edited; an active contract changes by amendment."), code="not_draft"
        )
    before = {"number": locked.number, "title": locked.title, "currency": locked.currency}
    after = dict(before)
    fields = ["updated_at"]
    if number is not None:
        number = _clean_text(number, label=_("The contract number"), max_length=60)
        clash = Contract.objects.filter(organisation=locked.organisation, number=number).exclude(pk=locked.pk)
        if clash.exists():
            raise ApplicationError(
                _("Another contract already has the number %(number)s.") % {"number": number},
                code="duplicate_number",
                extra={"field": "number"},
            )
        locked.number = after["number"] = number
        fields.append("number")
    if title is not None:
        locked.title = after["title"] = _clean_text(title, label=_("The title"), max_length=200)
        fields.append("title")
    if currency is not None:
        locked.currency = after["currency"] = _currency(currency)
        fields.append("currency")
    version = _latest_version(locked)
    if terms is not None:
        terms = validate_terms(terms, vendor=locked.vendor, effective_from=terms.term_start)
        before["terms"] = terms_snapshot(version_terms(version))
        after["terms"] = terms_snapshot(terms)
        for name, value in _version_fields(terms).items():
            setattr(version, name, value)
        version.effective_from = terms.term_start
        version.save(update_fields=[*_VERSION_FIELDS, "effective_from"])
        _clear_terms(version)
        _write_terms(version, terms)
        locked.starts_on, locked.ends_on = terms.term_start, terms.term_end
        fields += ["starts_on", "ends_on"]
    locked.updated_at = clock.now()
    locked.save(update_fields=fields)
    audit_record(actor=actor, action="contracts.contract.draft_updated", obj=locked, before=before, after=after)
    return locked


@transaction.atomic
def contract_update_title(*, actor: User | None, contract: Contract, title: str) -> Contract:
    """Correct a contract's title (any status: the title is not a term)."""
    locked = _lock(contract)
    _require_manager(actor, locked.organisation)
    title = _clean_text(title, label=_("The title"), max_length=200)
    if title == locked.title:
        return locked
    before = {"title": locked.title}
    locked.title = title
    locked.updated_at = clock.now()
    locked.save(update_fields=["title", "updated_at"])
    audit_record(
        actor=actor, action="contracts.contract.title_changed", obj=locked, before=before, after={"title": title}
    )
    return locked


# --------------------------------------------------------------------------------------------------
# transitions
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def contract_activate(*, actor: User | None, contract: Contract) -> Contract:
    """Put a draft in force (its version 1 applies from the term start); repeating it is harmless."""
    locked = _lock(contract)
    _require_manager(actor, locked.organisation)

    def term_not_ended(c: Contract, actor) -> None:
        if c.ends_on < local_today(c.organisation):
            raise ApplicationError(
                _("The term of this contract has already ended; it cannot be activated."), code="term_ended"
            )

    def apply(c: Contract, now: dt.datetime) -> list[str]:
        c.activated_at = now
        return ["activated_at"]

    transition(
        locked,
        machine=CONTRACT_MACHINE,
        action=ContractAction.ACTIVATE,
        actor=actor,
        lock=False,
        guards=(term_not_ended,),
        apply=apply,
        event=CONTRACT_ACTIVATED,
        payload={"contract_id": locked.pk, "actor_id": getattr(actor, "pk", None)},
    )
    return locked


@transaction.atomic
def contract_terminate(*, actor: User | None, contract: Contract, terminated_on: dt.date, reason: str) -> Contract:
    """End a contract early: in force until `terminated_on` (today or later); a draft is simply abandoned."""
    locked = _lock(contract)
    _require_manager(actor, locked.organisation)
    reason = _clean_text(reason, label=_("The reason"), max_length=4000)
    today = local_today(locked.organisation)
    ends = {"on": terminated_on}

    def valid_date(c: Contract, actor) -> None:
        if c.status != ContractStatus.ACTIVE:
            ends["on"] = today  # a draft is abandoned today
            return
        if not isinstance(terminated_on, dt.date) or terminated_on < today:
            raise ApplicationError(
                _("A termination takes effect today or later, never in the past."),
                code="termination_in_past",
                extra={"field": "terminated_on"},
            )
        if terminated_on > c.ends_on:
            raise ApplicationError(
                _("The termination date lies after the end of the term (%(end)s).") % {"end": c.ends_on},
                code="termination_after_end",
                extra={"field": "terminated_on"},
            )
        if c.versions.filter(effective_from__gt=terminated_on).exists():
            raise ApplicationError(
                _("An amendment takes effect after this date; withdraw it first."),
                code="termination_before_amendment",
                extra={"field": "terminated_on"},
            )

    def apply(c: Contract, now: dt.datetime) -> list[str]:
        c.terminated_on = ends["on"]
        c.termination_reason = reason
        return ["terminated_on", "termination_reason"]

    transition(
        locked,
        machine=CONTRACT_MACHINE,
        action=ContractAction.TERMINATE,
        actor=actor,
        lock=False,
        guards=(valid_date,),
        apply=apply,
        audit_after=lambda c: {"terminated_on": c.terminated_on, "reason": reason},
    )
    return locked


@transaction.atomic
def contract_expire(*, contract: Contract, today: dt.date | None = None) -> bool:
    """Mark an active contract whose term has ended as expired (the system's own transition); True if it did."""
    locked = _lock(contract)
    today = today or local_today(locked.organisation)
    if locked.status != ContractStatus.ACTIVE or locked.ends_on >= today:
        return False
    transition(
        locked,
        machine=CONTRACT_MACHINE,
        action=ContractAction.EXPIRE,
        actor=None,
        lock=False,
        audit_after=lambda c: {"ended_on": c.ends_on},
    )
    return True


def contracts_expire_ended() -> int:
    """Expire every active contract whose term ended before today (each organisation's today); returns how many."""
    expired = 0
    earliest_possible = clock.now().date() + dt.timedelta(days=1)  # no time zone is more than a day ahead
    candidates = Contract.objects.filter(status=ContractStatus.ACTIVE, ends_on__lt=earliest_possible)
    for pk in candidates.values_list("pk", flat=True):
        expired += contract_expire(contract=Contract(pk=pk))
    return expired


# --------------------------------------------------------------------------------------------------
# amendments
# --------------------------------------------------------------------------------------------------

AMENDABLE_FIELDS = TERM_FIELDS - {"term_start"}


@transaction.atomic
def contract_amend(
    *, actor: User | None, contract: Contract, effective_from: dt.date, reason: str, **changes
) -> ContractVersion:
    """Amend an active contract: a new version from `effective_from` (today or later) with the changed terms.

    `changes` are fields of `validation.Terms` (all but `term_start`); the others are carried over from
    the latest version. Earlier versions are never touched.
    """
    locked = _lock(contract)
    _require_manager(actor, locked.organisation)
    if locked.status == ContractStatus.DRAFT:
        raise InvalidTransition(_("A draft is edited, not amended."), code="not_active")
    if locked.status != ContractStatus.ACTIVE:
        raise InvalidTransition(
            _("A contract that is %(status)s can no longer be amended.") % {"status": locked.get_status_display()},
            code="not_active",
        )
    reason = _clean_text(reason, label=_("The reason for the amendment"), max_length=4000)
    unknown = sorted(set(changes) - TERM_FIELDS)
    if unknown:
        raise ApplicationError(
            _("These terms do not exist: %(names)s") % {"names": ", ".join(unknown)}, code="unknown_terms"
        )
    latest = _latest_version(locked)
    current = version_terms(latest)
    if "term_start" in changes and changes["term_start"] != current.term_start:
        raise ApplicationError(
            _("The term start cannot be amended."), code="term_start_fixed", extra={"field": "term_start"}
        )
    if not isinstance(effective_from, dt.date) or isinstance(effective_from, dt.datetime):
        raise ApplicationError(_("The amendment needs an effective date."), code="effective_from")
    today = local_today(locked.organisation)
    if effective_from < today:
        raise ApplicationError(
            _("An amendment takes effect today or later, never in the past (versions in force do not change)."),
            code="amendment_in_past",
            extra={"field": "effective_from"},
        )
    if effective_from <= latest.effective_from:
        raise ApplicationError(
            _("An amendment must take effect after the latest version (in force from %(date)s).")
            % {"date": latest.effective_from},
            code="amendment_not_after_latest",
            extra={"field": "effective_from"},
        )
    if effective_from > locked.ends_on:
        raise ApplicationError(
            _("An amendment must take effect before the contract ends (%(end)s).") % {"end": locked.ends_on},
            code="amendment_after_end",
            extra={"field": "effective_from"},
        )
    proposed = dataclasses.replace(current, **{k: v for k, v in changes.items() if k != "term_start"})
    terms = validate_terms(proposed, vendor=locked.vendor, effective_from=effective_from)
    if terms == current:
        raise ApplicationError(_("The amendment changes nothing."), code="no_change")
    now = clock.now()
    version = ContractVersion.objects.create(
        contract=locked,
        number=latest.number + 1,
        effective_from=effective_from,
        reason=reason,
        created_at=now,
        created_by=actor,
        **_version_fields(terms),
    )
    _write_terms(version, terms)
    locked.ends_on = terms.term_end
    locked.updated_at = now
    locked.save(update_fields=["ends_on", "updated_at"])
    before_snapshot, after_snapshot = terms_snapshot(current), terms_snapshot(terms)
    changed = sorted(k for k in after_snapshot if after_snapshot[k] != before_snapshot[k])
    audit_record(
        actor=actor,
        action="contracts.contract.amended",
        obj=locked,
        before={k: before_snapshot[k] for k in changed} | {"version": latest.number},
        after={k: after_snapshot[k] for k in changed}
        | {"version": version.number, "effective_from": effective_from, "reason": reason},
    )
    return version


@transaction.atomic
def contract_amendment_withdraw(*, actor: User | None, version: ContractVersion, reason: str) -> Contract:
    """Withdraw the latest amendment before it takes effect (it was never in force, so nothing depended on it)."""
    locked = _lock(version.contract)
    _require_manager(actor, locked.organisation)
    reason = _clean_text(reason, label=_("The reason"), max_length=4000)
    version = ContractVersion.objects.filter(pk=version.pk, contract=locked).first()
    if version is None:
        raise ApplicationError(_("This amendment was already withdrawn."), code="gone")
    latest = _latest_version(locked)
    if version.number == 1 or version.pk != latest.pk:
        raise ApplicationError(_("Only the latest amendment can be withdrawn."), code="not_latest_amendment")
    if version.effective_from <= local_today(locked.organisation):
        raise ApplicationError(
            _("This amendment is already in force and can no longer be withdrawn."), code="amendment_in_force"
        )
    snapshot = terms_snapshot(version_terms(latest)) | {
        "version": version.number,
        "effective_from": version.effective_from.isoformat(),
        "reason": version.reason,
    }
    previous = ContractVersion.objects.filter(contract=locked, number__lt=version.number).order_by("-number").first()
    version.delete()
    locked.ends_on = previous.term_end
    locked.updated_at = clock.now()
    locked.save(update_fields=["ends_on", "updated_at"])
    audit_record(
        actor=actor,
        action="contracts.contractversion.withdrawn",
        obj=locked,
        before=snapshot,
        after={"reason": reason},
    )
    return locked


# --------------------------------------------------------------------------------------------------
# documents
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def contract_document_create(
    *,
    actor: User,
    contract: Contract,
    upload: UploadedFile,
    kind: str = DocumentKind.OTHER,
    title: str = "",
    version: ContractVersion | None = None,
    is_internal: bool = False,
) -> ContractDocument:
    """Store a contract document after checking its size and its real type (from its bytes, never its name)."""
    locked = _lock(contract)
    _require_manager(actor, locked.organisation)
    if kind not in DocumentKind.values:
        raise ApplicationError(_("Unknown kind of document."), code="document_kind", extra={"field": "kind"})
    if version is not None and version.contract_id != locked.pk:
        raise ApplicationError(
            _("The version belongs to another contract."), code="document_version", extra={"field": "version"}
        )
    checked = check_stored_upload(upload, field="file")
    name, content_type = checked[0], checked[1]
    title = _clean_text(title or name, label=_("The title"), max_length=200)
    document = ContractDocument(contract=locked, version=version, kind=kind, title=title, is_internal=bool(is_internal))
    document.store(upload, uploaded_by=actor, now=clock.now(), checked=checked)
    document.save()
    audit_record(
        actor=actor,
        action="contracts.contractdocument.created",
        obj=document,
        organisation=locked.organisation,
        after={
            "contract": locked.pk,
            "version": version.number if version else None,
            "kind": kind,
            "title": title,
            "name": name,
            "type": content_type,
            "size": upload.size,
            "sha256": document.sha256,
            "internal": document.is_internal,
        },
    )
    return document


# --------------------------------------------------------------------------------------------------
# renewal reminders
# --------------------------------------------------------------------------------------------------


def reminder_thresholds(notice_days: int) -> list[int]:
    """Days before the end at which reminders go out: the notice period and the shorter follow-ups (0: none)."""
    if notice_days <= 0:
        return []
    return sorted({notice_days, *(d for d in FOLLOW_UP_REMINDER_DAYS if d < notice_days)}, reverse=True)


def renewal_recipients(contract: Contract) -> list[User]:
    """Who hears that a contract is ending: the client's administrators and supervisors, the vendor's managers."""
    people = User.objects.filter(is_active=True, organisation_id=contract.organisation_id).filter(
        Q(role__in=[Role.CLIENT_ADMIN, Role.CLIENT_SUPERVISOR])
        | Q(role=Role.VENDOR_MANAGER, vendor_id=contract.vendor_id)
    )
    return list(people.order_by("pk"))


@transaction.atomic
def _remind(contract: Contract, threshold: int, days_left: int, notice_days: int) -> int:
    sent = 0
    for person in renewal_recipients(contract):
        # One notice per person, contract, end date and threshold: a rerun or a retry adds nothing.
        key = f"contract:renewal:{contract.pk}:{contract.ends_on.isoformat()}:{threshold}:{person.pk}"

        def subject():
            return _("Contract %(number)s with %(vendor)s ends on %(end)s") % {
                "number": contract.number,
                "vendor": contract.vendor.name,
                "end": contract.ends_on.isoformat(),
            }

        def body():
            return _(
                "%(title)s ends in %(days)s day(s), on %(end)s. The renewal notice period is %(notice)s days: "
                "decide now whether to renew, renegotiate or let it end."
            ) % {
                "title": contract.title,
                "days": days_left,
                "end": contract.ends_on.isoformat(),
                "notice": notice_days,
            }

        notification, created = notification_create(
            recipient=person, kind="contract_renewal", dedupe_key=key, subject=subject, body=body
        )
        if created:
            sent += 1
            notification_queue_email(notification=notification)
    if sent:
        audit_record(
            actor=None,
            action="contracts.contract.renewal_reminded",
            obj=contract,
            after={"ends_on": contract.ends_on, "days_left": days_left, "threshold": threshold, "notified": sent},
        )
    return sent


def contract_renewal_reminders_send() -> int:
    """Notify the people concerned of every active contract whose end is within its notice period.

    Exactly once per contract, end date and threshold (the notice period, then 30 and 7 days before the
    end when shorter); a contract first seen late gets only the most urgent threshold it has reached.
    Returns the number of notifications created.
    """
    latest_notice = Subquery(
        ContractVersion.objects.filter(contract=OuterRef("pk")).order_by("-number").values("renewal_notice_days")[:1]
    )
    sent = 0
    rows = Contract.objects.filter(status=ContractStatus.ACTIVE).select_related("vendor", "organisation")
    for contract in rows.annotate(notice_days=latest_notice).order_by("pk"):
        days_left = (contract.ends_on - local_today(contract.organisation)).days
        if days_left < 0:
            continue  # ended: the expiry job takes over
        reached = [t for t in reminder_thresholds(contract.notice_days or 0) if days_left <= t]
        if reached:
            sent += _remind(contract, min(reached), days_left, contract.notice_days)
    return sent
