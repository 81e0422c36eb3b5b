"""Configuration items (配置项) of a client's estate: their classes with typed attributes, the relations between
them (what needs what), and the redundancy groups that decide when a failure reaches the dependants."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.configuration.choices import AttributeType, CheckedField, CIKind, CIStatus, ImportStatus
from oversight.core.bilingual import BilingualName
from oversight.tenancy.visibility import WHOLE_ORGANISATION, Visibility


class CIClass(BilingualName, models.Model):
    """A kind of configuration item of one organisation (server, printer, ...), with its attribute definitions."""

    # Reference data: vendor staff read every class of their organisation to read their own CIs.
    visibility = Visibility(organisation="organisation", vendor=WHOLE_ORGANISATION)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    kind = models.CharField(
        _("built-in kind"),
        max_length=30,
        choices=CIKind.choices,
        blank=True,
        help_text=_("Set on the built-in classes; empty for classes an administrator added."),
    )
    is_business_service = models.BooleanField(
        _("business service"),
        default=False,
        help_text=_("CIs of this class are the business services impact is reported on."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("configuration item class")
        verbose_name_plural = _("configuration item classes")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="configuration_ciclass_unique_code"),
        ]

    def __str__(self) -> str:
        return self.localized_name

    def get_absolute_url(self) -> str:
        return reverse("configuration:class_detail", kwargs={"pk": self.pk})


class CIAttributeDefinition(BilingualName, models.Model):
    """One typed attribute that the CIs of a class carry (text, number, decimal, date, yes/no or choice)."""

    visibility = Visibility.through("ci_class")

    ci_class = models.ForeignKey(
        CIClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="attribute_definitions"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=AttributeType.choices, default=AttributeType.TEXT)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("The allowed values of a choice attribute.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attribute definition")
        verbose_name_plural = _("attribute definitions")
        ordering = ["ci_class", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["ci_class", "code"], name="configuration_ciattributedefinition_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name


class RelationType(BilingualName, models.Model):
    """How two CIs relate (runs on, depends on, ...), read from the source; whether a failed target impacts
    the source is what the impact walk follows."""

    visibility = Visibility.GLOBAL

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    reverse_name = models.CharField(_("reverse name"), max_length=60, help_text=_("Read from the target."))
    reverse_name_en = models.CharField(_("reverse name (English)"), max_length=60, blank=True)
    propagates = models.BooleanField(
        _("carries impact"),
        default=True,
        help_text=_("When the target is unavailable, the source is impacted."),
    )

    class Meta:
        verbose_name = _("relation type")
        verbose_name_plural = _("relation types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.localized_name


class RedundancyGroup(BilingualName, models.Model):
    """Interchangeable CIs (a cluster, a switch pair) that keep working while at least n (or p %) are up."""

    visibility = Visibility(organisation="organisation", vendor=WHOLE_ORGANISATION)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    min_up = models.PositiveSmallIntegerField(_("at least this many up"), null=True, blank=True)
    min_up_percent = models.PositiveSmallIntegerField(_("at least this percentage up"), null=True, blank=True)

    class Meta:
        verbose_name = _("redundancy group")
        verbose_name_plural = _("redundancy groups")
        ordering = ["organisation", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(min_up__isnull=False, min_up__gte=1) & Q(min_up_percent__isnull=True))
                | (Q(min_up__isnull=True) & Q(min_up_percent__gte=1, min_up_percent__lte=100)),
                name="configuration_redundancygroup_one_rule",
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    def get_absolute_url(self) -> str:
        return reverse("configuration:group_detail", kwargs={"pk": self.pk})


class ConfigurationItem(BilingualName, models.Model):
    """A configuration item (配置项): a thing of the estate that a vendor runs, with its relations and status."""

    visibility = Visibility(organisation="organisation", vendor="vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    ci_class = models.ForeignKey(
        CIClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="configuration_items"
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    vendor = models.ForeignKey(
        "tenancy.Vendor",
        verbose_name=_("owner vendor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="configuration_items",
        help_text=_("The vendor who runs and supports it; empty for what the client runs itself."),
    )
    site = models.ForeignKey(
        "tenancy.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="configuration_items",
    )
    asset_tag = models.CharField(_("asset tag"), max_length=60, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    host_name = models.CharField(_("host name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CIStatus.choices, default=CIStatus.IN_USE)
    warranty_ends_on = models.DateField(_("warranty ends on"), null=True, blank=True)
    support_contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("support contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="configuration_items",
    )
    redundancy_group = models.ForeignKey(
        RedundancyGroup,
        verbose_name=_("redundancy group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("configuration item")
        verbose_name_plural = _("configuration items")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["organisation", "name", "id"], name="config_ci_org_name_idx"),
            models.Index(fields=["organisation", "status"], name="config_ci_org_status_idx"),
            models.Index(fields=["vendor", "name"], name="config_ci_vendor_idx"),
            models.Index(fields=["ci_class", "name"], name="config_ci_class_idx"),
        ]
        constraints = [
            # The reconciliation keys of the import: each, when given, names one CI of the organisation.
            models.UniqueConstraint(
                fields=["organisation", "serial"],
                condition=~Q(serial=""),
                name="configuration_configurationitem_unique_serial",
            ),
            models.UniqueConstraint(
                fields=["organisation", "asset_tag"],
                condition=~Q(asset_tag=""),
                name="configuration_configurationitem_unique_asset_tag",
            ),
            models.UniqueConstraint(
                fields=["organisation", "host_name"],
                condition=~Q(host_name=""),
                name="configuration_configurationitem_unique_host_name",
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    def get_absolute_url(self) -> str:
        return reverse("configuration:detail", kwargs={"pk": self.pk})


class CIRelation(models.Model):
    """``source`` —type→ ``target`` (an application runs on a server); seen with its source."""

    # Seen with its source; `configuration.selectors.relation_list` adds those whose target the user sees.
    visibility = Visibility.through("source")

    source = models.ForeignKey(
        ConfigurationItem, verbose_name=_("from"), on_delete=models.CASCADE, related_name="outgoing"
    )
    relation_type = models.ForeignKey(
        RelationType, verbose_name=_("relation"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.ForeignKey(
        ConfigurationItem, verbose_name=_("to"), on_delete=models.CASCADE, related_name="incoming"
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("configuration item relation")
        verbose_name_plural = _("configuration item relations")
        ordering = ["source", "relation_type", "target"]
        indexes = [models.Index(fields=["target", "relation_type"], name="config_rel_target_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="configuration_cirelation_no_loop"),
            models.UniqueConstraint(
                fields=["source", "relation_type", "target"], name="configuration_cirelation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.relation_type} {self.target}"


class WorkOrderCI(models.Model):
    """A configuration item a work order is about (the broken printer, the server an incident runs on).

    Lives here, not in tickets: tickets never imports the CMDB; the work-order page shows the links through a
    page section (`oversight.core.sections`)."""

    # Seen with its work order; `configuration.selectors.work_order_cis` also requires the CI to be visible.
    visibility = Visibility.through("work_order")

    work_order = models.ForeignKey(
        "tickets.WorkOrder", verbose_name=_("work order"), on_delete=models.CASCADE, related_name="+"
    )
    ci = models.ForeignKey(
        ConfigurationItem,
        verbose_name=_("configuration item"),
        on_delete=models.CASCADE,
        related_name="work_order_links",
    )
    linked_at = models.DateTimeField(_("linked at"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("work order configuration item")
        verbose_name_plural = _("work order configuration items")
        ordering = ["work_order", "linked_at", "id"]
        indexes = [models.Index(fields=["ci", "linked_at"], name="config_woci_ci_idx")]
        constraints = [
            models.UniqueConstraint(fields=["work_order", "ci"], name="configuration_workorderci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id} → {self.ci}"


class CIImport(models.Model):
    """One file of configuration items to import: its rows as read, checked by a dry run, then applied all at
    once (or not at all). The client's side of the organisation sees its imports; vendors see none."""

    visibility = Visibility(organisation="organisation")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    #: The rows as read from the file: ``[[line, {normalised header: text}], ...]``.
    rows = models.JSONField(_("rows"), default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    #: How many rows the last check or the apply created, updated, left unchanged and found in error.
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    failure = models.TextField(_("why it failed"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("configuration item import")
        verbose_name_plural = _("configuration item imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "created_at"], name="config_import_org_idx")]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("configuration:import_detail", kwargs={"pk": self.pk})


class SpotCheck(models.Model):
    """A check of a sample of one vendor's CIs against the things themselves (CMDB accuracy): each checked field
    of each CI found correct or wrong, on a day, by a client supervisor. Seen by the client's side and the
    vendor whose CIs were checked."""

    visibility = Visibility(organisation="organisation", vendor="vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        "tenancy.Vendor", verbose_name=_("owner vendor"), on_delete=models.PROTECT, related_name="+"
    )
    checked_on = models.DateField(_("checked on"))
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("CMDB spot check")
        verbose_name_plural = _("CMDB spot checks")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["organisation", "vendor", "checked_on"], name="config_spot_org_vendor_idx")]

    def __str__(self) -> str:
        return f"{self.vendor} {self.checked_on}"

    def get_absolute_url(self) -> str:
        return reverse("configuration:spot_check_detail", kwargs={"pk": self.pk})


class SpotCheckItem(models.Model):
    """One field of one CI in a spot check: found as recorded (correct) or not."""

    visibility = Visibility.through("spot_check")

    spot_check = models.ForeignKey(
        SpotCheck, verbose_name=_("spot check"), on_delete=models.CASCADE, related_name="items"
    )
    ci = models.ForeignKey(
        ConfigurationItem, verbose_name=_("configuration item"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(_("checked field"), max_length=20, choices=CheckedField.choices)
    correct = models.BooleanField(_("correct"))

    class Meta:
        verbose_name = _("spot check item")
        verbose_name_plural = _("spot check items")
        ordering = ["spot_check", "ci", "field"]
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "ci", "field"], name="configuration_spotcheckitem_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.ci} {self.field}"
