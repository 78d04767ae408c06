"""`manage.py demo_logins`: the demo accounts as a table, and where to open Tafel."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tafel.demo.accounts import DEMO_ACCOUNTS
from tafel.organisations.models import User


class Command(BaseCommand):
    help = "Print the demo logins (run `manage.py demo` first) and the address to open."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="address printed at the end")

    def handle(self, *args, url, **options):
        existing = set(
            User.objects.filter(username__in=[a["username"] for a in DEMO_ACCOUNTS]).values_list("username", flat=True)
        )
        headers = ("gebruikersnaam", "wachtwoord", "rol", "organisatie")
        rows = [(a["username"], a["password"], a["role_label"], a["organisation"]) for a in DEMO_ACCOUNTS]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

        def line(cells) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo-inloggegevens (alleen voor de demo)"))
        self.stdout.write(line(headers))
        self.stdout.write(line("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line(row))
        missing = [a["username"] for a in DEMO_ACCOUNTS if a["username"] not in existing]
        if missing:
            self.stdout.write(
                self.style.WARNING(f"Nog niet aangemaakt: {', '.join(missing)}. Draai eerst `manage.py demo`.")
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Open {url}"))
        self.stdout.write("")
