"""Kinds of stock movement with the sign each one takes, and the audit action labels of the app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MovementKind(models.TextChoices):
    """What a row of the stock ledger records; see MOVEMENT_SIGNS for how it changes on hand and on order."""

    ORDER = "order", pgettext_lazy("stock movement", "Ordered")
    ORDER_CANCEL = "order_cancel", pgettext_lazy("stock movement", "Order cancelled")
    RECEIVE = "receive", pgettext_lazy("stock movement", "Received")
    CONSUME = "consume", pgettext_lazy("stock movement", "Used on a work order")
    RETURN = "return", pgettext_lazy("stock movement", "Returned to stock")
    TRANSFER_OUT = "transfer_out", pgettext_lazy("stock movement", "Transferred out")
    TRANSFER_IN = "transfer_in", pgettext_lazy("stock movement", "Transferred in")
    ADJUST = "adjust", pgettext_lazy("stock movement", "Adjusted")


# The one table of signs: kind -> (sign of the on-hand change, sign of the on-order change); 0 means "never
# changes it", None "either sign" (an adjustment). A receipt lowers what is on order by what it received, as
# far as something is on order: that part is computed by the service and stored on the row.
MOVEMENT_SIGNS: dict[str, tuple[int | None, int]] = {
    MovementKind.ORDER: (0, 1),
    MovementKind.ORDER_CANCEL: (0, -1),
    MovementKind.RECEIVE: (1, -1),
    MovementKind.CONSUME: (-1, 0),
    MovementKind.RETURN: (1, 0),
    MovementKind.TRANSFER_OUT: (-1, 0),
    MovementKind.TRANSFER_IN: (1, 0),
    MovementKind.ADJUST: (None, 0),
}

#: Kinds a person records through the movement forms and the API (a transfer is one request, two rows).
RECORDABLE_KINDS = (
    MovementKind.ORDER,
    MovementKind.ORDER_CANCEL,
    MovementKind.RECEIVE,
    MovementKind.CONSUME,
    MovementKind.RETURN,
    MovementKind.ADJUST,
)

AUDIT_ACTIONS = {
    "parts.item.created": _("Spare part created"),
    "parts.item.updated": _("Spare part changed"),
    "parts.location.created": _("Stock location created"),
    "parts.location.updated": _("Stock location changed"),
    "parts.level.updated": _("Reorder point and target stock set"),
    "parts.movement.order": _("Spare parts ordered"),
    "parts.movement.order_cancel": _("Spare parts order cancelled"),
    "parts.movement.receive": _("Spare parts received"),
    "parts.movement.consume": _("Spare part used on a work order"),
    "parts.movement.return": _("Spare part returned to stock"),
    "parts.movement.transfer": _("Spare parts transferred"),
    "parts.movement.adjust": _("Stock adjusted"),
    "parts.stock.low_alerted": _("Low-stock alert sent"),
}
