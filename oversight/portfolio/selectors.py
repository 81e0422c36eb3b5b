"""Reads of the vendor portfolio, scoped by the acting user (invisible = 404), and the coverage and staff
compliance figures.

Who sees what: client roles (administrator, supervisor, executive, auditor) see every vendor of their
organisation; a vendor manager sees only their own vendor's staff compliance; everyone else sees nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.catalog.models import Service
from oversight.contracts.selectors import contracted_staffing
from oversight.core.filters import parse_id
from oversight.kpi.people import certificate_state  # the one rule, shared with the people indicators
from oversight.portfolio.choices import CertificateState
from oversight.portfolio.models import PortfolioSettings, ServiceQualification, VendorMonthlyScore, VendorTierChange
from oversight.tenancy.choices import Role, StaffPosition
from oversight.tenancy.models import Certificate, Organisation, StaffMember, Vendor
from oversight.tenancy.roles import is_client
from oversight.tenancy.visibility import restrict

DEFAULT_MIN_CRITICAL_VENDORS = 2
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def vendor_list(*, user, compliance: bool = False) -> QuerySet[Vendor]:
    """Vendors whose portfolio the user may read; with ``compliance`` a vendor manager also sees their own."""
    qs = restrict(Vendor.objects.select_related("organisation").order_by("name"), user)
    if is_client(user):
        return qs
    # The portfolio is the client's view of its vendors; a vendor manager reads only their own staff compliance.
    if compliance and user.is_authenticated and user.role == Role.VENDOR_MANAGER:
        return qs
    return qs.none()


def vendor_page_urls(*, user, ids) -> dict[int, str]:
    """The portfolio page of each of these vendors that the user may open (for links in the audit trail)."""
    return {
        pk: reverse("portfolio:vendor", args=[pk])
        for pk in vendor_list(user=user).filter(pk__in=ids).values_list("pk", flat=True)
    }


def vendor_get(*, user, pk, compliance: bool = False) -> Vendor:
    """One vendor of the user's portfolio, or 404 (never 403: nobody learns that another one exists)."""
    vendor = vendor_list(user=user, compliance=compliance).filter(pk=pk).first()
    if vendor is None:
        raise Http404(_("No such vendor."))
    return vendor


def tier_changes(*, user, vendor: Vendor | None = None) -> QuerySet[VendorTierChange]:
    """Tier history of the vendors the user may see (newest first)."""
    qs = VendorTierChange.objects.select_related("vendor", "changed_by").filter(vendor__in=vendor_list(user=user))
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    return qs.order_by("-changed_at", "-pk")


def monthly_scores(*, user, vendor: Vendor | None = None) -> QuerySet[VendorMonthlyScore]:
    """Monthly scores of the vendors the user may see (newest month first)."""
    qs = VendorMonthlyScore.objects.select_related("vendor").filter(vendor__in=vendor_list(user=user))
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    return qs.order_by("vendor__name", "-month")


def latest_scores(vendors) -> dict[int, VendorMonthlyScore]:
    """The latest monthly score of each vendor (one query)."""
    latest: dict[int, VendorMonthlyScore] = {}
    for score in VendorMonthlyScore.objects.filter(vendor__in=vendors).order_by("vendor_id", "-month"):
        latest.setdefault(score.vendor_id, score)
    return latest


def settings_for(organisation) -> PortfolioSettings:
    """The organisation's portfolio settings (unsaved defaults when none are stored)."""
    found = PortfolioSettings.objects.filter(organisation=organisation).first()
    return found or PortfolioSettings(organisation=organisation, min_critical_vendors=DEFAULT_MIN_CRITICAL_VENDORS)


# --------------------------------------------------------------------------------------------
# coverage
# --------------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    """One critical service with its qualified vendors on a day and whether that meets the minimum."""

    service: Service
    primary: Vendor
    backups: list[Vendor]
    minimum: int

    @property
    def count(self) -> int:
        return 1 + len(self.backups)

    @property
    def ok(self) -> bool:
        return self.count >= self.minimum


