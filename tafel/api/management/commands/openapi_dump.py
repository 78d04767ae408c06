"""Write the API's OpenAPI document (exactly what GET /api/v1/openapi.json answers) to a file or stdout, for
linting it in CI without a running server (tools/spectral/lint.sh)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Schrijf het OpenAPI-document van de API (/api/v1/openapi.json) naar een bestand of stdout."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default="-", help="Bestand; '-' is stdout (standaard).")

    def handle(self, *args, output: str, **options):
        from tafel.api.api import api

        text = json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False) + "\n"
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
