"""`manage.py audit_verify`: prove the audit log's hash chain unbroken, or name the row where it breaks.

For the FG, an auditor or the beheerder (BIO 8.15): it needs only read access to the database. Rows not yet
sealed (written a moment ago, or left by a crash) are sealed first, unless `--no-seal` is given."""

from django.core.management.base import BaseCommand, CommandError

from tafel.core.auditchain import seal_pending, verify


class Command(BaseCommand):
    help = "Controleert de hashketen van het auditlog en noemt de regel waar hij breekt."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-seal", action="store_true", help="Verzegel nog niet verzegelde regels niet eerst (alleen lezen)."
        )

    def handle(self, *args, **options):
        if not options["no_seal"]:
            sealed = seal_pending()
            if sealed:
                self.stdout.write(f"{sealed} nieuwe regels aan de keten toegevoegd.")
        result = verify()
        if not result.ok:
            where = f"regel id={result.row_id}" if result.row_id is not None else "het eind van de keten"
            raise CommandError(
                f"Auditketen GEBROKEN bij {where} (volgnummer {result.seq}): {result.problem}. "
                f"{result.checked} regels ervoor zijn in orde."
            )
        self.stdout.write(self.style.SUCCESS(f"Auditketen in orde: {result.checked} regels gecontroleerd."))
