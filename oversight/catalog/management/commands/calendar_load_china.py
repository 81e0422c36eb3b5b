"""Load a year's Chinese public holidays and adjusted working days into business calendars."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from oversight.catalog.choices import HolidaySource
from oversight.catalog.models import BusinessCalendar
from oversight.catalog.services import calendar_load_china_year
from oversight.core.errors import ApplicationError


class Command(BaseCommand):
    """`manage.py calendar_load_china 2026 [--calendar ID ...] [--organisation CODE]`.

    Without --calendar, every calendar that observes China's holidays is loaded. A year the library
    does not know is refused with the service's message and a non-zero exit status; nothing is guessed.
    Changes are audited with the actor "system".
    """

    help = "Load a year's China public holidays and adjusted working days into business calendars."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="The year to load, e.g. 2026.")
        parser.add_argument("--calendar", type=int, action="append", dest="calendars", help="Calendar id (repeatable).")
        parser.add_argument("--organisation", help="Only the calendars of this organisation (its code).")

    def handle(self, *args, year: int, calendars: list[int] | None, organisation: str | None, **options):
        qs = BusinessCalendar.objects.select_related("organisation").order_by("organisation__code", "name")
        if calendars:
            qs = qs.filter(pk__in=calendars)
            missing = set(calendars) - set(qs.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"Unknown calendar id(s): {', '.join(str(m) for m in sorted(missing))}")
        else:
            qs = qs.filter(holiday_source=HolidaySource.CHINA)
        if organisation:
            qs = qs.filter(organisation__code=organisation)
        if not qs.exists():
            raise CommandError("No calendar to load.")
        refused = []
        for calendar in qs:
            try:
                calendar_load_china_year(actor=None, calendar=calendar, year=year)
            except ApplicationError as exc:
                refused.append(calendar)
                self.stderr.write(f"{calendar.organisation.code} / {calendar.name}: {exc.message}")
            else:
                days = calendar.days.filter(date__year=year)
                self.stdout.write(
                    f"{calendar.organisation.code} / {calendar.name}: {year} loaded "
                    f"({days.filter(is_working=False).count()} holidays, "
                    f"{days.filter(is_working=True).count()} adjusted working days)."
                )
        if refused:
            raise CommandError(f"{year} was refused for {len(refused)} calendar(s); see the messages above.")
