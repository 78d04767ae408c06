"""The house's side of the federation: the publication outbox and the nonces the hub used.

The outbox is the row-per-person state of what the hub should hold (STYLE.md, "the row is the queue"): the
publication job compares what should be published now with these rows, marks the differences `pending`, and
sends pending rows in batches; a row turns `published`/`withdrawn` only after the hub acknowledged it, so a
run that meets an outage simply leaves rows pending for the next run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tafel.core.choices import TextChoices


class PublicationState(TextChoices):
    PENDING = "pending", _("te versturen")
    PUBLISHED = "published", _("gepubliceerd")
    WITHDRAW = "withdraw", _("in te trekken")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class Publication(models.Model):
    # A plain id, not a foreign key: the withdrawal must still be sent after retention destroyed the person.
    person_id = models.BigIntegerField(unique=True)
    # The opaque reference the hub knows this person by: random, never derived from the person.
    ref = models.CharField(max_length=32, unique=True)
    # Digest of the tokens last sent (or to be sent); a change in name, birth date or BSN makes it differ.
    digest = models.CharField(max_length=64)
    # Fingerprint of the person's source fields (names, birth date, encrypted BSN) and the federation key when
    # the tokens were last made: an unchanged fingerprint means unchanged tokens, so the periodic run skips the
    # token work for every person nobody edited (blank for rows made before this field existed).
    source = models.CharField(max_length=40, blank=True, default="")
    state = models.CharField(max_length=10, choices=PublicationState.choices, db_index=True)
    changed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("federatiepublicatie")
        verbose_name_plural = _("federatiepublicaties")

    def __str__(self) -> str:
        return f"{self.ref} ({self.state})"


class HubNonce(models.Model):
    """Nonces of the hub's signed questions seen recently: a replayed question is refused."""

    nonce = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.nonce
