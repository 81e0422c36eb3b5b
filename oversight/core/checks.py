"""System checks for the platform registries (run by `manage.py check` and so by the test suite)."""

from __future__ import annotations

from django.core import checks

from oversight.core import events


@checks.register()
def handled_events_are_defined(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A handler of an event nobody defines would never run: a typo, caught at start-up."""
    return [
        checks.Error(f"a handler is registered for the undefined event {name!r}", id="oversight.E001")
        for name in events.undefined_handled_events()
    ]
