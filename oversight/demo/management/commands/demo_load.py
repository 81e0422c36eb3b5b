"""Load the demo scenario and its generated work orders (`make demo` runs this with --if-empty)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from oversight.changes.demo import load_demo_changes
from oversight.configuration.demo import load_demo_configuration
from oversight.contactcentre.demo import load_demo_contact_centre
from oversight.contracts.demo import load_demo_contracts
from oversight.demo.generator import DEFAULT_BATCH, generate_work_orders
from oversight.demo.scenario import DEMO_DAYS, DEMO_ORGANISATION_CODE, build_scenario
from oversight.feedback.demo import load_demo_draw, load_demo_ratings
from oversight.improvement.demo import load_demo_improvements
from oversight.knowledge.demo import load_demo_knowledge
from oversight.liaisons.demo import load_demo_liaisons
from oversight.mailintake.demo import load_demo_mail
from oversight.meetings.demo import load_demo_meetings
from oversight.notifications.channels.demo import load_demo_channels
from oversight.parts.demo import load_demo_parts
from oversight.problems.demo import load_demo_problems
from oversight.projects.demo import load_demo_projects
from oversight.reports.demo import load_demo_schedules
from oversight.risks.demo import load_demo_risks
from oversight.risks.demo_quant import load_demo_quantification
from oversight.risks.demo_triggers import load_demo_triggers
from oversight.scorecards.demo import load_demo_evaluations
from oversight.settlement.demo import load_demo_settlements
from oversight.sourcing.demo import load_demo_sourcing
from oversight.tenancy.models import Organisation
from oversight.workforce.demo import load_demo_workforce


class Command(BaseCommand):
    help = "Load the demo hospital, its vendors, catalog, calendars, SLA policies, people and generated work orders."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database already has data.")
        parser.add_argument("--work-orders", type=int, default=20000, help="How many work orders to generate.")
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the random process (same seed, same data).")
        parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="Work orders per database batch.")

    def handle(self, *args, **options):
        if Organisation.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has data: demo data not loaded (drop var/ to start afresh).")
                return
            if Organisation.objects.filter(code=DEMO_ORGANISATION_CODE).exists():
                raise CommandError(
                    "The demo organisation is already loaded. Use generate_work_orders to add work orders to it."
                )
        if options["work_orders"] < 0:
            raise CommandError("--work-orders must not be negative.")
        started = time.perf_counter()
        scenario = build_scenario()
        for warning in scenario.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            f"Scenario: {scenario.organisation.name}, {len(scenario.vendors)} vendors, {len(scenario.services)} "
            f"services, {len(scenario.users)} users ({time.perf_counter() - started:.1f} s)"
        )

        def progress(done: int, total: int, seconds: float) -> None:
            self.stdout.write(f"  {done:>9,} / {total:,} work orders  {seconds:6.1f} s")

        result = generate_work_orders(
            organisation=scenario.organisation,
            count=options["work_orders"],
            seed=options["seed"],
            days=DEMO_DAYS,
            batch_size=options["batch"],
            progress=progress if options["verbosity"] > 1 else None,
        )
        open_count = sum(n for status, n in result.by_status.items() if status not in ("closed", "cancelled"))
        self.stdout.write(
            f"Work orders: {result.count:,} ({result.first_number} … {result.last_number}), {open_count:,} open, "
            f"{result.breached:,} with a breached SLA; {result.events:,} timeline events, {result.clocks:,} SLA "
            f"clocks, {result.comments:,} comments ({result.seconds:.1f} s)"
        )
        self.load_governance(scenario.organisation)
        self.load_contact_centre()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.perf_counter() - started:.1f} s."))

    def load_governance(self, organisation) -> None:
        """Contracts, ratings and complaints, evaluations, settlements and a prize draw (issue 3's chain)."""
        step = time.perf_counter()
        contracts = load_demo_contracts(organisation)
        ratings = load_demo_ratings(organisation)
        periods = load_demo_evaluations(organisation)
        statements = load_demo_settlements(organisation)
        draw = load_demo_draw(organisation)
        projects = load_demo_projects(organisation)  # after the settlements: part of a project's cost is a line
        self.stdout.write(f"Projects: {len(projects)} with baselines, progress and earned value")
        schedules = load_demo_schedules(organisation)
        cis = load_demo_configuration(organisation)
        self.stdout.write(f"Configuration items: {len(cis)} (the hospital's CI graph, with redundancy groups)")
        changes = load_demo_changes(organisation)
        self.stdout.write(f"Changes: {len(changes)} (every state, a CAB meeting and a blackout conflict)")
        spare_parts = load_demo_parts(organisation)
        self.stdout.write(f"Spare parts: {len(spare_parts)} parts with their stock ledger")
        self.stdout.write(f"Report schedules: {len(schedules)} (e-mailed from their next sending day on)")
        problems = load_demo_problems(organisation)
        self.stdout.write(f"Problems: {len(problems)} (known errors and a pending suggestion)")
        articles = load_demo_knowledge(organisation)
        self.stdout.write(f"Knowledge base: {articles} articles written")
        mails = load_demo_mail(organisation)
        self.stdout.write(f"E-mail intake: {len(mails)} sample mails read from the demo maildir")
        risks = load_demo_risks(organisation)
        self.stdout.write(f"Risk register: {len(risks)} risks with ratings, mitigations and reviews")
        run = load_demo_quantification(organisation)  # after the register's demo risks
        if run is not None:
            self.stdout.write(f"Risk simulation: {len(run.inputs['risks'])} quantified risks, seed {run.seed}")
        kris = load_demo_triggers(organisation)  # after the register's demo risks
        self.stdout.write(f"Key risk indicators: {len(kris)}, evaluated on the demo history")
        liaisons = load_demo_liaisons(organisation)  # after the complaints and work orders it escalates
        self.stdout.write(
            f"Liaisons: {liaisons.get('liaisons', 0)} liaisons, {liaisons.get('escalations', 0)} escalations, "
            f"the supervision hotline with {liaisons.get('reports', 0)} reports"
        )
        meetings = load_demo_meetings(organisation)  # after the risks: the agenda reads the register
        self.stdout.write(f"Meetings: {len(meetings)} of the desk vendor's three series, past ones with minutes")
        improvements = load_demo_improvements(organisation)  # raised from breaches, complaints, problems, audits
        self.stdout.write(f"Improvement register: {len(improvements)} items, two with a measured effect")
        channel = load_demo_channels(organisation)  # last: no demo notice is posted to its robot while loading
        if channel is not None:
            self.stdout.write(f"Notification channel: {channel.name} -> {channel.host} (manage.py channel_sink)")
        self.stdout.write(
            f"Governance: {len(contracts)} contracts, {ratings:,} ratings, {len(periods)} evaluation periods, "
            f"{len(statements)} settlement statements, {'a' if draw else 'no'} prize draw "
            f"({time.perf_counter() - step:.1f} s)"
        )

    def load_contact_centre(self) -> None:
        """The second client organisation (issue 12): a company that outsources its customer service to two BPO
        vendors. The contact-centre loader runs first, then the workforce and sourcing loaders on its organisation."""
        step = time.perf_counter()
        bpo = load_demo_contact_centre()
        self.stdout.write(
            f"Contact centre: {bpo.name}, two BPO vendors, 13 months of intervals ({time.perf_counter() - step:.1f} s)"
        )
        step = time.perf_counter()
        load_demo_workforce(bpo)  # forecasts and staffing read the intervals loaded above
        self.stdout.write(f"Workforce: forecasts, accuracy and staffing ({time.perf_counter() - step:.1f} s)")
        step = time.perf_counter()
        load_demo_sourcing(bpo)  # scenarios are sized from the last year of intervals
        self.stdout.write(f"Sourcing: commercial models and two scenarios ({time.perf_counter() - step:.1f} s)")
