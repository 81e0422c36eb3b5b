"""The API's router: detail routes match numeric ids only."""

from rest_framework.routers import SimpleRouter

# Every API object is addressed by its integer primary key.
ID_PATTERN = "[0-9]+"


class IdRouter(SimpleRouter):
    """A SimpleRouter whose detail routes match only digits, so `/portfolio-vendors/abc/` (or a sub-route) is the
    API's 404 before any view or query runs, instead of a view passing "abc" to the database (a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A viewset may still set its own `lookup_value_regex`; this only replaces DRF's `[^/.]+` default.
        self._default_value_pattern = ID_PATTERN
