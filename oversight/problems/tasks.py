"""Periodic jobs on problems. Each takes no instance and is safe to run twice or after a crash."""

from celery import shared_task

from oversight.problems.detection import suggestions_detect
from oversight.tenancy.models import Organisation


@shared_task(name="oversight.problems.tasks.detect_problem_suggestions")
def detect_problem_suggestions() -> int:
    """Suggest problems for every organisation's new clusters of recurring incidents (the handler on new
    work orders does it as they arrive; this catches a window that moved or settings that changed)."""
    return sum(len(suggestions_detect(organisation=org)) for org in Organisation.objects.order_by("pk"))
