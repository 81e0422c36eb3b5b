"""What the global search finds among contracts (registered with `oversight.core.search` from `ready()`)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.contracts.selectors import contract_list
from oversight.core.search import SearchHit, SearchKind, register
from oversight.tenancy.roles import STAFF_ROLES


def find_contracts(*, user, text: str, limit: int) -> list[SearchHit]:
    """Visible contracts whose number or title contains the text (for the roles that may open contracts)."""
    if not (user.is_superuser or user.role in STAFF_ROLES):
        return []
    rows = contract_list(user=user).filter(Q(number__icontains=text) | Q(title__icontains=text))
    return [
        SearchHit(
            title=f"{contract.number} · {contract.title}",
            url=reverse("contracts:detail", args=[contract.pk]),
            detail=f"{contract.vendor.name} · {contract.get_status_display()}",
        )
        for contract in rows.order_by("number", "pk")[:limit]
    ]


def register_search() -> None:
    """Register the contract kind of the global search."""
    register(SearchKind(key="contracts", label=_("Contracts"), find=find_contracts, order=50))
