"""Background jobs for notifications. They take primary keys and are safe to run twice."""

from celery import shared_task

from oversight.notifications.services import notification_send_email


@shared_task(name="oversight.notifications.tasks.send_notification_email")
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification (no-op if it was already sent)."""
    return notification_send_email(notification_id=notification_id)


@shared_task(name="oversight.notifications.tasks.notify_work_order_event")
def notify_work_order_event(work_order_id: int, kind: str) -> int:
    """Tell the people concerned that something happened to a work order."""
    from oversight.tickets.escalation import notify_event

    return notify_event(work_order_id=work_order_id, kind=kind)
