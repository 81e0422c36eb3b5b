"""`manage.py settlement_verify [ids...]`: re-run the settlement of statements from their stored inputs and compare."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from oversight.settlement import services
from oversight.settlement.models import SettlementStatement


class Command(BaseCommand):
    help = "Re-run settle() from each statement's stored inputs; fail if any line, figure or hash differs."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Statement ids (default: every approved statement).")
        parser.add_argument("--all", action="store_true", help="Every statement, drafts included.")

    def handle(self, *args, ids, all, **options):  # noqa: A002 - the option's name
        qs = SettlementStatement.objects.order_by("pk")
        if ids:
            qs = qs.filter(pk__in=ids)
        elif not all:
            qs = qs.filter(status="approved")
        failed = []
        for statement in qs:
            outcome = services.statement_verify(actor=None, statement=statement)
            mark = "ok" if outcome.ok else "MISMATCH " + ", ".join(outcome.differences)
            self.stdout.write(f"#{statement.pk} {statement.content_hash} {mark}")
            if not outcome.ok:
                failed.append(statement.pk)
        if failed:
            raise CommandError(f"statements that do not reproduce: {failed}")
