"""`manage.py monitor_figures --clear`: forget the stored figures of closed quarters (tafel.reports.stored).

Needed only after a change the audit log does not see (a data migration, a correction in the shell): every
audited write already marks the quarters it touches stale. The figures are computed again on the next visit."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tafel.reports.stored import clear


class Command(BaseCommand):
    help = "Vergeet de bewaarde cijfers van afgesloten kwartalen van de monitor; ze worden opnieuw berekend."

    def add_arguments(self, parser):
        parser.add_argument("--clear", action="store_true", help="Alle bewaarde cijfers vergeten.")

    def handle(self, *args, **options):
        if not options["clear"]:
            raise CommandError("Geef --clear om de bewaarde cijfers te vergeten.")
        self.stdout.write(f"{clear()} bewaarde cijfers vergeten.")
