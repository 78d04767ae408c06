"""API tokens for systems that call /api/v1/ (a partner's registration system, a regional dashboard)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

# A token lives 90 days unless created with another term: long enough for a system integration, short enough
# that a forgotten key stops working by itself.
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 366

# What a token may be used for. A token also never goes beyond its user's roles: the policy module decides
# those on every call, exactly as for the pages.
SCOPES = {
    "cases:read": "Casussen lezen (lijst en detail)",
    "cases:write": "Status van een casus wijzigen (procesregie)",
    "aanmeldingen:read": "Eigen aanmeldingen en hun status lezen",
    "aanmeldingen:write": "Aanmeldingen indienen en informatie aanvullen",
    "triage:write": "Triagebesluiten vastleggen",
    "persons:match": "Personen zoeken bij aanmelding (screening, dat-informatie)",
    "indicators:read": "Indicatoren van de monitor lezen (geaggregeerd, kleine aantallen verborgen)",
    "questionnaires:read": "Resultaten van vragenlijsten lezen (gemiddelden, kleine aantallen verborgen)",
    "evaluations:read": "Casusevaluaties en verbeteracties lezen",
    "evaluations:write": "Casusevaluaties vastleggen en verbeteracties bijwerken",
}


def default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=DEFAULT_TOKEN_DAYS)


class APIToken(models.Model):
    """A bearer key for one system acting as one user. Only a SHA-256 hash of the key is stored; the key
    itself is shown once, when it is created. The prefix (its first 8 characters) identifies a token in
    lists and in `api_token revoke` without revealing the key."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="gebruiker", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("naam", max_length=100)
    prefix = models.CharField("prefix", max_length=8, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField("scopes", default=list)
    created_at = models.DateTimeField("aangemaakt", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField("verloopt", default=default_expiry)
    revoked_at = models.DateTimeField("ingetrokken", null=True, blank=True)
    last_used_at = models.DateTimeField("laatst gebruikt", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API-token"
        verbose_name_plural = "API-tokens"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired
