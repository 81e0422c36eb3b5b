"""Measure the knowledge search's latency as a user types (the figure the docs and the closing note give)."""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from oversight.knowledge import search
from oversight.knowledge.selectors import article_published
from oversight.tenancy.models import User

#: Texts a requester or an agent types, in Chinese and English, as prefixes grow (typing).
TEXTS = (
    "打印机卡纸",
    "病房的打印机又卡纸了，打不出腕带",
    "HIS 登录不了，提示密码错误",
    "VPN 连不上",
    "PACS 影像调阅很慢",
    "病房 Wi-Fi 断网",
    "电脑蓝屏死机",
    "printer jam on the ward",
    "cannot log in to HIS",
    "reset my password",
    "VPN certificate expired",
    "PACS viewer slow",
)


class Command(BaseCommand):
    help = "Time knowledge.search.article_search for a user over typed texts and their prefixes; print p50 and p95."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="nurse1", help="Whose visibility the search runs with.")
        parser.add_argument("--rounds", type=int, default=5, help="How many times each text is searched.")

    def handle(self, *args, **options):
        try:
            user = User.objects.get(username=options["user"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {options['user']!r} (load the demo first).") from exc
        search.article_search(user=user, text="打印机")  # jieba's dictionary loads once per process
        queries = [text[:n] for text in TEXTS for n in range(2, len(text) + 1, 2)]
        wall, cpu = [], []
        for _round in range(options["rounds"]):
            for text in queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                search.article_search(user=user, text=text)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
        self.stdout.write(
            f"{connection.vendor}, {'full text' if search.uses_full_text() else 'portable'}: "
            f"{article_published(user=user).count()} articles readable by {user.username}, {len(wall)} searches: "
            f"wall clock {_figures(wall)}; CPU of this process {_figures(cpu)} (SQLite runs in this process; a "
            f"PostgreSQL server's time counts in the wall clock only)"
        )


def _figures(values: list[float]) -> str:
    """p50, p95 and max of timings in milliseconds."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return f"p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms"
