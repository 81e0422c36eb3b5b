"""Print where the demo runs and who can sign in to it (`make demo` runs this before serving)."""

from __future__ import annotations

import unicodedata

from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand
from django.utils import translation

from oversight.contactcentre.demo import BPO_DEMO_ORGANISATION_CODE
from oversight.demo.scenario import DEMO_ORGANISATION_CODE, DEMO_PASSWORD
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Organisation, User

ROLE_ORDER = [
    Role.CLIENT_ADMIN,
    Role.CLIENT_SUPERVISOR,
    Role.EXECUTIVE,
    Role.AUDITOR,
    Role.VENDOR_MANAGER,
    Role.VENDOR_AGENT,
    Role.REQUESTER,
]
LANGUAGES = {"zh-hans": "中文", "en": "English"}
REQUESTERS_SHOWN = 3


def _width(text: str) -> int:
    """Columns the text takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "Print the demo's URL and a table of its logins (username, password, role, organisation/vendor, language)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Where the demo is served.")
        parser.add_argument("--all", action="store_true", help="List every requester too, not only the first few.")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(code=DEMO_ORGANISATION_CODE).first()
        if organisation is None:
            self.stdout.write("No demo data: run `manage.py demo_load` first.")
            return
        users = list(User.objects.filter(organisation=organisation, is_active=True).select_related("vendor"))
        order = {role: i for i, role in enumerate(ROLE_ORDER)}
        users.sort(key=lambda u: (order.get(u.role, 99), u.vendor.code if u.vendor_id else "", _natural(u.username)))
        # One check per distinct hash: every demo user shares one, so this stays fast.
        known = {h: check_password(DEMO_PASSWORD, h) for h in {u.password for u in users}}
        requesters = sorted((u for u in users if u.role == Role.REQUESTER), key=lambda u: u.pk)
        # One requester of each kind (nurse1, clerk1, doctor1...) unless --all.
        first_of_kind = {}
        for user in requesters:
            first_of_kind.setdefault(_natural(user.username)[0], user)
        sample = list(first_of_kind.values())[:REQUESTERS_SHOWN]
        shown = users if options["all"] else [u for u in users if u.role != Role.REQUESTER] + sample
        with translation.override("en"):
            rows = [
                (
                    u.username,
                    DEMO_PASSWORD if known[u.password] else "(changed)",
                    str(Role(u.role).label),
                    u.vendor.name if u.vendor_id else organisation.name + (" (staff)" if u.is_staff else ""),
                    LANGUAGES.get(u.language, u.language),
                )
                for u in shown
            ]
        header = ("Username", "Password", "Role", "Organisation / vendor", "Language")
        widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Oversight demo: {options['url']}"))
        self.stdout.write(f"Every demo user's password is {DEMO_PASSWORD!r} (a local demo only).")
        self.stdout.write("")
        self.stdout.write("  ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip())
        self.stdout.write(line)
        for row in rows:
            self.stdout.write("  ".join(_pad(str(c), w) for c, w in zip(row, widths)).rstrip())
        hidden = [u for u in requesters if u not in sample]
        if hidden and not options["all"]:
            names = ", ".join(u.username for u in hidden)
            self.stdout.write(f"... and {len(hidden)} more requesters with the same password: {names}")
        self.stdout.write("")
        self._second_organisation(BPO_DEMO_ORGANISATION_CODE, order, widths)

    def _second_organisation(self, code: str, order: dict, widths: list[int]) -> None:
        """The logins of the BPO demo organisation (issue 12), in the same columns."""
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            return
        users = list(User.objects.filter(organisation=organisation, is_active=True).select_related("vendor"))
        users.sort(key=lambda u: (order.get(u.role, 99), u.vendor.code if u.vendor_id else "", u.username))
        known = {h: check_password(DEMO_PASSWORD, h) for h in {u.password for u in users}}
        with translation.override("en"):
            rows = [
                (
                    u.username,
                    DEMO_PASSWORD if known[u.password] else "(changed)",
                    str(Role(u.role).label),
                    u.vendor.name if u.vendor_id else organisation.name,
                    LANGUAGES.get(u.language, u.language),
                )
                for u in users
            ]
        widths = [max([widths[i], *(_width(str(r[i])) for r in rows)]) for i in range(len(widths))]
        self.stdout.write(self.style.SUCCESS(f"Second organisation (contact centre, BPO): {organisation.name}"))
        for row in rows:
            self.stdout.write("  ".join(_pad(str(c), w) for c, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write("")


def _natural(name: str) -> tuple:
    """Sort desk_agent2 before desk_agent10."""
    stem = name.rstrip("0123456789")
    digits = name[len(stem) :]
    return (stem, int(digits) if digits else -1)
