"""The append-only audit log (STYLE.md, Audit)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tafel.core.choices import IntegerChoices, TextChoices


class AuditEventType(IntegerChoices):
    # 1xx: cases
    CASE_VIEW = 100, _("casus bekeken")
    CASE_CREATE = 101, _("casus aangemaakt")
    CASE_UPDATE = 102, _("casus gewijzigd")
    CASE_TRANSITION = 103, _("status gewijzigd")
    CASE_LIST = 104, _("casuslijst bekeken")
    CASE_PARTICIPANT_ADD = 105, _("organisatie toegevoegd aan casus")
    CASE_NOTE_ADD = 106, _("notitie toegevoegd")
    # 17x: the case holds together across organisations (issue 11)
    CASE_CLASSIFY = 170, _("urgentie of thema gewijzigd")
    CASE_PERSON_ROLE = 171, _("rol van persoon gewijzigd")
    CASE_PROPOSAL_DECIDE = 172, _("voorstel bij casus beoordeeld")
    CASE_PARTICIPANT_REMOVE = 173, _("organisatie verwijderd uit casus")
    CASE_SEARCH = 174, _("casussen gezocht")
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
    POLICE_CHECK_REQUEST = 417, _("DIK-check politie gevraagd")
    POLICE_CHECK_ANSWER = 418, _("DIK-check politie beantwoord")
    MEETING_CLOSE = 419, _("overleg gesloten (gehouden)")
    # 47x: partners are told and answer (issue 11)
    INVITATION_RESPOND = 470, _("uitnodiging beantwoord")
    ACTION_CO_OWNER = 471, _("tweede eigenaar van actie gezet")
    PLAN_VIEW = 420, _("plan van aanpak bekeken")
    PLAN_UPDATE = 421, _("concept-plan gewijzigd")
    PLAN_PUBLISH = 422, _("plan van aanpak gepubliceerd")
    ACTION_UPDATE = 423, _("actie bijgewerkt")
    PLAN_FAMILY_VIEW = 424, _("gezinsversie plan bekeken")
    PLAN_FAMILY_REVIEW = 425, _("gezinsversie plan beoordeeld")
    PLAN_FAMILY_GIVEN = 426, _("gezinsversie plan aan het gezin gegeven")
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
    CHECKLIST_TICK = 535, _("checklistpunt afgevinkt")
    VT_DECISION = 540, _("Veilig Thuis-triagebesluit")
    ENRICHMENT_REQUEST = 541, _("dat-informatie gevraagd")
    ENRICHMENT_ANSWER = 542, _("dat-informatie gegeven")
    VT_ESCALATE = 543, _("Veilig Thuis: opgeschaald naar het ZVH")
    VT_MONITORING_CLOSE = 544, _("Veilig Thuis: monitoring na overdracht afgesloten")
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
    AUDIT_RETENTION = 631, _("oude auditmaanden verwijderd (bewaartermijn auditlog)")
    # 7xx: federation (issue 16): dat-informatie between houses through the hub
    FEDERATION_CHECK = 700, _("federatie: andere huizen bevraagd")
    FEDERATION_RESULT = 701, _("federatie: antwoord van andere huizen ontvangen")
    FEDERATION_ASKED = 702, _("federatie: bevraagd door ander huis")
    FEDERATION_ANSWERED = 703, _("federatie: dat-informatie gegeven aan ander huis")
    FEDERATION_PUBLISH = 704, _("federatie: tokens gepubliceerd of ingetrokken")
    # 9xx: access and administration
    ACCESS_DENIED = 900, _("toegang geweigerd")
    LOGIN = 901, _("ingelogd")
    AUDIT_VIEW = 902, _("auditlog bekeken")
    TOKEN_CREATE = 903, _("API-token aangemaakt")
    TOKEN_REVOKE = 904, _("API-token ingetrokken")
    OTP_ENROL = 905, _("tweede factor ingesteld")
    CONFIG_CHANGE = 906, _("instelling gewijzigd (beheer)")
    # 94x-96x: koppelingen (issue 15): OpenID Connect login, CORV, BRP, webhooks
    OIDC_LOGIN_REFUSED = 940, _("inloggen via identity provider geweigerd")
    OIDC_USER_PROVISION = 941, _("account aangemaakt of bijgewerkt via identity provider")
    CORV_IMPORT = 950, _("CORV-zorgmelding ingelezen")
    CORV_REFUSED = 951, _("CORV-bericht geweigerd")
    BRP_LOOKUP = 955, _("persoon opgevraagd in de BRP")
    WEBHOOK_SUBSCRIPTION_CHANGE = 960, _("webhook-abonnement gewijzigd")
    WEBHOOK_PAUSED = 961, _("webhook-abonnement gepauzeerd na mislukte afleveringen")


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


_PURPOSE_BY_EVENT = {
    AuditEventType.EVALUATION_VIEW: AuditPurpose.EVALUATIE,
    AuditEventType.REGLEMENT_UPDATE: AuditPurpose.BEHEER,
    AuditEventType.PERSON_EXPORT: AuditPurpose.RECHTEN,
    AuditEventType.PERSON_RECTIFY: AuditPurpose.RECHTEN,
    AuditEventType.PERSON_RESTRICT: AuditPurpose.RECHTEN,
    AuditEventType.PERSON_UNRESTRICT: AuditPurpose.RECHTEN,
    AuditEventType.RETENTION_REPORT: AuditPurpose.BEWAARTERMIJN,
    AuditEventType.RETENTION_DESTROY: AuditPurpose.BEWAARTERMIJN,
    AuditEventType.AUDIT_EXPORT: AuditPurpose.TOEZICHT,
    AuditEventType.AUDIT_RETENTION: AuditPurpose.BEWAARTERMIJN,
    AuditEventType.AUDIT_VIEW: AuditPurpose.TOEZICHT,
    # Koppelingen: a BRP lookup and a CORV melding serve the intake (case work); webhook set-up is beheer.
    AuditEventType.BRP_LOOKUP: AuditPurpose.CASUSREGIE,
    AuditEventType.CORV_IMPORT: AuditPurpose.CASUSREGIE,
    AuditEventType.WEBHOOK_SUBSCRIPTION_CHANGE: AuditPurpose.BEHEER,
}


def default_purpose(event: int) -> str:
    """The purpose an event type serves unless its caller says otherwise: case work for everything about a
    case (1xx-5xx, consent and sharing), learning for the casusevaluatie (56x), security for logins, tokens,
    second factors and denials (9xx)."""
    event = int(event)
    if event in _PURPOSE_BY_EVENT:
        return _PURPOSE_BY_EVENT[event]
    if 560 <= event < 570:
        return AuditPurpose.EVALUATIE
    if event >= 900:
        return AuditPurpose.BEVEILIGING
    return AuditPurpose.CASUSREGIE


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
    event_type = models.PositiveSmallIntegerField(_("gebeurtenis"), choices=AuditEventType.choices, db_index=True)
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
