"""`manage.py report --quarter 2026Q3 [--municipality Hilversum] --format pdf|xlsx|csv --out FILE`

The quarterly or annual report, made synchronously with exactly the figures of the monitor (always with
small cells suppressed). For cron jobs and for sending the stuurgroep its report without a browser."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tafel.core.errors import ValidationFailed
from tafel.organisations.models import Municipality
from tafel.reports.exports import build_report
from tafel.reports.params import parse_params


class Command(BaseCommand):
    help = "Maak de kwartaal- of jaarrapportage van de monitor (PDF, XLSX of CSV)."

    def add_arguments(self, parser):
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument("--quarter", help="Kwartaal, bijvoorbeeld 2026Q3.")
        period.add_argument("--year", help="Jaar, bijvoorbeeld 2026.")
        period.add_argument("--period", help="Eigen periode: 2026-01-01..2026-03-31.")
        parser.add_argument("--municipality", help="Gemeente: naam, CBS-code of id (leeg: de hele regio).")
        parser.add_argument("--theme", default="", help="Thema (code), bijvoorbeeld huiselijk_geweld.")
        parser.add_argument("--format", choices=["pdf", "xlsx", "csv"], default="pdf")
        parser.add_argument("--out", required=True, help="Bestand om naar te schrijven.")

    def handle(self, *args, **options):
        query = {"period": options["quarter"] or options["year"] or options["period"], "theme": options["theme"]}
        if options["municipality"]:
            query["municipality"] = str(self._municipality(options["municipality"]).pk)
        try:
            params = parse_params(query)
        except ValidationFailed as exc:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.field_errors.items())
            raise CommandError(f"{exc.message} {problems}") from exc
        started = time.perf_counter()
        content, filename = build_report(params, options["format"])
        out = Path(options["out"])
        out.write_bytes(content)
        self.stdout.write(f"{out} ({filename}, {len(content)} bytes) in {time.perf_counter() - started:.1f} s")

    def _municipality(self, value: str) -> Municipality:
        match = (
            Municipality.objects.filter(name__iexact=value).first() or Municipality.objects.filter(code=value).first()
        )
        if match is None and value.isdigit():
            match = Municipality.objects.filter(pk=int(value)).first()
        if match is None:
            raise CommandError(f"Onbekende gemeente: {value!r}.")
        return match
