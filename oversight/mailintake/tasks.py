"""Background jobs of e-mail intake: poll every active mailbox (Celery beat every minute, or `manage.py mail_poll`
from cron in the embedded mode). Safe to run twice: a mail already recorded is never processed again."""

from celery import shared_task

from oversight.mailintake.services import mailbox_poll, mailboxes_poll_all


@shared_task(name="oversight.mailintake.tasks.poll_mailboxes")
def poll_mailboxes() -> int:
    """Poll every active mailbox once; returns how many new mails were recorded."""
    return sum(result.new for result in mailboxes_poll_all().values())


@shared_task(name="oversight.mailintake.tasks.poll_mailbox")
def poll_mailbox(mailbox_id: int) -> int:
    """Poll one mailbox once; returns how many new mails were recorded."""
    return mailbox_poll(mailbox_id=mailbox_id).new
