"""`manage.py audit_partitions`: make the audit log's month partitions for this month and the coming months
(PostgreSQL; nothing to do on SQLite). Idempotent; the scheduler runs it daily."""

from django.core.management.base import BaseCommand

from tafel.core.auditpartitions import ensure_partitions, is_partitioned, monthly_partitions


class Command(BaseCommand):
    help = "Maakt de maandpartities van het auditlog aan (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--months-ahead", type=int, default=12)

    def handle(self, *args, **options):
        if not is_partitioned():
            self.stdout.write("Het auditlog is hier een gewone tabel (SQLite): geen partities nodig.")
            return
        made = ensure_partitions(months_ahead=options["months_ahead"])
        self.stdout.write(f"{len(made)} partities aangemaakt; {len(monthly_partitions())} maandpartities in totaal.")
