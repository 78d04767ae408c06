"""The append-only audit log (STYLE.md, Audit)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEventType(models.IntegerChoices):
    # 1xx: cases
    CASE_VIEW = 100, "casus bekeken"
    CASE_CREATE = 101, "casus aangemaakt"
    CASE_UPDATE = 102, "casus gewijzigd"
    CASE_TRANSITION = 103, "status gewijzigd"
    CASE_LIST = 104, "casuslijst bekeken"
    CASE_PARTICIPANT_ADD = 105, "organisatie toegevoegd aan casus"
    CASE_NOTE_ADD = 106, "notitie toegevoegd"
    # 2xx: intake and triage
    AANMELDING_CREATE = 200, "aanmelding ingediend"
    AANMELDING_VIEW = 201, "aanmelding bekeken"
    AANMELDING_JOINED = 202, "aanmelding gekoppeld aan lopende casus"
    AANMELDING_INFO_ADDED = 203, "aanvullende informatie gegeven"
    TRIAGE_DECIDE = 210, "triagebesluit"
    TRIAGE_VIEW = 211, "triage bekeken"
    # 3xx: persons
    PERSON_VIEW = 300, "persoon bekeken"
    PERSON_CREATE = 301, "persoon aangemaakt"
    PERSON_MATCH = 302, "persoon gezocht (screening)"
    PERSON_KNOWN_SIGNAL = 303, "dat-informatie getoond"
    # 9xx: access and administration
    ACCESS_DENIED = 900, "toegang geweigerd"
    LOGIN = 901, "ingelogd"
    AUDIT_VIEW = 902, "auditlog bekeken"


class AuditEvent(models.Model):
    """One read or write of personal data. Case and person are plain ids, not foreign keys, so the
    record outlives the data it speaks of (retention destroys cases; the audit trail must remain)."""

    at = models.DateTimeField("tijd", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField("gebruiker", max_length=200, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event_type = models.PositiveSmallIntegerField("gebeurtenis", choices=AuditEventType.choices, db_index=True)
    case_id = models.BigIntegerField("casus", null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField("persoon", null=True, blank=True, db_index=True)
    reason = models.CharField("reden", max_length=500, blank=True)
    details = models.JSONField("details", default=dict, blank=True)
    channel = models.CharField("kanaal", max_length=10, default="web")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "auditgebeurtenis"
        verbose_name_plural = "auditlog"
        indexes = [models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_event_type_display()}"

    def save(self, *args, **kwargs):
        # Append-only: an existing row is never rewritten.
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)
