"""Spare parts (备件): the items kept for the client, the places they are kept, the reorder settings and the
maintained balance per item × location, the append-only stock ledger, and the low-stock alerts sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.bilingual import BilingualName
from oversight.parts.choices import MovementKind
from oversight.tenancy.visibility import WHOLE_ORGANISATION, Visibility

MONEY = {"max_digits": 14, "decimal_places": 2}


class PartItem(BilingualName, models.Model):
    """A kind of spare part (toner, keyboard, SFP module), supplied and held by one vendor at a unit price."""

    # Vendor staff see the parts their own vendor supplies; requesters see none.
    visibility = Visibility(organisation="organisation", vendor="vendor")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("part code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("How the part is counted, e.g. 个, 盒, pcs."))
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    vendor = models.ForeignKey(
        "tenancy.Vendor",
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        related_name="spare_parts",
        help_text=_("The vendor who supplies and holds this part."),
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spare_parts",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("spare part")
        verbose_name_plural = _("spare parts")
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="parts_partitem_unique_code"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="parts_partitem_price_not_negative"),
        ]
        indexes = [models.Index(fields=["vendor", "code"], name="parts_item_vendor_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.localized_name}"

    def get_absolute_url(self) -> str:
        return reverse("parts:item_detail", args=[self.pk])


class StockLocation(BilingualName, models.Model):
    """A place where parts are kept (信息科备件库, 门诊楼机房), at one site of the organisation."""

    # Places are shared reference data: vendor staff see every location of their organisation.
    visibility = Visibility(organisation="organisation", vendor=WHOLE_ORGANISATION)

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        "tenancy.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="stock_locations"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="parts_stocklocation_unique_code"),
        ]

    def __str__(self) -> str:
        return self.localized_name


class StockLevel(models.Model):
    """One item at one location: its reorder point and target stock, and the balance kept from the ledger.

    ``on_hand`` and ``on_order`` are maintained by the movement services in the same transaction as the ledger
    row, under the row's lock; they always equal the sums of the ledger (``parts.services.stock_rebuild``)."""

    visibility = Visibility.through("item")

    item = models.ForeignKey(PartItem, verbose_name=_("spare part"), on_delete=models.PROTECT, related_name="levels")
    location = models.ForeignKey(
        StockLocation, verbose_name=_("stock location"), on_delete=models.PROTECT, related_name="levels"
    )
    reorder_point = models.PositiveIntegerField(
        _("reorder point"), default=0, help_text=_("Stock is low when on hand falls to this or below. 0: never.")
    )
    target_stock = models.PositiveIntegerField(_("target stock"), default=0)
    on_hand = models.IntegerField(_("on hand"), default=0)
    on_order = models.IntegerField(_("on order"), default=0)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["item", "location"]
        constraints = [
            models.UniqueConstraint(fields=["item", "location"], name="parts_stocklevel_unique_item_location"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="parts_stocklevel_on_hand_not_negative"),
            models.CheckConstraint(condition=Q(on_order__gte=0), name="parts_stocklevel_on_order_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item} @ {self.location}"


class StockMovementQuerySet(models.QuerySet):
    """The ledger is append-only: bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs):
        raise ValueError("stock movements are append-only")

    def delete(self):
        raise ValueError("stock movements are append-only")


class StockMovement(models.Model):
    """One row of the append-only stock ledger: what changed on hand and on order, for which item and location,
    at what unit price, by whom, and (for use and returns) on which work order. Never updated or deleted; a
    mistake is corrected by an adjustment with a reason."""

    visibility = Visibility.through("item")

    organisation = models.ForeignKey(
        "tenancy.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(PartItem, verbose_name=_("spare part"), on_delete=models.PROTECT, related_name="movements")
    location = models.ForeignKey(
        StockLocation, verbose_name=_("stock location"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("movement"), max_length=20, choices=MovementKind.choices)
    quantity = models.IntegerField(_("on-hand change"))
    on_order_change = models.IntegerField(_("on-order change"), default=0)
    unit_price = models.DecimalField(_("unit price at the time"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    # The vendor of the item when the row was written (what is billed to and reported for whom).
    vendor = models.ForeignKey("tenancy.Vendor", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="+")
    work_order = models.ForeignKey(
        "tickets.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="part_movements",
    )
    # The two rows of one transfer share this key and name each other's location.
    transfer_key = models.CharField(_("transfer"), max_length=32, blank=True, db_index=True)
    counterpart = models.ForeignKey(
        StockLocation,
        verbose_name=_("from / to location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("Purchase order or delivery note number.")
    )
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    objects = StockMovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["item", "location", "at"], name="parts_move_item_loc_at_idx"),
            models.Index(fields=["organisation", "-at"], name="parts_move_org_at_idx"),
            models.Index(fields=["vendor", "kind", "at"], name="parts_move_vendor_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(quantity=0) | ~Q(on_order_change=0), name="parts_stockmovement_changes_something"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["consume", "transfer_out"], quantity__lt=0, on_order_change=0)
                | Q(kind__in=["return", "transfer_in"], quantity__gt=0, on_order_change=0)
                | Q(kind="receive", quantity__gt=0, on_order_change__lte=0)
                | Q(kind="order", quantity=0, on_order_change__gt=0)
                | Q(kind="order_cancel", quantity=0, on_order_change__lt=0)
                | (Q(kind="adjust", on_order_change=0) & ~Q(reason="")),
                name="parts_stockmovement_kind_signs",
            ),
            models.CheckConstraint(
                condition=~Q(kind="consume") | Q(work_order__isnull=False),
                name="parts_stockmovement_consume_has_work_order",
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="parts_stockmovement_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d} {self.item_id}@{self.location_id}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: a ledger row, once written, is never rewritten.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("stock movements are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("stock movements are append-only")


class StockAlert(models.Model):
    """A low-stock alert sent for one item in one period (the organisation's local calendar month): the record
    that makes it go out once."""

    visibility = Visibility.through("item")

    item = models.ForeignKey(PartItem, verbose_name=_("spare part"), on_delete=models.PROTECT, related_name="alerts")
    location = models.ForeignKey(
        StockLocation, verbose_name=_("stock location"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("month"))
    on_hand = models.IntegerField(_("on hand"))
    reorder_point = models.PositiveIntegerField(_("reorder point"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("low-stock alert")
        verbose_name_plural = _("low-stock alerts")
        ordering = ["-period_start", "item"]
        constraints = [
            models.UniqueConstraint(fields=["item", "period_start"], name="parts_stockalert_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.period_start:%Y-%m}"
