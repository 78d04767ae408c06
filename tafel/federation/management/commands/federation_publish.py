"""Publish this house's tokens to the hub now (the scheduler also runs it every few minutes)."""

from django.core.management.base import BaseCommand, CommandError

from tafel.federation import client
from tafel.federation.services import publication_run


class Command(BaseCommand):
    help = "Publiceer de tokens van dit huis naar de federatiehub (nieuw, gewijzigd, in te trekken)."

    def handle(self, *args, **options):
        if not client.enabled():
            raise CommandError("Dit huis is niet gefedereerd: TAFEL_FEDERATION_HUB_URL is leeg.")
        result = publication_run()
        self.stdout.write(
            f"gemarkeerd {result.marked}, verstuurd {result.sent}, ingetrokken {result.withdrawn}, "
            f"wacht nog {result.pending}" + (f" (hub: {result.error})" if result.error else "")
        )
        if result.error:
            raise CommandError("De hub was niet bereikbaar; de volgende run gaat verder waar deze stopte.")
