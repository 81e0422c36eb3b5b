"""Service-level terms of a contract version: set by the client's operators while the version has not taken
effect (a draft contract, or an amendment whose first day is still ahead). Once a version has been in force its
terms are frozen: a changed definition is a new contract version with new terms, so a past period keeps the
definition it was measured under."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, model_snapshot
from oversight.contactcentre import permissions
from oversight.contactcentre.models import Channel, ServiceLevelTerm, ServiceLevelVariant
from oversight.contracts.models import ContractVersion
from oversight.core.errors import ApplicationError
from oversight.core.zones import local_today

FIELDS = (
    "variant",
    "threshold_seconds",
    "target",
    "short_abandon_seconds",
    "max_occupancy",
    "shrinkage",
    "abandonment_target",
    "asa_target_seconds",
    "forecast_tolerance",
)


def version_is_open(version: ContractVersion) -> bool:
    """Whether a version's terms may still be set: its contract is a draft, or it takes effect after today."""
    contract = version.contract
    if contract.activated_at is None:
        return True
    return version.effective_from > local_today(contract.organisation)


def _fraction(value, name) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError as exc:
        raise ApplicationError(_("%(field)s must be a number.") % {"field": name}) from exc
    if not number.is_finite() or number < 0 or number > 1:
        raise ApplicationError(_("%(field)s must be between 0 and 1.") % {"field": name})
    return number.quantize(Decimal("0.000001"))


@transaction.atomic
def term_save(*, actor, version: ContractVersion, channel: str = "", **values) -> ServiceLevelTerm:
    """Create or change the term of a version for a channel (blank: every channel without its own). Fractions
    (target, max_occupancy, shrinkage, abandonment_target, forecast_tolerance) are shares between 0 and 1."""
    contract = version.contract
    permissions.require(permissions.may_keep_queues(actor, contract.organisation_id))
    if not version_is_open(version):
        raise ApplicationError(
            _("This contract version has been in force; amend the contract to change the service-level terms.")
        )
    if channel not in ("", *Channel.values):
        raise ApplicationError(_("Choose a channel."))
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown term fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    term = ServiceLevelTerm.objects.select_for_update().filter(contract_version=version, channel=channel).first()
    before = model_snapshot(term) if term is not None else None
    term = term or ServiceLevelTerm(contract_version=version, channel=channel)
    for name in FIELDS:
        if name in values:
            setattr(term, name, values[name])
    if term.variant not in ServiceLevelVariant.values:
        raise ApplicationError(_("Choose a service-level definition."))
    for name in ("target", "max_occupancy"):
        value = _fraction(getattr(term, name), name)
        if value is None or value <= 0:
            raise ApplicationError(_("%(field)s must be above 0 and at most 1.") % {"field": name})
        setattr(term, name, value)
    shrink = _fraction(term.shrinkage, "shrinkage")
    if shrink is None or shrink >= 1:
        raise ApplicationError(_("Shrinkage must be at least 0 and below 1."))
    term.shrinkage = shrink
    term.abandonment_target = _fraction(term.abandonment_target, "abandonment_target")
    term.forecast_tolerance = _fraction(term.forecast_tolerance, "forecast_tolerance")
    if not term.threshold_seconds or int(term.threshold_seconds) <= 0:
        raise ApplicationError(_("The answer time must be at least one second."))
    term.save()
    audit_record(
        actor=actor,
        action="contactcentre.servicelevelterm.changed" if before else "contactcentre.servicelevelterm.created",
        obj=term,
        organisation=contract.organisation,
        before=before,
        after=model_snapshot(term),
    )
    return term


@transaction.atomic
def terms_copy_forward(*, actor, version: ContractVersion) -> list[ServiceLevelTerm]:
    """Give an open version without terms the terms of the version before it (then change what differs)."""
    permissions.require(permissions.may_keep_queues(actor, version.contract.organisation_id))
    if not version_is_open(version):
        raise ApplicationError(
            _("This contract version has been in force; amend the contract to change the service-level terms.")
        )
    if version.service_level_terms.exists():
        raise ApplicationError(_("This version has service-level terms already."))
    previous = (
        ContractVersion.objects.filter(contract=version.contract, number__lt=version.number).order_by("-number").first()
    )
    if previous is None or not previous.service_level_terms.exists():
        raise ApplicationError(_("The previous version has no service-level terms to copy."))
    made = []
    for old in previous.service_level_terms.all():
        made.append(
            term_save(
                actor=actor,
                version=version,
                channel=old.channel,
                **{name: getattr(old, name) for name in FIELDS},
            )
        )
    return made