def coverage(*, user, on: dt.date) -> list[CoverageRow]:
    """Every critical service of the user's organisation with its qualified vendors on ``on``.

    The owning vendor is always the primary; the other vendors with a qualification valid on the day
    (``valid_from <= on`` and no ``valid_to`` or ``valid_to >= on``) are backups, each counted once. A
    warning (``ok`` False) when primary + backups is below the organisation's minimum (default 2).
    """
    if not is_client(user):
        return []
    services = Service.objects.select_related("vendor", "organisation").filter(is_critical=True).order_by("name")
    services = list(restrict(services, user))
    valid = (
        ServiceQualification.objects.select_related("vendor")
        .filter(service__in=services, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("vendor__name")
    )
    backups: dict[int, dict[int, Vendor]] = defaultdict(dict)
    owners = {s.pk: s.vendor_id for s in services}
    for q in valid:
        if q.vendor_id != owners[q.service_id]:
            backups[q.service_id].setdefault(q.vendor_id, q.vendor)
    minimums: dict[int, int] = {}
    rows = []
    for service in services:
        if service.organisation_id not in minimums:
            minimums[service.organisation_id] = settings_for(service.organisation).min_critical_vendors
        rows.append(
            CoverageRow(
                service=service,
                primary=service.vendor,
                backups=list(backups[service.pk].values()),
                minimum=minimums[service.organisation_id],
            )
        )
    return rows


def coverage_warnings_by_vendor(rows: list[CoverageRow]) -> dict[int, list[CoverageRow]]:
    """Under-covered critical services, keyed by their primary vendor."""
    found: dict[int, list[CoverageRow]] = defaultdict(list)
    for row in rows:
        if not row.ok:
            found[row.primary.pk].append(row)
    return found


def qualifications(*, user) -> QuerySet[ServiceQualification]:
    """Service qualifications of the user's organisation (client roles only)."""
    qs = ServiceQualification.objects.select_related("service", "vendor").order_by(
        "service__name", "role", "vendor__name", "valid_from", "pk"
    )
    return restrict(qs, user)


def qualification_get(*, user, pk) -> ServiceQualification:
    """One qualification of the user's organisation, or 404."""
    found = qualifications(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such qualification."))
    return found


def qualifications_by_service(*, user, services) -> dict[int, list[ServiceQualification]]:
    """Every qualification (past, current and future) of the given services, keyed by service id."""
    found: dict[int, list[ServiceQualification]] = defaultdict(list)
    for q in qualifications(user=user).filter(service__in=services):
        found[q.service_id].append(q)
    return found


def service_get(*, user, pk) -> Service:
    """A service of the user's organisation whose qualifications the user may read (client roles), or 404."""
    if not is_client(user):
        raise Http404(_("No such service."))
    found = restrict(Service.objects.select_related("organisation", "vendor"), user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such service."))
    return found


def organisation_settings(*, user, pk=None) -> PortfolioSettings:
    """The portfolio settings of the user's organisation (or, for a superuser, of organisation ``pk``), or 404."""
    if not is_client(user):
        raise Http404(_("No such organisation."))
    target = user.organisation_id if pk is None else pk
    visible = restrict(Organisation.objects.all(), user)
    target = parse_id(target)
    organisation = visible.filter(pk=target).first() if target else None
    if organisation is None:
        raise Http404(_("No such organisation."))
    return settings_for(organisation)


# --------------------------------------------------------------------------------------------
# staff compliance
# --------------------------------------------------------------------------------------------


@dataclass
class CertificateIssue:
    """A certificate that is expired or expires within the warning window."""

    staff_member: StaffMember
    certificate: Certificate
    state: str


@dataclass
class PositionRow:
    """One contracted position: how many are contracted, on the roster, qualified, and counted as filled."""

    position: str
    contracted: int
    active: int
    qualified: int

    @property
    def filled(self) -> int:
        return min(self.contracted, self.qualified)

    @property
    def label(self) -> str:
        return StaffPosition(self.position).label if self.position in StaffPosition.values else self.position


@dataclass
class StaffCompliance:
    """A vendor's staff compliance on a day: the figure (percent, None without contracted staffing) and its rows."""

    on: dt.date
    figure: Decimal | None
    positions: list[PositionRow] = field(default_factory=list)
    issues: list[CertificateIssue] = field(default_factory=list)

    @property
    def expired(self) -> list[CertificateIssue]:
        return [i for i in self.issues if i.state == CertificateState.EXPIRED]

    @property
    def expiring(self) -> list[CertificateIssue]:
        return [i for i in self.issues if i.state == CertificateState.EXPIRING]


def staff_compliance(vendor: Vendor, on: dt.date) -> StaffCompliance:
    """Staff compliance (人员合规率) of a vendor on a day, in percent.

    * Contracted positions: the ``ContractStaffing`` rows (position × count) of the version in force on
      ``on`` of each of the vendor's contracts, summed per position.
    * A staff member is *qualified* when active and none of their certificates is expired on ``on``
      (every certificate on the roster is taken as required for the position; a certificate without an
      expiry date never expires). A certificate expiring within 30 days still counts as valid but is
      warned.
    * Per position, filled = min(contracted, qualified members of that position).
    * figure = 100 × Σ filled ÷ Σ contracted, rounded half-up to 0.01; None when nothing is contracted.
    """
    contracted = contracted_staffing(vendor, on)
    members = list(StaffMember.objects.filter(vendor=vendor, is_active=True).prefetch_related("certificates"))
    active: dict[str, int] = defaultdict(int)
    qualified: dict[str, int] = defaultdict(int)
    issues: list[CertificateIssue] = []
    for member in members:
        active[member.position] += 1
        states = []
        for certificate in member.certificates.all():
            state = certificate_state(certificate.expires_on, on)
            states.append(state)
            if state != CertificateState.VALID:
                issues.append(CertificateIssue(staff_member=member, certificate=certificate, state=state))
        if CertificateState.EXPIRED not in states:
            qualified[member.position] += 1
    positions = [
        PositionRow(position=p, contracted=c, active=active[p], qualified=qualified[p])
        for p, c in sorted(contracted.items())
    ]
    total = sum(r.contracted for r in positions)
    figure = None
    if total:
        figure = (HUNDRED * sum(r.filled for r in positions) / total).quantize(CENT, rounding=ROUND_HALF_UP)
    issues.sort(key=lambda i: (i.certificate.expires_on, i.staff_member.name))
    return StaffCompliance(on=on, figure=figure, positions=positions, issues=issues)
