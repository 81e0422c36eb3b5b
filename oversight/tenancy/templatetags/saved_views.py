"""The saved views of the list being shown (``{% load saved_views %}``, used by includes/list_filters.html)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_views_here(context) -> dict:
    """The signed-in user's saved views of the current list, and the key and query a new one would keep."""
    from oversight.tenancy.selectors import saved_view_list
    from oversight.tenancy.views import saved_view_url

    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated:
        return {"key": "", "views": []}
    key = match.view_name
    views = [{"view": view, "url": saved_view_url(view)} for view in saved_view_list(user=user, list_key=key)]
    query = request.GET.copy()
    query.pop("page", None)
    return {"key": key, "views": views, "query": query.urlencode(), "next": request.get_full_path()}
