"""After the meeting (SPEC §5, issue 5): follow-up, escalation, interventions, closing, the Veilig Thuis route
and the in-app notifications that drive them. Phase changes reuse `meetings.PhaseChange`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tafel.cases.models import SuppliedContent
from tafel.core.dates import nl_date
from tafel.core.notifications import NotificationKind

# --- notifications and reminders -------------------------------------------------------------------------


class Notification(models.Model):
    """An in-app message; the `tick` command sends what is not yet e-mailed as one digest per user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField("soort", max_length=20, choices=NotificationKind.choices)
    text = models.CharField("bericht", max_length=500)
    url = models.CharField("link", max_length=300, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["emailed_at", "user"])]

    def __str__(self) -> str:
        return self.text[:60]


class SentReminder(models.Model):
    """A reminder that fired. The unique constraint on (kind, object, due moment) makes `tick` idempotent:
    running it twice, or two runs at once, sends every reminder exactly once."""

    kind = models.CharField(max_length=40)
    object_key = models.CharField(max_length=60)
    due = models.DateTimeField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_key", "due"], name="unique_sent_reminder"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} {self.due:%Y-%m-%d}"


# --- follow-up (SPEC §5.1) ------------------------------------------------------------------------------


class CaseRappel(models.Model):
    """A rappel (follow-up) date of a case: on that date the case comes back on the agenda."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="rappels")
    due_on = models.DateField("rappeldatum", db_index=True)
    note = models.CharField("waarom", max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Rappel {self.case_id} {nl_date(self.due_on)}"


class BodemeisBreach(SuppliedContent):
    """Anyone in the case reports that a bodemeis was broken; the guard and the procesregisseur are told."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="bodemeis_breaches")
    bodemeis = models.ForeignKey("meetings.Bodemeis", on_delete=models.PROTECT, related_name="breaches")
    description = models.TextField("wat is er gebeurd")
    occurred_on = models.DateField("wanneer", null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class ProgressUpdate(SuppliedContent):
    """The casusregisseur's progress update (problem, goal, plan) to the procesregisseur (001:L3409-3471)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="progress_updates")
    problem = models.TextField("probleem: hoe staat het ervoor")
    goal = models.TextField("doel: wat is bereikt", blank=True)
    plan = models.TextField("plan: wat gebeurt er nu", blank=True)
    waiting_for_information = models.BooleanField("wacht op informatie", default=False)
    waiting_note = models.CharField("op welke informatie", max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"])]


# --- escalation (SPEC §5.2, 001:L3475-3533) --------------------------------------------------------------


class EscalationStep(models.IntegerChoices):
    REPORTED = 1, _("1. Gemeld bij de procesregisseur")
    ARGUMENTS = 2, _("2. Gesprekken en schriftelijke argumenten")
    PROPOSAL = 3, _("3. Voorstel procesregisseur, partijen besluiten samen")
    TAKEOVER = 4, _("4. Het huis neemt tijdelijk de volledige casusregie")
    # The length of the clocks of steps 5 and 6 is a setting (TAFEL_ESCALATION_CLOCK_DAYS, 10 in the source):
    # the labels do not repeat it, `step_actor` says it.
    DIRECTORS = 5, _("5. Directeuren beslissen binnen de termijn")
    BESTUUR = 6, _("6. Openbaar bestuur: een tweede termijn")


def step_actor(step: int) -> str:
    """Who acts at each step (001:L3475-3533), shown on the escalation page."""
    from .conf import escalation_clock_days

    days = escalation_clock_days()
    return {
        1: "Elke professional in de casus meldt; de procesregisseur neemt het op.",
        2: "De procesregisseur spreekt de kandidaten; zij leveren schriftelijke argumenten.",
        3: "De procesregisseur doet een voorstel; partijen besluiten gezamenlijk (periode, deeltaken in/uit).",
        4: "Het Zorg- en Veiligheidshuis neemt tijdelijk de volledige casusregie.",
        5: f"De directeuren van de kandidaat-organisaties beslissen binnen {days} dagen; het openbaar bestuur wordt "
        "tegelijk geïnformeerd.",
        6: f"Het openbaar bestuur brengt partijen binnen nog eens {days} dagen tot een besluit; Tafel zet de "
        "escalatie zelf door zodra de termijn van de directeuren verstreken is.",
    }[int(step)]


# Step 4: what the candidates must do while the house holds casusregie (001:L3475-3533).
TAKEOVER_OBLIGATIONS = (
    "Vragen van het Zorg- en Veiligheidshuis direct beantwoorden.",
    "Alle voortgang in kopie aan het Zorg- en Veiligheidshuis sturen.",
    "De eigen professional op verzoek vrijmaken voor een overleg.",
)

# Reminders fire this many days before a clock of steps 5 and 6 runs out, and again at expiry.
ESCALATION_REMINDER_DAYS_BEFORE = 2


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Loopt"
    RESOLVED = "resolved", "Besloten"
    WITHDRAWN = "withdrawn", "Ingetrokken"


class Escalation(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="escalations")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_by_org = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(db_index=True)
    reason = models.TextField("reden (we zitten vast)")
    candidates = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+", verbose_name="kandidaat-organisaties"
    )
    step = models.PositiveSmallIntegerField(choices=EscalationStep.choices, default=EscalationStep.REPORTED)
    status = models.CharField(max_length=10, choices=EscalationStatus.choices, default=EscalationStatus.OPEN)
    # Step 3: the proposal, with period and which sub-tasks are in and out.
    proposal = models.TextField("voorstel", blank=True)
    proposal_until = models.DateField("periode casusregie tot", null=True, blank=True)
    subtasks_in = models.TextField("deeltaken binnen de casusregie", blank=True)
    subtasks_out = models.TextField("deeltaken buiten de casusregie", blank=True)
    # Step 4: the house holds full casusregie from this moment until the escalation ends.
    takeover_at = models.DateTimeField(null=True, blank=True)
    # Step 5 and 6 clocks.
    directors_informed_at = models.DateTimeField(null=True, blank=True)
    directors_deadline = models.DateTimeField(null=True, blank=True)
    bestuur_informed_at = models.DateTimeField(null=True, blank=True)
    bestuur_deadline = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField("besluit", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Escalatie {self.pk} ({self.case_id})"

    @property
    def is_open(self) -> bool:
        return self.status == EscalationStatus.OPEN

    @property
    def house_holds_casusregie(self) -> bool:
        return self.is_open and self.takeover_at is not None

    @property
    def clock_deadline(self):
        if not self.is_open:
            return None
        if self.step == EscalationStep.BESTUUR:
            return self.bestuur_deadline
        if self.step == EscalationStep.DIRECTORS:
            return self.directors_deadline
        return None


class EscalationLog(models.Model):
    """Every step of an escalation: who moved it, when, with what note."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="log")
    step = models.PositiveSmallIntegerField(choices=EscalationStep.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.escalation_id}: stap {self.step}"


class EscalationArgument(SuppliedContent):
    """Step 2: a candidate's written argument."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="arguments")
    text = models.TextField("argument")

    class Meta:
        ordering = ["created_at", "id"]


# --- interventions (SPEC §2) ------------------------------------------------------------------------------


class Track(models.TextChoices):
    CARE = "care", "Zorg"
    CIVIL = "civil", "Civiel"
    CRIMINAL = "criminal", "Strafrecht"


class InterventionType(models.Model):
    """The configurable catalogue of measures (beheerder maintains it in the admin)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField("naam", max_length=100)
    track = models.CharField("spoor", max_length=10, choices=Track.choices)
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CaseIntervention(SuppliedContent):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="interventions")
    type = models.ForeignKey(InterventionType, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField("start")
    ended_on = models.DateField("einde", null=True, blank=True)
    result = models.TextField("resultaat", blank=True)
    note = models.TextField("toelichting", blank=True)

    class Meta:
        ordering = ["started_on", "id"]


# --- closing (SPEC §5.3) ---------------------------------------------------------------------------------


class ClosureKind(models.TextChoices):
    AFSCHALING = "afschaling", "Afschaling naar lokaal (warme overdracht)"
    RIEC = "riec", "Opschaling naar het RIEC"
    AFSLUITING = "afsluiting", "Afsluiting"


# The closure criteria (SPEC §5.3, 000:L2322, L3460): at least one of the first three must hold.
CLOSURE_CRITERIA = {
    "care_started": "Iedereen die zorg nodig heeft, is daadwerkelijk gestart (intake bijgewoond).",
    "justice_started": "Er is een justitieel traject gestart.",
    "family_refuses": "Het gezin weigert hulp (vastgelegd).",
}


class GoalReached(models.TextChoices):
    """Whether the joint goal of the plan van aanpak was reached, judged at afsluiting and afschaling
    ("doorbraak": 3 of 4 cases in 001:L456). Not asked at opschaling to the RIEC."""

    BEREIKT = "bereikt", "Bereikt"
    DEELS = "deels", "Deels bereikt"
    NIET = "niet", "Niet bereikt"


CLOSURE_CHECKLIST = {
    "partners_informed": "Alle partners zijn op de hoogte van de afsluiting.",
    "family_informed": "Het gezin is geïnformeerd.",
}


class Closure(models.Model):
    """How a case left the ZVH-aanpak. Reopening adds a new status change; this record stays (history)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="closures")
    kind = models.CharField(max_length=20, choices=ClosureKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField("reden")
    criteria = models.JSONField("afsluitcriteria", default=dict, blank=True)
    afsluitingsplan = models.TextField("afsluitingsplan: wat doen we als het opnieuw misgaat", blank=True)
    # Afschaling: the warm handover (004:L734).
    handover_to = models.CharField("overgedragen aan", max_length=200, blank=True)
    handover_on = models.DateField("datum warme overdracht", null=True, blank=True)
    family_present = models.BooleanField("gezin aanwezig", null=True, blank=True)
    family_absent_reason = models.TextField("waarom het gezin er niet bij was", blank=True)
    follow_up_until = models.DateField("volgen op afstand tot", null=True, blank=True)
    # Asked at afsluiting and afschaling; empty (NULL) for opschaling to the RIEC and for closures recorded
    # before the question existed (the monitor counts those as "onbekend").
    goal_reached = models.CharField(
        "gezamenlijk doel bereikt", max_length=10, choices=GoalReached.choices, null=True, blank=True
    )
    # Closed or stepped down although a bodemeis was recently broken or actions were open: the explicit reason
    # the procesregisseur gave (issue 12, item 4).
    guard_override_reason = models.TextField("reden ondanks waarschuwingen", blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case_id})"


class ProposalStatus(models.TextChoices):
    OPEN = "open", "Voorgesteld"
    ACCEPTED = "accepted", "Overgenomen"
    REJECTED = "rejected", "Afgewezen"


class ClosureProposal(models.Model):
    """A partner may not silently close a complex case (001:L2522): it proposes, the house decides."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="closure_proposals")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField("waarom afsluiten")
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Voorstel afsluiting ({self.case_id})"


# --- Veilig Thuis route (SPEC §3.1 item 4, §3.3; 004:L1172-1291) -----------------------------------------


class VtOrigin(models.TextChoices):
    POLITIE = "politie", "Politie (HG-melding / zorgmelding jeugd)"
    PROFESSIONAL = "professional", "Professional na de Meldcode"
    BURGER = "burger", "Burger / omstander"


class RiskLevel(models.TextChoices):
    LAAG = "laag", "Laag"
    MIDDEN = "midden", "Midden"
    HOOG = "hoog", "Hoog"


class VtRoute(models.TextChoices):
    OVERDRACHT = "overdracht", "Overdracht aan het lokale veld"
    OVERDRACHT_VT = "overdracht_vt", "Overdracht aan het lokale veld met steun van Veilig Thuis"
    ONDERZOEK = "onderzoek", "Onderzoek door Veilig Thuis"
    CRISIS = "crisis", "Crisisinterventie"


HANDOVER_ROUTES = frozenset({VtRoute.OVERDRACHT, VtRoute.OVERDRACHT_VT})


class VtDecision(models.Model):
    """Veilig Thuis triage: safety-risk level and route. High risk: never a waiting list, always a named
    responsible worker (004:L1261-1291)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="vt_decisions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    risk_level = models.CharField("veiligheidsrisico", max_length=10, choices=RiskLevel.choices)
    route = models.CharField("route", max_length=20, choices=VtRoute.choices)
    responsible_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="verantwoordelijk medewerker",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    waiting_list = models.BooleanField("op de wachtlijst", default=False)
    reason = models.TextField("onderbouwing")
    handover_to = models.CharField("overgedragen aan", max_length=200, blank=True)
    # Issue 11: a handover goes to an organisation, which then takes part in the case; the warm handover
    # (004:L734) is recorded with its date and who was present.
    handover_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="overgedragen aan organisatie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handover_on = models.DateField("datum warme overdracht", null=True, blank=True)
    handover_present = models.TextField("aanwezig bij de warme overdracht", blank=True)
    feedback_police = models.TextField("terugkoppeling aan de politie", blank=True)
    feedback_reporter = models.TextField("terugkoppeling aan de melder", blank=True)
    monitor_on = models.DateField("monitoren op", null=True, blank=True)
    # Monitoring after handover repeats (TAFEL_VT_MONITOR_INTERVAL_DAYS) until Veilig Thuis closes it.
    monitoring_closed_at = models.DateTimeField("monitoring afgesloten", null=True, blank=True)
    monitoring_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    monitoring_close_reason = models.TextField("waarom de monitoring stopt", blank=True)
    escalated_to_zvh_at = models.DateTimeField(null=True, blank=True)
    # Why Veilig Thuis brought the case to the house: kept here, not in the audit log (issue 10 finding 8).
    escalated_to_zvh_reason = models.TextField("reden opschaling naar het huis", blank=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"VT-besluit {self.case_id}: {self.risk_level}, {self.route}"


class EnrichmentRequest(models.Model):
    """Verrijking: "is this household known to you?" — a request for dat-informatie only (SPEC §3.2)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="enrichment_requests")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    question = models.CharField(max_length=300, default="Is dit huishouden bij u bekend?")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="unique_enrichment_request"),
        ]

    def __str__(self) -> str:
        return f"Verzoek {self.pk} aan {self.organisation_id}"


class EnrichmentAnswer(SuppliedContent):
    request = models.OneToOneField(EnrichmentRequest, on_delete=models.CASCADE, related_name="answer")
    known = models.BooleanField("bekend")
    contact = models.CharField("contactpersoon", max_length=200, blank=True)
    note = models.CharField("toelichting (dat-informatie, geen inhoud)", max_length=500, blank=True)


class ChecklistTick(models.Model):
    """A checklist item of the procesregisseur or the casusregisseur ticked by hand (issue 12, item 6b; the
    deeltaken of 001:L3409-3471). Items Tafel can see for itself are never stored: they are computed from the
    case (tafel.lifecycle.checklist). Unticking deletes the row; both are in the audit log."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="checklist_ticks")
    item = models.CharField("checklistpunt", max_length=40)
    note = models.CharField("toelichting", max_length=500, blank=True)
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ticked_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "item"]
        constraints = [models.UniqueConstraint(fields=["case", "item"], name="unique_checklist_tick")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.item}"
