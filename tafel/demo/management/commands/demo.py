"""`manage.py demo`: fill an empty database with the deterministic demo house (tafel/demo/house.py)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from tafel.demo import house as demo

HELP = """Fill an empty database with a deterministic demo: the Zorg- en Veiligheidshuis Gooi en Vechtstreek, its
nine municipalities, 15 partner organisations, users in every role and N cases in every status, theme and
entry route. The same --seed gives the same data. Log in with `manage.py demo_logins`.

Well-known persons for demos and browser tests:
  Pieter Jansen, born 14-03-1980, Hilversum, BSN 123456782: vader (role pleger) in the active domestic-violence
    case "Gezin Jansen" (procesregisseur: regisseur, casusregisseur: casusregisseur; Veilig Thuis, politie,
    GGZ, Raad and wijkteam take part), with partner Marloes de Groot (02-09-1983) and children Daan
    (20-05-2013) and Sophie (08-01-2017). The family was in an earlier case, closed on 26-03-2024.
    No other person in the demo is called Pieter Jansen, Piet de Vries or Johan Verbeek.
  Piet de Vries, born 02-06-1975, Huizen, BSN 111222333: veelpleger case submitted by the police (politie),
    waiting for triage (aangemeld).
  Johan Verbeek, born 30-11-1969, Laren: overlast case waiting for triage in Laren, whose maximum caseload is
    exactly reached (a ZVH-aanpak there needs a recorded reason, or lokaal reason g).
Demo generation writes no audit events (it is not a user action)."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, *args, **kwargs):
        parser = super().create_parser(*args, **kwargs)
        from argparse import RawDescriptionHelpFormatter

        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--cases", type=int, default=600, help=f"number of cases (default 600, at least {demo.MIN_CASES})"
        )
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database already has cases")
        parser.add_argument(
            "--fast-bsn",
            action="store_true",
            help="give a BSN only to the well-known persons, not to 10%% of all persons (skips encryption)",
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="cases per transaction (default 2000)")

    def handle(self, *args, seed, cases, if_empty, fast_bsn, batch_size, **options):
        if demo.demo_exists():
            if if_empty:
                self.stdout.write("De database bevat al casussen; de demo wordt niet opnieuw gemaakt.")
                return
            raise CommandError(
                "De database bevat al casussen. Maak een lege database (make clean, of manage.py flush) "
                "of gebruik --if-empty."
            )
        if demo.reference_data_exists():
            raise CommandError(
                "De database bevat al demo-organisaties of -gebruikers (een afgebroken demo?). "
                "Maak eerst een lege database (make clean, of manage.py flush)."
            )
        if cases < demo.MIN_CASES:
            raise CommandError(f"--cases moet ten minste {demo.MIN_CASES} zijn.")
        verbosity = options.get("verbosity", 1)

        def progress(done: int, total: int, seconds: float) -> None:
            if verbosity > 0:
                sys.stderr.write(f"demo: {done:>7}/{total} casussen ({100 * done // total:3d}%)  {seconds:6.1f} s\n")
                sys.stderr.flush()

        result = demo.generate(seed=seed, cases=cases, fast_bsn=fast_bsn, batch_size=batch_size, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo klaar: {result.cases} casussen, {result.persons} personen, {result.users} gebruikers "
                f"in {result.seconds:.1f} s (seed {seed})."
            )
        )
