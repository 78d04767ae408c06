"""`manage.py backup [PATH]`: the database and the stored files together in one archive (0600), with a
manifest of row counts and checksums. See tafel/core/backup.py and docs/operations.md."""

from pathlib import Path

from django.core.management.base import BaseCommand

from tafel.core.backup import make_backup


class Command(BaseCommand):
    help = "Maakt een back-up van de database én de bijlagen samen (alleen leesbaar voor de eigenaar)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=".", help="Bestand of map (standaard: de huidige map).")

    def handle(self, *args, **options):
        manifest = make_backup(Path(options["path"]))
        self.stdout.write(
            f"Back-up {manifest['path']}: {sum(manifest['rows'].values())} rijen in {len(manifest['rows'])} "
            f"tabellen, {len(manifest['files'])} bestanden."
        )
