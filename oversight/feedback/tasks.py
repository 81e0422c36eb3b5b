"""Background jobs of the feedback app. They take primary keys (and the link's token), and are safe to run twice."""

from celery import shared_task

from oversight.feedback.services import complaint_notify, rating_invitation_send_email


@shared_task(name="oversight.feedback.tasks.send_rating_invitation_email")
def send_rating_invitation_email(invitation_id: int, token: str) -> bool:
    """E-mail a rating link to the requester once (no-op when already sent, used, replaced or not matching)."""
    return rating_invitation_send_email(invitation_id=invitation_id, token=token)


@shared_task(name="oversight.feedback.tasks.notify_complaint")
def notify_complaint(complaint_id: int, kind: str) -> int:
    """Tell the complaint's handler and the vendor's managers that something happened (each exactly once)."""
    return complaint_notify(complaint_id=complaint_id, kind=kind)
