"""Register a house with the hub (docs/federation.md, "How a house joins"): prints the secret once."""

import secrets

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tafel_hub.models import House


class Command(BaseCommand):
    help = "Registreer een huis bij de hub en toon eenmalig het gedeelde geheim."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--name", required=True)
        parser.add_argument("--answer-url", required=True)
        parser.add_argument("--secret", default="", help="Een eigen geheim (anders wordt er een gemaakt).")

    def handle(self, *args, code, name, answer_url, secret, **options):
        if House.objects.filter(code=code).exists():
            raise CommandError(f"Huis {code} bestaat al.")
        secret = secret or secrets.token_urlsafe(48)
        if len(secret) < 32:
            raise CommandError("Het geheim moet minstens 32 tekens lang zijn.")
        House.objects.create(code=code, name=name, secret=secret, answer_url=answer_url, joined_at=timezone.now())
        self.stdout.write(secret)
