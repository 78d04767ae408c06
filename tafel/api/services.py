"""Writes for the API: creating, revoking and using API tokens."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tafel.access.backends import apply_user_context, with_user_context
from tafel.access.policy import may_use_admin
from tafel.api.audit_events import ApiEvent
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, NotFound, ValidationFailed
from tafel.core.prepared import prepared_list

from .models import MAX_TOKEN_DAYS, SCOPES, APIToken

log = logging.getLogger("tafel.api")

PREFIX_LENGTH = 8
# Writing last_used_at on every call would turn each read into a write; a minute's precision is enough to
# see whether a token is still in use.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: APIToken
    # The only time the plain key exists outside the caller's system: show it once, never store it.
    key: str


def _may_manage_tokens_of(actor, user) -> bool:
    # The command line (actor None) is the operator; otherwise a user manages their own tokens and a
    # beheerder manages everyone's.
    return actor is None or actor.pk == user.pk or may_use_admin(actor)


def _new_key() -> str:
    # A key (and so its prefix) never starts with "-": the prefix is typed on the command line
    # (`api_token revoke --prefix …`), where a leading dash reads as an option.
    while True:
        key = secrets.token_urlsafe(32)
        if not key.startswith("-"):
            return key


def api_token_create(*, actor, user, name: str, scopes: list[str], days: int = 90) -> NewToken:
    """Create a token for `user` and return it with its plain key (shown once)."""
    if not _may_manage_tokens_of(actor, user):
        raise AccessDenied("U mag geen API-token voor deze gebruiker aanmaken.")
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors.setdefault("name", []).append("Geef het token een naam (bijvoorbeeld het systeem dat het gebruikt).")
    elif len(name) > 100:
        errors.setdefault("name", []).append("De naam is te lang (maximaal 100 tekens).")
    scopes = sorted({s.strip() for s in scopes if s and s.strip()})
    if not scopes:
        errors.setdefault("scopes", []).append("Kies ten minste één scope.")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        errors.setdefault("scopes", []).append(
            f"Onbekende scope: {', '.join(unknown)}. Bekend zijn: {', '.join(sorted(SCOPES))}."
        )
    if not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
        errors.setdefault("days", []).append(f"De geldigheid ligt tussen 1 en {MAX_TOKEN_DAYS} dagen.")
    if not (user.is_active and user.organisation_id):
        errors.setdefault("user", []).append("Alleen een actieve gebruiker van een organisatie kan een token krijgen.")
    if errors:
        raise ValidationFailed("Het API-token kan zo niet worden aangemaakt.", field_errors=errors)

    key = _new_key()
    now = timezone.now()
    with transaction.atomic():
        token = APIToken.objects.create(
            user=user,
            name=name,
            prefix=key[:PREFIX_LENGTH],
            key_hash=hash_key(key),
            scopes=scopes,
            created_at=now,
            created_by=actor if actor is not None else None,
            expires_at=now + datetime.timedelta(days=days),
        )
        # The FG sees who holds system access (issue 4 §9); the key itself is never logged.
        audit(
            actor=actor,
            event=ApiEvent.TOKEN_CREATE,
            details={"token": token.prefix, "user": user.pk, "scopes": scopes, "expires": token.expires_at.isoformat()},
        )
    log.info(
        "api token %s… created for %s by %s, scopes %s, expires %s",
        token.prefix,
        user.username,
        actor.username if actor is not None else "command line",
        ",".join(scopes),
        token.expires_at.isoformat(),
    )
    return NewToken(token=token, key=key)


def api_token_revoke(*, actor, token: APIToken) -> APIToken:
    """Revoke a token for good. Revoking twice is harmless and keeps the first moment."""
    if not _may_manage_tokens_of(actor, token.user):
        # A token the actor may not manage is, for them, a token that does not exist.
        raise NotFound("Dit API-token bestaat niet.")
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit(actor=actor, event=ApiEvent.TOKEN_REVOKE, details={"token": token.prefix, "user": token.user_id})
        log.info("api token %s… revoked by %s", token.prefix, actor.username if actor is not None else "command line")
    return token


class TokenRejected(Exception):
    """The key is unknown, expired or revoked; the message says which (the caller holds the key, so telling
    them that it expired reveals nothing they do not have)."""


# The id of the token of each key hash this process has accepted. A key's hash and its token's id never change
# (both are written once); all else (revoked, expired, the user's roles and whether they are active) is read
# from the row on every call, and a token removed since is simply not found.
_token_ids: dict[str, int] = {}
_TOKEN_IDS_MAX = 10_000


def _token_with_user(token_id: int):
    return (
        with_user_context(APIToken.objects.select_related("user", "user__organisation"), user_field="user")
        .filter(pk=token_id)
        .order_by()[:1]
    )


def api_token_authenticate(key: str) -> APIToken:
    """The token for a presented key, with its user and organisation loaded, or TokenRejected."""
    key = (key or "").strip()
    if len(key) < PREFIX_LENGTH or len(key) > 200:
        raise TokenRejected("Onbekend API-token.")
    presented = hash_key(key)
    token = None
    token_id = _token_ids.get(presented)
    if token_id is not None:
        # A key seen before: its token with the user's roles, devices and unread count (tafel.access.backends) in
        # one query compiled once per process (tafel.core.prepared); every API call pays for this (issue 14 item 3).
        found = prepared_list("api.token_with_user", _token_with_user, token_id=token_id)
        token = found[0] if found and hmac.compare_digest(found[0].key_hash, presented) else None
    if token is None:
        # The same in one query built here, from the key's prefix.
        candidates = with_user_context(
            APIToken.objects.select_related("user", "user__organisation"), user_field="user"
        ).filter(prefix=key[:PREFIX_LENGTH])
        token = next((t for t in candidates if hmac.compare_digest(t.key_hash, presented)), None)
        if token is None:
            raise TokenRejected("Onbekend API-token.")
        if len(_token_ids) >= _TOKEN_IDS_MAX:
            _token_ids.clear()
        _token_ids[presented] = token.pk
    apply_user_context(token.user, token)
    if token.revoked_at is not None:
        raise TokenRejected("Dit API-token is ingetrokken.")
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenRejected("Dit API-token is verlopen. Vraag de functioneel beheerder om een nieuw token.")
    if not token.user.is_active:
        raise TokenRejected("De gebruiker van dit API-token is niet meer actief.")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
