"""`manage.py restore ARCHIVE --yes`: replace the database's content and the stored files with a backup's, then
compare row counts and file checksums with its manifest and check the audit chain. Exit 1 on any difference."""

import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tafel.core.auditchain import verify
from tafel.core.backup import restore_backup


class Command(BaseCommand):
    help = "Zet een back-up terug (database en bijlagen) en controleert aantallen en controlegetallen."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Ja, vervang alle gegevens in deze database.")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("Terugzetten vervangt ALLE gegevens in deze database. Bevestig met --yes.")
        try:
            report = restore_backup(Path(options["archive"]))
        except (OSError, ValueError, KeyError, tarfile.TarError) as exc:
            raise CommandError(f"Terugzetten mislukt: {exc}") from exc
        if not report.ok:
            raise CommandError("Terugzetten wijkt af:\n" + "\n".join(report.problems))
        chain = verify()
        if not chain.ok:
            raise CommandError(f"Teruggezet, maar de auditketen breekt bij regel id={chain.row_id}: {chain.problem}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Teruggezet en gecontroleerd: {sum(report.rows_found.values())} rijen, "
                f"{len(report.files_found)} bestanden, auditketen in orde ({chain.checked} regels)."
            )
        )
