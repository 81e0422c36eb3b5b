"""The unread-notification count in the page header (``{% load notifications_ui %}``, used by base.html)."""

from django import template

from oversight.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many unread notifications the signed-in user has (one query per page, cached on the request)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    if not hasattr(request, "_oversight_unread"):
        request._oversight_unread = unread_count(user=request.user)
    return request._oversight_unread
