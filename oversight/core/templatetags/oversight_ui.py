"""Template helpers shared by every page: query strings, durations, UI strings for the local JS."""

from __future__ import annotations

import json

from django import template
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from oversight.core import phones
from oversight.core.durations import format_duration, unit_words
from oversight.core.money import format_money, rmb_in_words
from oversight.core.sections import rendered_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" removes one), e.g. for pagination."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label, sorting=None) -> str:
    """A sortable column header: a link that sorts by `key` (ascending first, then the other way), with aria-sort.

    `sorting` (a `core.listing.Sorting`, default the context's `sorting`) is the list's current order; without
    one the header is plain text. The link keeps the filters and drops the page number."""
    sorting = sorting if sorting is not None else context.get("sorting")
    if sorting is None:
        return format_html('<th scope="col">{}</th>', label)
    active = sorting.key == key
    state = ("descending" if sorting.descending else "ascending") if active else "none"
    target = f"-{key}" if active and not sorting.descending else key
    href = query_replace(context, sort=target, page=None)
    arrow = {"ascending": "\u25b2", "descending": "\u25bc"}.get(state, "\u21c5")
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="sort-link" href="{}">{}<span class="sort-arrow" aria-hidden="true">{}'
        "</span></a></th>",
        state,
        href,
        label,
        arrow,
    )


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label, sorting=None) -> str:
    """A sort control for a list that is not a table (aria-sort belongs to column headers only): the same link as
    `sort_header`, with aria-current on the active order and its direction said in words to screen readers."""
    sorting = sorting if sorting is not None else context.get("sorting")
    active = sorting is not None and sorting.key == key
    state = ("descending" if sorting.descending else "ascending") if active else "none"
    target = f"-{key}" if active and not sorting.descending else key
    href = query_replace(context, sort=target, page=None)
    arrow = {"ascending": "\u25b2", "descending": "\u25bc"}.get(state, "\u21c5")
    words = {"ascending": gettext("sorted ascending"), "descending": gettext("sorted descending")}.get(state)
    return format_html(
        '<a class="sort-link" href="{}" data-sort-state="{}"{}>{}<span class="sort-arrow" aria-hidden="true">{}'
        "</span>{}</a>",
        href,
        state,
        mark_safe(' aria-current="true"') if active else "",  # noqa: S308 - a constant
        label,
        arrow,
        format_html(' <span class="visually-hidden">({})</span>', words) if words else "",
    )


@register.simple_tag
def filter_fields(form, skip: str = "") -> list:
    """The bound fields of a filter form, without the names in `skip` (separated by spaces)."""
    hidden = set(skip.split())
    return [field for field in form if field.name not in hidden]


@register.simple_tag
def active_filter_count(form) -> int:
    """How many filters of a bound form hold a value (shown on the folded filter panel)."""
    if not form.is_bound:
        return 0
    data = form.data
    return sum(
        1 for field in form if any(data.getlist(field.name) if hasattr(data, "getlist") else [data.get(field.name)])
    )


@register.filter
def duration(seconds, unit: str = "") -> str:
    """Seconds as a short human duration (``core.durations.format_duration``); `duration:"hours"` never makes days."""
    return format_duration(seconds, hours_only=unit == "hours")


@register.filter
def money(value, currency: str = "") -> str:
    """An amount as the reader writes it, e.g. ``{{ statement.total|money:statement.currency }}`` → ¥466,585.00."""
    return format_money(value, currency)


@register.filter
def rmb_words(value, currency: str = "CNY") -> str:
    """An amount in Chinese capitals (大写金额) when it is in renminbi; empty for another currency or no amount."""
    if value is None or value == "" or (currency or "").upper() != "CNY":
        return ""
    return rmb_in_words(value)


@register.filter
def absolute(value):
    """The absolute value of a number (e.g. seconds overdue)."""
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter
def pretty_json(value) -> str:
    """JSON indented for reading (the template escapes it)."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


@register.simple_tag
def may_use_admin(user) -> bool:
    """Whether the administration link is shown."""
    from oversight.core.admin_site import may_use_admin as check

    return check(user)


@register.simple_tag
def ui_strings():
    """Translated words the local JavaScript needs (countdowns, confirmations), as a JSON data block."""
    strings = {
        "left": gettext("%(time)s left"),
        "overdue": gettext("overdue by %(time)s"),
        "paused": gettext("paused"),
        "on_track": gettext("On track"),
        "warning": gettext("At risk"),
        "breached": gettext("Breached"),
        **unit_words(),
        "confirm": gettext("Are you sure?"),
    }
    return json_script(strings, "ui-strings")


@register.filter
def tel_uri(value) -> str:
    """`{{ number|tel_uri }}`: the tel: link of a stored phone number, "" when it is no phone number."""
    return phones.tel_uri(value)


@register.simple_tag(takes_context=True)
def page_sections(context, page: str, obj=None) -> str:
    """Render the sections other apps contribute to this page's slot `page` (see `oversight.core.sections`)."""
    request = context.get("request")
    parts = [
        render_to_string(section.template, {**section_context, "section_obj": obj}, request=request)
        for section, section_context in rendered_sections(page, request, obj)
    ]
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered, autoescaped template


@register.simple_tag(takes_context=True)
def may_open(context, name: str) -> bool:
    """Whether the signed-in reader's role may open the page named ``name`` (its view's ``allowed_roles``), so a
    page can link to another app's page by URL name without importing that app: ``{% may_open "x:y" as ok %}``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    try:
        match = resolve(reverse(name))
    except NoReverseMatch:
        return False
    view_class = getattr(match.func, "view_class", None)
    has_role = getattr(view_class, "has_role", None)
    return has_role is None or bool(has_role(view_class(), user))
