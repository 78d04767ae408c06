"""Create, revoke and list API tokens from the command line (the operator acts as "system").

manage.py api_token create --user jansen --name "Politie BVH" --scopes aanmeldingen:write,persons:match --days 90
manage.py api_token revoke --prefix Ab3dEf9h
manage.py api_token list [--user jansen] [--all]
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tafel.api.models import DEFAULT_TOKEN_DAYS, SCOPES, APIToken
from tafel.api.services import api_token_create, api_token_revoke
from tafel.core.errors import TafelError


class Command(BaseCommand):
    help = "Maak, trek in of toon API-tokens voor /api/v1/."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)

        create = sub.add_parser("create", help="Maak een token; de sleutel wordt één keer getoond.")
        create.add_argument("--user", required=True, help="gebruikersnaam namens wie het systeem werkt")
        create.add_argument("--name", required=True, help="naam van het systeem dat het token gebruikt")
        create.add_argument("--scopes", required=True, help=f"komma-gescheiden, uit: {', '.join(sorted(SCOPES))}")
        create.add_argument("--days", type=int, default=DEFAULT_TOKEN_DAYS, help="geldigheid in dagen")

        revoke = sub.add_parser("revoke", help="Trek een token in.")
        revoke.add_argument("--prefix", required=True, help="de eerste 8 tekens van de sleutel (zie list)")

        listing = sub.add_parser("list", help="Toon tokens (zonder sleutels).")
        listing.add_argument("--user", help="alleen tokens van deze gebruiker")
        listing.add_argument("--all", action="store_true", help="ook verlopen en ingetrokken tokens")

    def handle(self, *args, **options):
        try:
            getattr(self, f"_{options['action']}")(options)
        except TafelError as exc:
            details = "; ".join(f"{field}: {msg}" for field, msgs in exc.field_errors.items() for msg in msgs)
            raise CommandError(f"{exc.message} {details}".strip()) from None

    def _create(self, options):
        User = get_user_model()
        try:
            user = User.objects.get(username=options["user"])
        except User.DoesNotExist:
            raise CommandError(f"Gebruiker {options['user']!r} bestaat niet.") from None
        scopes = [s for s in options["scopes"].split(",") if s.strip()]
        new = api_token_create(actor=None, user=user, name=options["name"], scopes=scopes, days=options["days"])
        self.stdout.write(f"Token aangemaakt voor {user.username}: {new.token.name}")
        self.stdout.write(f"  prefix:  {new.token.prefix}")
        self.stdout.write(f"  scopes:  {', '.join(new.token.scopes)}")
        self.stdout.write(f"  verloopt: {timezone.localtime(new.token.expires_at):%Y-%m-%d %H:%M}")
        self.stdout.write("Sleutel (wordt niet bewaard en niet opnieuw getoond):")
        self.stdout.write(new.key)

    def _revoke(self, options):
        prefix = options["prefix"].strip()
        tokens = list(APIToken.objects.select_related("user").filter(prefix=prefix))
        if not tokens:
            raise CommandError(f"Geen token met prefix {prefix!r}.")
        if len(tokens) > 1:
            raise CommandError(f"Meer dan één token met prefix {prefix!r}; trek ze in via het beheer.")
        token = api_token_revoke(actor=None, token=tokens[0])
        self.stdout.write(f"Ingetrokken: {token} van {token.user.username}")

    def _list(self, options):
        qs = APIToken.objects.select_related("user").order_by("user__username", "-created_at")
        if options.get("user"):
            qs = qs.filter(user__username=options["user"])
        now = timezone.now()
        if not options.get("all"):
            qs = qs.filter(revoked_at__isnull=True, expires_at__gt=now)
        rows = list(qs)
        if not rows:
            self.stdout.write("Geen tokens.")
            return
        for t in rows:
            state = "ingetrokken" if t.revoked_at else ("verlopen" if t.expires_at <= now else "geldig")
            used = f"{timezone.localtime(t.last_used_at):%Y-%m-%d %H:%M}" if t.last_used_at else "nooit"
            self.stdout.write(
                f"{t.prefix}  {t.user.username:<20} {t.name:<30} {state:<11} "
                f"verloopt {timezone.localtime(t.expires_at):%Y-%m-%d}  gebruikt {used}  [{', '.join(t.scopes)}]"
            )
