"""Background jobs for notifications. They take primary keys and are safe to run twice."""

from celery import shared_task

from oversight.notifications.services import notification_send_email


@shared_task(name="oversight.notifications.tasks.send_notification_email")
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification (no-op if it was already sent)."""
    return notification_send_email(notification_id=notification_id)


# The channels' jobs live in their own module; importing it here registers them where Celery looks (each app's
# ``tasks``), so a worker and the embedded scheduler know the beat entry ``send_due_channel_deliveries``.
from oversight.notifications.channels import tasks as channel_tasks  # noqa: E402, F401
