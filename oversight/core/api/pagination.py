"""API pagination: page numbers with a client-chosen size up to a hard cap."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """Page-number pagination; `page_size` may be chosen up to 500 (anything but a whole number ≥ 1 is a 400)."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationError(
                {self.page_size_query_param: [_("Enter a whole number of at least 1 (at most 500 are used).")]}
            )
        return super().get_page_size(request)
