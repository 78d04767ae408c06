"""The named system actor: who acts when no person does (the periodic run `tick`, retention, the queue's
scheduled tasks).

NEN 7513 asks that every logged event names who did it. Work that Tafel does by itself on a clock — moving an
escalation to the openbaar bestuur when the directors' ten days ran out, ending volgen op afstand, destroying a
case after its retention period — is done in the name of one documented account, `tafel-systeem`, never in the
name of a procesregisseur who did nothing. The account has no organisation and no role, cannot log in (no
usable password, inactive), and receives no notifications. It is made on first use, so a fresh database, a
restored backup and a test database all have it without a data migration.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

SYSTEM_USERNAME = "tafel-systeem"
SYSTEM_LABEL = "Tafel (systeem)"


def system_actor():
    """The system account, created on first use."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "first_name": "Tafel",
            "last_name": "(systeem)",
            "is_active": False,
            "password": make_password(None),
        },
    )
    return user


def is_system_actor(user) -> bool:
    return user is not None and getattr(user, "username", None) == SYSTEM_USERNAME
