"""Print unusual access (issue 4 §8): users reading many cases they have no task in, per day."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tafel.privacy.selectors import unusual_access


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
        self.stdout.write(f"{len(alerts)} melding(en).")
