"""Read Zorgformulieren Politie from a drop directory (where the CORV/Digikoppeling adapter delivers them).

    manage.py corv_import <dropdir>            # every *.xml in dropdir, oldest name first
    manage.py corv_import --show <id>          # print a refused message kept for inspection (audited)

Each message goes through the same door as the API (tafel.integrations.corv.corv_receive). Afterwards the file
is moved to `<dropdir>/verwerkt/` (taken, or taken before) or `<dropdir>/geweigerd/` (refused: kept for
inspection), and the acknowledgement is written to `<dropdir>/bevestigingen/<name>.xml` for the adapter to send
back. Running it twice, or dropping the same message twice, makes one melding."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tafel.integrations.corv import corv_receive


class Command(BaseCommand):
    help = "Lees Zorgformulieren Politie (CORV) in uit een afleverdirectory."

    def add_arguments(self, parser):
        parser.add_argument("dropdir", nargs="?")
        parser.add_argument("--show", type=int, help="Toon een geweigerd bericht (id) voor inspectie.")

    def handle(self, *args, dropdir=None, show=None, **options):
        if show is not None:
            return self._show(show)
        if not dropdir:
            raise CommandError("Geef de afleverdirectory, of --show <id>.")
        root = Path(dropdir)
        if not root.is_dir():
            raise CommandError(f"{root} is geen directory.")
        folders = {name: root / name for name in ("verwerkt", "geweigerd", "bevestigingen")}
        for folder in folders.values():
            folder.mkdir(exist_ok=True)
        counts = {"ontvangen": 0, "al_ontvangen": 0, "geweigerd": 0}
        for path in sorted(p for p in root.iterdir() if p.is_file() and p.suffix.lower() == ".xml"):
            result = corv_receive(raw=path.read_bytes(), channel="map")
            counts[result.status] += 1
            ack = folders["bevestigingen"] / path.name
            tmp = ack.with_suffix(".tmp")
            tmp.write_bytes(result.acknowledgement())
            os.replace(tmp, ack)
            target = folders["geweigerd" if result.status == "geweigerd" else "verwerkt"] / path.name
            os.replace(path, target)
            line = f"{path.name}: {result.status}"
            if result.reason:
                line += f" ({result.reason_code}: {result.reason})"
            self.stdout.write(line)
        self.stdout.write(
            f"{counts['ontvangen']} ingelezen, {counts['al_ontvangen']} al eerder ontvangen, "
            f"{counts['geweigerd']} geweigerd."
        )

    def _show(self, message_id: int) -> None:
        from tafel.integrations.services import corv_refused_content

        try:
            message, content = corv_refused_content(message_pk=message_id)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"# CORV-bericht {message.pk}: {message.reason_code}: {message.reason}")
        self.stdout.write(content)
