"""`manage.py audit_retention [--before YYYY-MM] [--dry-run]`: the audit log's own retention. Removes whole
months older than TAFEL_AUDIT_RETENTION_MONTHS (or before the given month): on PostgreSQL by dropping the month
partitions, on SQLite by deleting the rows. The chain's anchor is kept (`audit_verify` still checks the rest)
and the removal itself is an audit event."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.core.auditpartitions import add_months, month_start, remove_months_before


class Command(BaseCommand):
    help = "Verwijdert hele maanden van het auditlog na de bewaartermijn (partitie weg op PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--before", help="Eerste maand die blijft, als JJJJ-MM (standaard: de bewaartermijn).")
        parser.add_argument("--dry-run", action="store_true", help="Alleen tonen wat zou worden verwijderd.")

    def handle(self, *args, **options):
        if options.get("before"):
            try:
                before = datetime.date.fromisoformat(options["before"] + "-01")
            except ValueError as exc:
                raise CommandError("--before verwacht een maand als JJJJ-MM, bijvoorbeeld 2021-01.") from exc
        else:
            before = add_months(month_start(timezone.localdate()), -settings.TAFEL_AUDIT_RETENTION_MONTHS)
        result = remove_months_before(before, dry_run=options["dry_run"])
        if result.refused:
            raise CommandError(result.refused)
        months = [f"{m:%Y-%m}" for m in result.months]
        verb = "Zou verwijderen" if options["dry_run"] else "Verwijderd"
        self.stdout.write(f"{verb}: {len(months)} maanden ({', '.join(months) or 'geen'}), {result.rows} regels.")
        if months and not options["dry_run"]:
            audit(
                actor=None,
                event=CoreEvent.AUDIT_RETENTION,
                details={"months": months, "rows": result.rows, "before": f"{before:%Y-%m}"},
            )
