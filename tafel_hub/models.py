"""What the hub stores: the houses that joined, their pseudonymous entries, and its own audit trail.

An entry is a house's opaque reference (random, not derived from anything) with the keyed tokens of one person.
The hub cannot reverse a token (it lacks the federation key) and stores no dat-informatie: that is asked from
the house at the moment of a match."""

from __future__ import annotations

from django.db import models


class House(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    # The secret this house and the hub sign their messages with (protocol.py). Shown once at joining.
    secret = models.CharField(max_length=128)
    # Where the hub asks this house for dat-informatie after a match.
    answer_url = models.URLField(max_length=300)
    active = models.BooleanField(default=True)
    joined_at = models.DateTimeField()
    last_publish_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.code


class Entry(models.Model):
    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="entries")
    ref = models.CharField(max_length=32)
    bsn = models.CharField(max_length=32, blank=True, db_index=True)
    nd1 = models.CharField(max_length=32, blank=True, db_index=True)
    nd2 = models.CharField(max_length=32, blank=True, db_index=True)
    ndi1 = models.CharField(max_length=32, blank=True, db_index=True)
    ndi2 = models.CharField(max_length=32, blank=True, db_index=True)
    block1 = models.CharField(max_length=32, blank=True, db_index=True)
    block2 = models.CharField(max_length=32, blank=True, db_index=True)
    block3 = models.CharField(max_length=32, blank=True, db_index=True)
    clk = models.BinaryField(blank=True, default=b"")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["house", "ref"], name="hub_entry_unique_ref")]

    def __str__(self) -> str:
        return f"{self.house_id}:{self.ref}"


class Nonce(models.Model):
    """Nonces seen in the last protocol.MAX_SKEW_SECONDS: a replayed request is refused."""

    key_id = models.CharField(max_length=40)
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key_id", "nonce"], name="hub_nonce_unique")]

    def __str__(self) -> str:
        return f"{self.key_id}:{self.nonce}"


class RateWindow(models.Model):
    house = models.ForeignKey(House, on_delete=models.CASCADE)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["house", "window"], name="hub_rate_window_unique")]

    def __str__(self) -> str:
        return f"{self.house_id}@{self.window:%H:%M} {self.count}"


class HubEvent(models.TextChoices):
    CHECK = "check"
    ANSWER = "answer"
    PUBLISH = "publish"
    DENIED = "denied"
    RATE_LIMITED = "rate_limited"


class AuditRecord(models.Model):
    """The hub's own trail: which house asked, which houses were asked and answered. Codes and counts only."""

    at = models.DateTimeField(db_index=True)
    house_code = models.CharField(max_length=40, blank=True)
    event = models.CharField(max_length=20, choices=HubEvent.choices)
    request_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.house_code} {self.event}"
