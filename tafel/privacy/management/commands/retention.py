"""Destroy cases past their retention period (issue 4 §6). Idempotent; run it daily or more often.

manage.py retention --dry-run            # the FG's report, nothing is deleted
manage.py retention --now 2031-01-01     # act as if it were that day (tests, catching up)
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tafel.privacy.services.retention import retention_run


class Command(BaseCommand):
    help = "Vernietig casussen waarvan de bewaartermijn na afsluiting is verstreken."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="alleen rapporteren, niets verwijderen")
        parser.add_argument("--now", help="peildatum YYYY-MM-DD (standaard: nu)")

    def handle(self, *args, **options):
        as_of = timezone.now()
        if options["now"]:
            try:
                day = datetime.date.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError("--now verwacht YYYY-MM-DD") from exc
            as_of = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))
        result = retention_run(as_of=as_of, dry_run=options["dry_run"])
        verb = "zou vernietigen" if options["dry_run"] else "vernietigd"
        for cand in result.candidates:
            self.stdout.write(
                f"{cand.case.reference}\tafgesloten {cand.case.closed_at:%Y-%m-%d}\t"
                f"termijn {cand.retention_months} mnd\tpersonen {cand.persons_to_delete}/{cand.person_count}"
            )
        self.stdout.write(f"{len(result.candidates)} casus(sen) {verb}.")
        if result.record:
            self.stdout.write(f"Vernietigingsverslag {result.record.run_id}")
