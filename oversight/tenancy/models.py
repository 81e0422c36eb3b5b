"""Client organisations, sites, vendors, teams, users and the vendor staff roster."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.core.phones import validate_phone
from oversight.tenancy.choices import Role, SiteKind, StaffPosition, VendorTier
from oversight.tenancy.roles import CLIENT_ROLES, READ_ONLY_ROLES, VENDOR_ROLES
from oversight.tenancy.visibility import WHOLE_ORGANISATION, Visibility


class Organisation(models.Model):
    """A client organisation (甲方); everything else in the installation belongs to one."""

    visibility = Visibility(organisation="pk", vendor=WHOLE_ORGANISATION, requester=WHOLE_ORGANISATION)

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    work_order_prefix = models.CharField(_("work order prefix"), max_length=10, default="WO")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("client organisation")
        verbose_name_plural = _("client organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A place or unit of a client organisation: campus, building, department or room."""

    visibility = Visibility(organisation="organisation", vendor=WHOLE_ORGANISATION, requester=WHOLE_ORGANISATION)

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="sites"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices, default=SiteKind.DEPARTMENT)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40)

    class Meta:
        verbose_name = _("site or department")
        verbose_name_plural = _("sites and departments")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="tenancy_site_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Vendor(models.Model):
    """A vendor (乙方) serving one client organisation; sees nothing of any other vendor."""

    visibility = Visibility(organisation="organisation", vendor="pk")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="vendors"
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=30)
    tier = models.CharField(_("tier"), max_length=20, choices=VendorTier.choices, default=VendorTier.ORDINARY)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, validators=[validate_phone])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="tenancy_vendor_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A group of a vendor's agents that work orders can be dispatched to."""

    visibility = Visibility.through("vendor")

    vendor = models.ForeignKey(Vendor, verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["vendor", "name"]
        constraints = [models.UniqueConstraint(fields=["vendor", "name"], name="tenancy_team_unique_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: client staff, vendor staff or a requester, with exactly one role."""

    # Vendor staff see their own vendor's people only; requesters themselves (issue 8: no directory of the
    # client's staff and requesters for vendors; a requester's name and contact come with a work order).
    visibility = Visibility(organisation="organisation", vendor="vendor", requester="pk")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.REQUESTER)
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), blank=True, related_name="members")
    department = models.ForeignKey(
        Site, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    sees_department_work_orders = models.BooleanField(
        _("sees the department's work orders"),
        default=False,
        help_text=_("A requester with this grant sees every work order of their department, not only their own."),
    )
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    language = models.CharField(
        _("language"), max_length=10, choices=[("zh-hans", "简体中文"), ("en", "English")], default="zh-hans"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when someone else chose the password: the user must choose their own at the next sign-in."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            # Vendor staff belong to a vendor; nobody else does (visibility depends on it).
            models.CheckConstraint(
                condition=(Q(role__in=sorted(VENDOR_ROLES)) & Q(vendor__isnull=False))
                | (~Q(role__in=sorted(VENDOR_ROLES)) & Q(vendor__isnull=True)),
                name="tenancy_user_vendor_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_client_side(self) -> bool:
        """True for client administrators, supervisors, executives and auditors."""
        return self.role in CLIENT_ROLES

    @property
    def is_vendor_side(self) -> bool:
        """True for vendor managers and agents."""
        return self.role in VENDOR_ROLES

    @property
    def is_read_only(self) -> bool:
        """True for executives and auditors, who read and change nothing (asked by core's API permission)."""
        return self.role in READ_ONLY_ROLES

    @property
    def is_client_admin(self) -> bool:
        """True for client administrators, the one role that may use the admin site (asked by core's site)."""
        return self.role == Role.CLIENT_ADMIN


class StaffMember(models.Model):
    """A person on a vendor's staff roster (人员), with position and skills."""

    visibility = Visibility.through("vendor")

    vendor = models.ForeignKey(Vendor, verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="staff")
    user = models.OneToOneField(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="staff_record"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=30, choices=StaffPosition.choices)
    skills = models.CharField(_("skills"), max_length=500, blank=True, help_text=_("Comma-separated."))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff roster")
        ordering = ["vendor", "name"]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """A certificate held by a staff member, with its expiry (checked for the people dimension)."""

    visibility = Visibility.through("staff_member")

    staff_member = models.ForeignKey(
        StaffMember, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="certificates"
    )
    name = models.CharField(_("certificate"), max_length=200)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["expires_on", "name"]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal API token: only its sha256 is stored, the secret is shown once; it expires and can be revoked."""

    visibility = Visibility(organisation="owner__organisation", person="owner")

    owner = models.ForeignKey(User, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, help_text=_("The start of the secret, to recognise it."))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="tenancy_apitoken_owner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="tenancy_apitoken_expires_after_created"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SavedView(models.Model):
    """A user's named filters and sort order of one list (a saved view), to open that list the same way again."""

    visibility = Visibility(organisation="owner__organisation", person="owner")

    owner = models.ForeignKey(User, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="saved_views")
    list_key = models.CharField(_("list"), max_length=60)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters and sort order"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["owner", "list_key", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "list_key", "name"], name="tenancy_savedview_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="tenancy_savedview_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name
