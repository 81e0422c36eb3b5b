"""Template helpers of the liaisons pages."""

from django import template

from oversight.tenancy.roles import is_client

register = template.Library()


@register.filter(name="is_client")
def is_client_filter(user) -> bool:
    """Whether the user is on the client's side (the hotline's pages are theirs)."""
    return is_client(user)
