"""Periodic job of the facts app. It takes no instance and is safe to run twice or after a crash."""

from celery import shared_task

from oversight.facts.services import facts_rebuild_recent


@shared_task(name="oversight.facts.tasks.rebuild_recent_facts")
def rebuild_recent_facts() -> dict:
    """Rebuild every organisation's service facts from its local yesterday on (what no event announced)."""
    return facts_rebuild_recent()
