"""The append-only audit log (STYLE.md, Audit).

The event types are the apps' own (`<app>/audit_events.py`), registered with `tafel.core.registry`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tafel.core.choices import TextChoices
from tafel.core.registry import audit_event_choices, audit_event_purpose, audit_event_type


class AuditOutcome(TextChoices):
    """NEN 7513: the outcome of the attempted action."""

    ALLOWED = "allowed", _("toegestaan")
    DENIED = "denied", _("geweigerd")


class AuditPurpose(TextChoices):
    """NEN 7513 / BIO 8.15: the purpose of use ("doel van het gebruik") the event served. Each event type has
    its default (`default_purpose`); a caller that knows better passes its own (the monitor reads cases for
    accountability, not for case work)."""

    CASUSREGIE = "casusregie", _("uitvoering van de ZVH-aanpak (casusregie, overleg, plan, opvolging)")
    EVALUATIE = "evaluatie", _("casusevaluatie en leren")
    VERANTWOORDING = "verantwoording", _("verantwoording en monitor")
    ONDERZOEK = "onderzoek", _("wetenschappelijk onderzoek (gepseudonimiseerd)")
    RECHTEN = "rechten", _("rechten van betrokkenen (AVG)")
    TOEZICHT = "toezicht", _("toezicht op de verwerking (FG, auditlog)")
    BEWAARTERMIJN = "bewaartermijn", _("bewaartermijn en vernietiging")
    BEVEILIGING = "beveiliging", _("beveiliging en toegangsbeheer")
    BEHEER = "beheer", _("functioneel beheer")


def default_purpose(event: int) -> str:
    """The purpose an event type serves unless its caller says otherwise: the one its app registered with the
    type (`tafel.core.registry.register_audit_event_types`: learning for the casusevaluatie, security for
    logins, tokens, second factors and denials, ...), case work for all others."""
    return audit_event_purpose(event) or AuditPurpose.CASUSREGIE


class AppendOnly(RuntimeError):
    """Raised on any attempt to rewrite or remove audit rows (STYLE.md, Audit: the table is append-only)."""


class AuditEventQuerySet(models.QuerySet):
    """Bulk writes on the audit log are refused like `save()` on an existing row: a QuerySet `update()`,
    `bulk_update()` or `delete()` would rewrite or remove the evidence of who read what (SPEC §6).

    Django's own deletion collector reaches this table only through `_base_manager` (a plain manager), so
    deleting a user or organisation still sets `actor`/`organisation` to NULL as the foreign keys declare;
    `actor_label` keeps the name for the record."""

    def update(self, **kwargs):
        raise AppendOnly("Audit events are append-only: bulk update is not allowed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnly("Audit events are append-only: bulk update is not allowed.")

    def delete(self):
        raise AppendOnly("Audit events are append-only: delete is not allowed.")

    delete.queryset_only = True


class AuditEvent(models.Model):
    """One read or write of personal data, with what NEN 7513 and BIO 8.15 ask of a log line: who (user, role,
    organisation), what (event type, case and person ids), when, the outcome (allowed/denied), the purpose of
    use, where from (client address, channel) and the request it belonged to (W3C trace id).

    Case and person are plain ids, not foreign keys, so the record outlives the data it speaks of (retention
    destroys cases; the audit trail must remain). Actor and organisation are references without a database
    constraint for the same reason: deleting a user leaves the id (and `actor_label` the name) in place, so the
    row — and the hash chain over it — stays as written. `reason` is a code and `details` holds ids and codes
    only, never text a person typed (issue 10 finding 8: the text stays in the domain record, which retention
    destroys). Each row carries its place in the hash chain (`seq`, `prev_hash`, `hash`; see
    tafel/core/auditchain.py and `manage.py audit_verify`)."""

    at = models.DateTimeField(_("tijd"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("gebruiker"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    event_type = models.PositiveSmallIntegerField(_("gebeurtenis"), choices=audit_event_choices, db_index=True)
    case_id = models.BigIntegerField(_("casus"), null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(_("persoon"), null=True, blank=True, db_index=True)
    reason = models.CharField(_("reden (code)"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    channel = models.CharField(_("kanaal"), max_length=10, default="web")
    outcome = models.CharField(_("uitkomst"), max_length=10, choices=AuditOutcome.choices, default="allowed")
    roles = models.CharField(_("rol(len)"), max_length=200, blank=True)
    purpose = models.CharField(_("doel van gebruik"), max_length=20, choices=AuditPurpose.choices, blank=True)
    origin = models.CharField(_("herkomst (adres)"), max_length=45, blank=True)
    request_id = models.CharField(_("verzoek-id"), max_length=32, blank=True, db_index=True)
    seq = models.BigIntegerField(_("volgnummer"), null=True, blank=True, db_index=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditlog")
        indexes = [
            models.Index(fields=["actor", "at"]),
            # The rows still to seal, in their order (tafel.core.auditchain.seal_pending, after every write's
            # commit). Without it PostgreSQL walked the month partition's primary key past every sealed row:
            # 29 ms per write at 75,000 rows in the month, growing with the month (issue 14).
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="auditevent_unsealed"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_event_type_display()}"

    def save(self, *args, **kwargs):
        # Append-only: an existing row is never rewritten.
        if self.pk is not None:
            raise AppendOnly("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit events are append-only: delete is not allowed.")

    def get_event_type_display(self) -> str | int:
        """The type's label: one look-up in the registry. Django's own method rebuilds the callable choices on
        every call (about 0.8 ms each), which the FG's page pays per row and a NEN 7513 export per event. As
        Django's, it answers the number itself for a type no app registers. Not `ChoiceLabels`: its dict, kept
        on the field at the first call, would not see a type registered after that call."""
        member = audit_event_type(self.event_type)
        return str(member.label) if member is not None else self.event_type


class AuditChainHead(models.Model):
    """The end of the audit hash chain: the last row's number and hash. Every writer locks this one row
    (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write lock does the same), so rows written in parallel
    still form one chain without forks. `audit_verify` compares the last row with it, so rows cut off the
    end are found too."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("einde auditketen")

    def __str__(self) -> str:
        return f"{self.seq}: {self.hash[:12]}"


class AuditArchive(models.Model):
    """A stretch of the audit log removed by its retention (a dropped month partition on PostgreSQL, deleted
    rows on SQLite): the chain's anchor for what remains, so `audit_verify` still proves the rest unbroken."""

    month = models.DateField(_("maand"), unique=True)
    first_seq = models.BigIntegerField(null=True)
    last_seq = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, blank=True)
    rows = models.BigIntegerField(default=0)
    removed_at = models.DateTimeField()

    class Meta:
        ordering = ["month"]
        verbose_name = _("verwijderde auditmaand")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} ({self.rows})"
