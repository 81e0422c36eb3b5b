"""`manage.py channels_send_due`: send the channel messages that are due (deferred, digested, retried).

For the embedded mode without a Celery worker: run it from cron every minute (docs/notification-channels.md)."""

from django.core.management.base import BaseCommand

from oversight.notifications.channels.sending import deliveries_send_due


class Command(BaseCommand):
    help = "Send the notification-channel messages that are due."

    def handle(self, *args, **options):
        tried = deliveries_send_due()
        self.stdout.write(f"{tried} channel(s) attempted")
