"""The append-only audit log (STYLE.md, Audit)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices


class AuditEventType(IntegerChoices):
    # 1xx: cases
    CASE_VIEW = 100, _("casus bekeken")
    CASE_CREATE = 101, _("casus aangemaakt")
    CASE_UPDATE = 102, _("casus gewijzigd")
    CASE_TRANSITION = 103, _("status gewijzigd")
    CASE_LIST = 104, _("casuslijst bekeken")
    CASE_PARTICIPANT_ADD = 105, _("organisatie toegevoegd aan casus")
    CASE_NOTE_ADD = 106, _("notitie toegevoegd")
    # 2xx: intake and triage
    AANMELDING_CREATE = 200, _("aanmelding ingediend")
    AANMELDING_VIEW = 201, _("aanmelding bekeken")
    AANMELDING_JOINED = 202, _("aanmelding gekoppeld aan lopende casus")
    AANMELDING_INFO_ADDED = 203, _("aanvullende informatie gegeven")
    TRIAGE_DECIDE = 210, _("triagebesluit")
    TRIAGE_VIEW = 211, _("triage bekeken")
    # 3xx: persons
    PERSON_VIEW = 300, _("persoon bekeken")
    PERSON_CREATE = 301, _("persoon aangemaakt")
    PERSON_MATCH = 302, _("persoon gezocht (screening)")
    PERSON_KNOWN_SIGNAL = 303, _("dat-informatie getoond")
    # 4xx: meetings (overleg, gespreksleidraad, plan, verslag)
    MEETING_PLAN = 400, _("overleg gepland")
    MEETING_VIEW = 401, _("overleg bekeken")
    MEETING_UPDATE = 402, _("overleg gewijzigd")
    AGENDA_ADD = 403, _("casus geagendeerd")
    AGENDA_DEFER = 404, _("casus doorgeschoven")
    INVITATION_ADD = 405, _("deelnemer uitgenodigd")
    INVITATION_SEND = 406, _("uitnodigingen verstuurd")
    CLIENT_INVITE = 407, _("cliënt uitgenodigd (ja, tenzij)")
    ATTENDANCE_RECORD = 408, _("aanwezigheid vastgelegd")
    PRIVACY_REMINDER = 409, _("privacy-opening vastgelegd")
    PRE_MEETING_UPDATE = 410, _("voorbereidende update ingediend")
    DISCUSSION_VIEW = 411, _("gespreksleidraad bekeken")
    DISCUSSION_UPDATE = 412, _("gespreksverslag bijgewerkt")
    SCALE_SCORE_ADD = 413, _("schaalvraag vastgelegd")
    PHASE_CHANGE = 414, _("fase gewijzigd")
    SAFETY_MARKER_SET = 415, _("veiligheidsmarkering gezet")
    INVITATION_REMOVE = 416, _("uitnodiging ingetrokken")
    PLAN_VIEW = 420, _("plan van aanpak bekeken")
    PLAN_UPDATE = 421, _("concept-plan gewijzigd")
    PLAN_PUBLISH = 422, _("plan van aanpak gepubliceerd")
    ACTION_UPDATE = 423, _("actie bijgewerkt")
    PLAN_FAMILY_VIEW = 424, _("gezinsversie plan bekeken")
    VERSLAG_GENERATE = 430, _("verslag opgesteld")
    VERSLAG_EDIT = 431, _("verslag bewerkt")
    VERSLAG_APPROVE = 432, _("verslag vastgesteld")
    VERSLAG_VIEW = 433, _("verslag bekeken")
    VERSLAG_PDF = 434, _("verslag gedownload (PDF)")
    # 5xx: after the meeting (lifecycle: follow-up, escalation, interventions, closing, Veilig Thuis)
    RAPPEL_SET = 500, _("rappeldatum gezet")
    BREACH_REPORT = 501, _("bodemeis niet nagekomen gemeld")
    PROGRESS_UPDATE = 502, _("voortgang casusregisseur gemeld")
    FOLLOW_UP_AGENDA = 503, _("vervolgcasus automatisch geagendeerd")
    ESCALATION_START = 510, _("escalatie gestart")
    ESCALATION_STEP = 511, _("escalatie: volgende stap")
    ESCALATION_ARGUMENT = 512, _("escalatie: argument ingediend")
    ESCALATION_RESOLVE = 513, _("escalatie: besluit")
    INTERVENTION_ADD = 520, _("interventie vastgelegd")
    INTERVENTION_UPDATE = 521, _("interventie bijgewerkt")
    CLOSURE_RECORD = 530, _("casus afgesloten / afgeschaald / opgeschaald")
    CLOSURE_PROPOSE = 531, _("afsluiting voorgesteld")
    CLOSURE_PROPOSAL_DECIDE = 532, _("afsluitvoorstel beoordeeld")
    CASE_REENTRY = 533, _("casus heropend vanuit volgen op afstand")
    FOLLOW_UP_END = 534, _("volgen op afstand beëindigd")
    VT_DECISION = 540, _("Veilig Thuis-triagebesluit")
    ENRICHMENT_REQUEST = 541, _("dat-informatie gevraagd")
    ENRICHMENT_ANSWER = 542, _("dat-informatie gegeven")
    VT_ESCALATE = 543, _("Veilig Thuis: opgeschaald naar het ZVH")
    TIMELINE_VIEW = 550, _("tijdlijn bekeken")
    TIMELINE_PDF = 551, _("tijdlijn gedownload (PDF)")
    EVENT_FEED_READ = 552, _("gebeurtenissenfeed gelezen")
    # 56x: learning (casusevaluatie, SPEC §5.5)
    EVALUATION_VIEW = 560, _("casusevaluatie bekeken")
    EVALUATION_CREATE = 561, _("casusevaluatie gestart")
    EVALUATION_UPDATE = 562, _("casusevaluatie gewijzigd")
    EVALUATION_FINALISE = 563, _("casusevaluatie afgerond")
    EVALUATION_REOPEN = 564, _("casusevaluatie heropend")
    EVALUATION_PDF = 565, _("casusevaluatie gedownload (PDF)")
    REVIEW_INTERVIEW_ADD = 566, _("casusreview-interview vastgelegd")
    IMPROVEMENT_ACTION_UPDATE = 567, _("verbeteractie bijgewerkt")
    IMPROVEMENT_ACTION_LIST = 568, _("verbeteracties bekeken")
    # 6xx: privacy (issue 4: reglement, consent, shares, AVG rights, retention)
    REGLEMENT_UPDATE = 600, _("privacyreglement gewijzigd")
    CONSENT_RECORD = 601, _("toestemming vastgelegd")
    CONSENT_WITHDRAW = 602, _("toestemming ingetrokken")
    ITEM_SHARE = 603, _("informatie gedeeld (met grondslag)")
    ITEM_RESTRICT = 604, _("informatie afgeschermd")
    ATTACHMENT_ADD = 605, _("bijlage toegevoegd")
    ATTACHMENT_VIEW = 606, _("bijlage bekeken")
    PERSON_EXPORT = 610, _("inzage: gegevens van persoon geëxporteerd")
    PERSON_RECTIFY = 611, _("persoonsgegevens gecorrigeerd")
    PERSON_RESTRICT = 612, _("verwerking beperkt")
    PERSON_UNRESTRICT = 613, _("beperking verwerking opgeheven")
    RETENTION_REPORT = 620, _("bewaartermijnrapport opgesteld")
    RETENTION_DESTROY = 621, _("casus vernietigd (bewaartermijn)")
    AUDIT_EXPORT = 630, _("auditlog geëxporteerd")
    # 9xx: access and administration
    ACCESS_DENIED = 900, _("toegang geweigerd")
    LOGIN = 901, _("ingelogd")
    AUDIT_VIEW = 902, _("auditlog bekeken")
    TOKEN_CREATE = 903, _("API-token aangemaakt")
    TOKEN_REVOKE = 904, _("API-token ingetrokken")
    OTP_ENROL = 905, _("tweede factor ingesteld")


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
    """One read or write of personal data. Case and person are plain ids, not foreign keys, so the
    record outlives the data it speaks of (retention destroys cases; the audit trail must remain)."""

    at = models.DateTimeField(_("tijd"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("gebruiker"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event_type = models.PositiveSmallIntegerField(_("gebeurtenis"), choices=AuditEventType.choices, db_index=True)
    case_id = models.BigIntegerField(_("casus"), null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(_("persoon"), null=True, blank=True, db_index=True)
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    channel = models.CharField(_("kanaal"), max_length=10, default="web")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditlog")
        indexes = [models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_event_type_display()}"

    def save(self, *args, **kwargs):
        # Append-only: an existing row is never rewritten.
        if self.pk is not None:
            raise AppendOnly("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit events are append-only: delete is not allowed.")
