"""What the global search finds among work orders (registered with `oversight.core.search` from `ready()`).

Every finder starts from `work_order_list(user=...)`, so a user finds only work orders the visibility gate lets
them see; `icontains` matches Chinese text as typed (no word splitting is needed for titles and names)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.search import SearchHit, SearchKind, register
from oversight.tickets.selectors import work_order_list


def _hits(queryset, limit: int) -> list[SearchHit]:
    rows = queryset.order_by("-created_at", "-id")[:limit]
    return [
        SearchHit(
            title=f"{wo.number} · {wo.title}",
            url=reverse("tickets:detail", args=[wo.number]),
            detail=" · ".join(
                part
                for part in (wo.get_status_display(), str(wo.service), str(wo.requester or ""), wo.asset_tag)
                if part
            ),
        )
        for wo in rows
    ]


def find_work_orders(*, user, text: str, limit: int) -> list[SearchHit]:
    """Visible work orders whose number or title contains the text."""
    return _hits(work_order_list(user=user).filter(Q(number__icontains=text) | Q(title__icontains=text)), limit)


def find_by_requester(*, user, text: str, limit: int) -> list[SearchHit]:
    """Visible work orders whose requester's name or login contains the text."""
    match = (
        Q(requester__display_name__icontains=text)
        | Q(requester__first_name__icontains=text)
        | Q(requester__last_name__icontains=text)
        | Q(requester__username__icontains=text)
    )
    return _hits(work_order_list(user=user).filter(match), limit)


def find_by_asset(*, user, text: str, limit: int) -> list[SearchHit]:
    """Visible work orders whose asset tag contains the text."""
    return _hits(work_order_list(user=user).filter(asset_tag__icontains=text), limit)


def register_search() -> None:
    """Register the work-order kinds of the global search."""
    register(SearchKind(key="work_orders", label=_("Work orders"), find=find_work_orders, order=10))
    register(SearchKind(key="requesters", label=_("Work orders by requester"), find=find_by_requester, order=20))
    register(SearchKind(key="assets", label=_("Work orders by asset tag"), find=find_by_asset, order=30))
