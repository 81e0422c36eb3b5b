"""Background jobs of the notification channels. They take primary keys and are safe to run twice."""

from celery import shared_task

from oversight.notifications.channels.sending import deliveries_send_due, delivery_attempt


@shared_task(name="oversight.notifications.channels.tasks.send_channel_delivery")
def send_channel_delivery(delivery_id: int) -> None:
    """Attempt one delivery (no-op when it was sent, is not due or its channel is disabled)."""
    delivery_attempt(delivery_id=delivery_id)


@shared_task(name="oversight.notifications.channels.tasks.send_due_channel_deliveries")
def send_due_channel_deliveries() -> int:
    """The sweep of deferred, digested and retried deliveries (every 30 seconds)."""
    return deliveries_send_due()
