"""What happens to spare parts stock, announced after commit (see oversight.core.events)."""

from oversight.core.events import define

STOCK_MOVED = define(
    "parts.stock.moved",
    "movement_id",
    "actor_id",
    doc="A row was added to the stock ledger (a transfer announces each of its two rows).",
)
STOCK_LOW = define(
    "parts.stock.low",
    "item_id",
    "location_id",
    doc="A movement left an item at a location at or below its reorder point.",
)
