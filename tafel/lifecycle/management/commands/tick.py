"""`manage.py tick [--now ISO]`: the periodic run for deadlines, clocks and digests. Safe to run twice."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tafel.lifecycle.services import tick


class Command(BaseCommand):
    help = "Rappels, actietermijnen, escalatieklokken, einde volgen op afstand en e-maildigest (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Doe alsof het nu dit moment is (ISO 8601), voor tests en inhaalslagen.")
        parser.add_argument("--no-mail", action="store_true", help="Verstuur geen e-maildigest.")

    def handle(self, *args, **options):
        now = None
        if options.get("now"):
            now = parse_datetime(options["now"])
            if now is None:
                raise CommandError("--now verwacht een ISO-datum en -tijd, bijvoorbeeld 2026-11-23T08:00:00+01:00.")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        result = tick(now=now, send_mail=not options["no_mail"])
        summary = ", ".join(f"{k}={v}" for k, v in sorted(result.counts.items())) or "niets te doen"
        self.stdout.write(f"tick: {summary}")
