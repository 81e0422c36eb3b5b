"""Poll the active mailboxes once (cron in the embedded mode; Celery beat does it in production)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from oversight.mailintake.models import Mailbox
from oversight.mailintake.services import mailbox_poll


class Command(BaseCommand):
    help = "Read the new mails of every active mailbox (or of one) and turn them into work orders and comments."

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", type=int, help="Poll only this mailbox (its id), even if switched off.")

    def handle(self, *args, **options):
        if options["mailbox"] is not None:
            if not Mailbox.objects.filter(pk=options["mailbox"]).exists():
                raise CommandError(f"No mailbox with id {options['mailbox']}.")
            boxes = Mailbox.objects.filter(pk=options["mailbox"])
        else:
            boxes = Mailbox.objects.filter(is_active=True)
        failed = False
        for box in boxes.order_by("pk"):
            result = mailbox_poll(mailbox_id=box.pk)
            line = (
                f"{box.name}: {result.read} read, {result.new} new ({result.processed} processed, {result.ignored} "
                f"ignored, {result.quarantined} quarantined), {result.duplicates} already received"
            )
            if result.error:
                failed = True
                self.stderr.write(self.style.ERROR(f"{line}; error: {result.error}"))
            else:
                self.stdout.write(line)
        if failed:
            raise CommandError("Some mailboxes could not be read.")
