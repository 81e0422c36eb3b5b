"""API pagination: page numbers with a client-chosen size up to a hard cap."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """Page-number pagination; `page_size` may be chosen up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500
