"""Print unusual access (issue 4 §8): users reading many cases they have no task in, per day; and screening
that looks like fishing (issue 10, finding 3)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tafel.privacy.selectors import screening_alerts, unusual_access


class Command(BaseCommand):
    help = "Meld ongebruikelijke inzage: gebruikers die op één dag veel casussen zonder taak bekeken."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)
        parser.add_argument("--threshold", type=int, default=None)

    def handle(self, *args, **options):
        alerts = unusual_access(days=options["days"], threshold=options["threshold"])
        for a in alerts:
            self.stdout.write(
                f"{a.day}\t{a.actor_label}\t{a.organisation}\t{a.cases_without_task} casussen zonder taak"
            )
        # Screening that looks like fishing (issue 10, finding 3).
        fishing = screening_alerts(days=options["days"])
        for a in fishing:
            self.stdout.write(
                f"{a.day}\t{a.actor_label}\t{a.organisation}\t{a.name_only} zoekvragen alleen op naam, "
                f"{a.burst} binnen tien minuten"
            )
        self.stdout.write(f"{len(alerts) + len(fishing)} melding(en).")
