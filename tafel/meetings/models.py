"""The case meeting (SPEC §4): overleg types, meetings, agenda, invitations, preparation, the conversation
guide's record (gespreksverslag), scale scores, the versioned plan van aanpak with bodemeisen and actions,
and the minutes (verslag).

Content models reuse `SuppliedContent`: every piece of case content records the organisation that supplied
it (SPEC §6, "eigen informatie").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tafel.cases.models import Phase, SuppliedContent
from tafel.core.dates import nl_datetime


class OverlegType(models.Model):
    """A configurable kind of meeting (SPEC §4.1). The beheerder edits these; a data migration ships seven."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("naam", max_length=100)
    purpose = models.TextField("doel", blank=True)
    # Organisation types (OrganisationType values) whose people are proposed by default.
    default_participant_types = models.JSONField("standaard deelnemende organisatiesoorten", default=list, blank=True)
    minutes_per_case = models.PositiveSmallIntegerField("minuten per casus", default=30)
    clients_invited_by_default = models.BooleanField("cliënten standaard uitgenodigd", default=False)
    # SPEC §4.5: when the OM takes part and clients come, the meeting has an OM part and a client part.
    split_om_part = models.BooleanField("OM-deel gescheiden van cliëntdeel", default=True)
    # 002:L3629: a table of eight forced the participants to make choices; a larger table gets a warning.
    max_at_table = models.PositiveSmallIntegerField("maximum aantal mensen aan tafel", default=8)
    # Virtueel overleg (000:L3847) is handled asynchronously: no opening, no table.
    asynchronous = models.BooleanField("asynchroon (virtueel)", default=False)
    invitation_text = models.TextField(
        "standaardtekst uitnodiging",
        blank=True,
        help_text="Beschikbaar: {naam}, {overleg}, {datum}, {tijd}, {plaats}, {videolink}, {agenda}, {voorzitter}.",
    )
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "overlegtype"
        verbose_name_plural = "overlegtypes"

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    """Planned → open (the chair opened it with the privacy reminder) → held (the chair closed it) → closed
    (the verslag is approved). Issue 12, item 5: opening does not make a meeting "gehouden"."""

    PLANNED = "planned", "Gepland"
    OPEN = "open", "Geopend"
    HELD = "held", "Gehouden"
    CLOSED = "closed", "Afgerond"


# Statuses in which the meeting has taken place or is taking place: discussions, attendance and a draft verslag.
STARTED_STATUSES = ("open", "held", "closed")


class Meeting(models.Model):
    overleg_type = models.ForeignKey(OverlegType, verbose_name="soort overleg", on_delete=models.PROTECT)
    starts_at = models.DateTimeField("datum en tijd", db_index=True)
    place = models.CharField("plaats", max_length=200, blank=True)
    video_link = models.URLField("videolink", blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="voorzitter", on_delete=models.PROTECT, related_name="meetings_chaired"
    )
    status = models.CharField("status", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    # The chair opens with a privacy reminder (001:L2971); it is part of the meeting record.
    privacy_reminder_given = models.BooleanField("privacy-opening gedaan", default=False)
    privacy_reminder_text = models.TextField("tekst privacy-opening", blank=True)
    privacy_reminder_at = models.DateTimeField(null=True, blank=True)
    # The chair closes the meeting explicitly; only then is it "gehouden" (issue 12, item 5).
    held_at = models.DateTimeField("gesloten op", null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gesloten door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    invitation_text = models.TextField("tekst uitnodiging", blank=True)
    invitations_sent_at = models.DateTimeField("uitnodigingen verstuurd", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("aangemaakt")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = "overleg"
        verbose_name_plural = "overleggen"

    def __str__(self) -> str:
        return f"{self.overleg_type.name} {nl_datetime(self.starts_at)}"


class AgendaKind(models.TextChoices):
    NEW = "new", "Nieuw"
    FOLLOW_UP = "follow_up", "Vervolg (rappel)"


class DeferReason(models.TextChoices):
    MISSING_INFO = "missing_info", "Informatie ontbreekt"
    MISSING_PERSON = "missing_person", "Een noodzakelijke persoon ontbreekt"
    OTHER = "other", "Anders"


class AgendaItem(models.Model):
    """One case on one meeting's agenda. New cases first, then follow-up (000:L3064, L3678)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    kind = models.CharField("soort", max_length=10, choices=AgendaKind.choices)
    deferred = models.BooleanField("doorgeschoven", default=False)
    defer_reason = models.CharField("reden doorschuiven", max_length=20, choices=DeferReason.choices, blank=True)
    defer_note = models.TextField("toelichting doorschuiven", blank=True)
    # Set by the planner when the OM and clients both come for this case: an OM part and a client part.
    split_session = models.BooleanField("gesplitste bespreking", default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="unique_meeting_case")]
        indexes = [models.Index(fields=["case", "meeting"])]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.case_id}"


class SafetyMarker(models.TextChoices):
    STALKING = "stalking", "Stalking"
    INTIMATE_TERRORISM = "intimate_terrorism", "Intiem terrorisme"


class CaseMeetingFlags(models.Model):
    """Meeting rules that hang on a case, kept on the meetings side (one row per case).

    SPEC §4.5: in stalking or intimate terrorism, perpetrator and victim are never in the same session. The
    marker protects persons, not roles (issue 11): it names the persons who must never share a session, and the
    planner keeps them apart whatever role the case gives them."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="meeting_flags")
    safety_marker = models.CharField("veiligheidsmarkering", max_length=20, choices=SafetyMarker.choices, blank=True)
    separated_persons = models.ManyToManyField(
        "persons.Person", blank=True, related_name="+", verbose_name="nooit samen in een sessie"
    )
    reason = models.TextField("reden", blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = "overlegmarkering casus"
        verbose_name_plural = "overlegmarkeringen casus"

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_safety_marker_display() or '-'}"


class SessionPart(models.TextChoices):
    """Which part of a case's discussion an invitee attends (SPEC §4.5)."""

    ALL = "all", "Hele bespreking"
    PROFESSIONALS = "professionals", "Deel zonder cliënten (met OM)"
    CLIENTS = "clients", "Cliëntdeel (zonder OM)"
    CLIENTS_SEPARATE = "clients_separate", "Apart cliëntdeel"


CLIENT_PARTS = (SessionPart.CLIENTS, SessionPart.CLIENTS_SEPARATE)


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", "Nog niet bekend"
    PRESENT = "present", "Aanwezig"
    ABSENT = "absent", "Afwezig"
    EXCUSED = "excused", "Afgemeld"


class InvitationResponse(models.TextChoices):
    """The invitee's own answer (issue 11): before the meeting, from "Mijn werk"."""

    PENDING = "pending", "Nog geen antwoord"
    ACCEPTED = "accepted", "Komt"
    DECLINED = "declined", "Komt niet"
    SUBSTITUTED = "substituted", "Stuurt een vervanger"


class AttendMode(models.TextChoices):
    IN_PERSON = "in_person", "Aan tafel"
    ONLINE = "online", "Online (met een professional erbij)"


class Invitation(models.Model):
    """A named person at the table (SPEC §4.2): a professional (user) or a client (person of the case).

    Professionals may be invited for the whole meeting (agenda_item empty) or for one case; clients always
    for one case. Clients are always invited unless there is a recorded reason ("ja, tenzij", SPEC §4.5)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_invitations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    substitute_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vervangt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    session_part = models.CharField(max_length=20, choices=SessionPart.choices, default=SessionPart.ALL)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN)
    # Client invitees.
    is_client = models.BooleanField("cliënt", default=False)
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    invited = models.BooleanField("uitgenodigd", default=True)
    not_invited_reason = models.TextField("reden om niet uit te nodigen (ja, tenzij)", blank=True)
    attend_mode = models.CharField("deelname", max_length=10, choices=AttendMode.choices, blank=True)
    accompanied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="professional naast de cliënt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    vertrouwenspersoon = models.CharField("vertrouwenspersoon", max_length=200, blank=True)
    # Preparation talk and debrief/feedback are tasks with a named owner (002:L4069-4133).
    preparation_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    preparation_done = models.BooleanField("voorbereidend gesprek gevoerd", default=False)
    client_wishes = models.TextField("wensen van de cliënt", blank=True)
    debrief_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    debrief_done = models.BooleanField("nagesprek / terugkoppeling gedaan", default=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField()
    email_sent_at = models.DateTimeField(null=True, blank=True)
    # The professional's answer (issue 11): accept, decline with a reason, or name a substitute.
    response = models.CharField(
        "antwoord", max_length=12, choices=InvitationResponse.choices, default=InvitationResponse.PENDING
    )
    response_reason = models.TextField("reden", blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "is_client", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="unique_meeting_user_invitation"
            ),
            models.UniqueConstraint(
                fields=["agenda_item", "person"],
                condition=Q(person__isnull=False),
                name="unique_item_client_invitation",
            ),
            models.CheckConstraint(
                condition=(Q(is_client=True, person__isnull=False, user__isnull=True, agenda_item__isnull=False))
                | (Q(is_client=False, user__isnull=False, person__isnull=True)),
                name="invitation_is_user_or_client",
            ),
        ]
        indexes = [models.Index(fields=["user", "meeting"])]

    def __str__(self) -> str:
        return str(self.person if self.is_client else self.user)


class PreMeetingUpdate(SuppliedContent):
    """A short update before the meeting (002:L4170): the regisseur sees them merged at beeldvorming."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="updates")
    current_situation = models.TextField("huidige situatie")
    worries = models.TextField("zorgen", blank=True)
    what_changed = models.TextField("wat is er veranderd", blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["agenda_item", "created_by"], name="unique_update_per_author")]


class OordeelChoice(models.TextChoices):
    STAY = "stay", "In deze fase blijven"
    MOVE_ON = "move_on", "Door naar de volgende fase"
    GO_BACK = "go_back", "Terug naar een eerdere fase"


class CaseDiscussion(SuppliedContent):
    """The gespreksverslag: the structured record of one case in one meeting (SPEC §4.3, 002:L4134-4495).

    The picture (beeldvorming) is carried forward from the previous discussion of the case and edited,
    never retyped (002:L3641-3945). List fields hold small JSON lists whose shape the services validate."""

    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="discussion")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="discussions")
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    phase = models.CharField("fase", max_length=30, choices=Phase.choices)
    parts = models.JSONField("gekozen onderdelen", default=list, blank=True)
    # Vooraf.
    family_picture = models.TextField("beeld van het gezin", blank=True)
    help_involved = models.TextField("betrokken hulpverlening", blank=True)
    # Beeldvorming.
    worries = models.TextField("zorgen: wie is bezorgd om wie en waarom", blank=True)
    incident_first = models.TextField("eerste incident", blank=True)
    incident_worst = models.TextField("ergste incident", blank=True)
    incident_latest = models.TextField("laatste incident", blank=True)
    earlier_violence = models.TextField("eerder huiselijk geweld", blank=True)
    greatest_danger = models.TextField("grootste gevaar, voor wie, gevolgen", blank=True)
    patterns = models.TextField("onderliggende patronen", blank=True)
    # [{"text", "stability": static|dynamic, "level": individual|systemic, "top": bool}]
    risks = models.JSONField("risicofactoren", default=list, blank=True)
    tried_before = models.TextField("wat is eerder ingezet", blank=True)
    strengths = models.TextField("krachten: wat zorgt voor veiligheid", blank=True)
    # [{"member", "support"}]
    support_per_member = models.JSONField("steunbronnen per gezinslid", default=list, blank=True)
    # ["…", "…", "…"]
    recovery_points = models.JSONField("top 3 herstelpunten", default=list, blank=True)
    social_network = models.TextField("sociaal netwerk", blank=True)
    future_view = models.TextField("hoe zien gezinsleden de toekomst", blank=True)
    unknowns = models.TextField("wat weten we nog niet", blank=True)
    right_people_at_table = models.BooleanField("de juiste mensen aan tafel", null=True, blank=True)
    right_people_note = models.TextField("wie ontbreekt", blank=True)
    # Oordeelsvorming.
    oordeel = models.CharField("keuze", max_length=10, choices=OordeelChoice.choices, blank=True)
    oordeel_note = models.TextField("toelichting oordeel", blank=True)
    family_view_needed = models.TextField("wat denkt het gezin dat nodig is", blank=True)
    safe_when = models.TextField("hoe weten we wanneer het veilig is", blank=True)
    # Besluitvorming: broad brainstorm, then a funnel.
    # [{"option", "by"}]
    brainstorm = models.JSONField("brainstorm", default=list, blank=True)
    # [{"option", "client_priority", "expert_view", "belastbaarheid", "term": short|long}]
    shortlist = models.JSONField("geprioriteerde shortlist", default=list, blank=True)
    keep_informed = models.TextField("hoe houden we elkaar op de hoogte", blank=True)
    timeline = models.TextField("tijdslijn", blank=True)
    afsluitingsplan = models.TextField("afsluitingsplan", blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Each part of the guide saves on its own with its own version ({part code: n}), so two people editing
    # different parts in one meeting never collide, and two editing the same part see a conflict (issue 12).
    part_versions = models.JSONField("versies per onderdeel", default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def part_version(self, code: str) -> int:
        return int(self.part_versions.get(code, 0))


class GuideDraft(models.Model):
    """What one person typed in one part of the guide and has not saved yet, kept while they type so that
    nothing is lost to a reload, a scale score or a closed tab (issue 12). Saving the part removes it; it
    belongs to the discussion record and goes with it."""

    discussion = models.ForeignKey(CaseDiscussion, on_delete=models.CASCADE, related_name="drafts")
    part = models.CharField("onderdeel", max_length=40)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The raw form values of the part ({field name: value}), shown again exactly as typed.
    data = models.JSONField(default=dict)
    # The part's version the author started from: a draft over an older version is a conflict to resolve.
    base_version = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["discussion", "part", "author"], name="unique_guide_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.discussion_id}/{self.part}: {self.author_id}"


class PhaseChange(models.Model):
    """A phase change decided in oordeelsvorming: part of the case timeline."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="phase_changes")
    discussion = models.ForeignKey(CaseDiscussion, on_delete=models.SET_NULL, null=True, related_name="+")
    from_phase = models.CharField(max_length=30, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=30, choices=Phase.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_phase} → {self.to_phase}"


class ScaleKind(models.TextChoices):
    IMMEDIATE_SAFETY = "immediate_safety", "Zorg over directe veiligheid"
    STABLE_SAFETY = "stable_safety", "Zorg over stabiele veiligheid"
    QUALITY_OF_LIFE = "quality_of_life", "Kwaliteit van leven"


# The scale question belongs to the phase (002:L4134-4495).
PHASE_SCALE = {
    Phase.DIRECTE_VEILIGHEID: ScaleKind.IMMEDIATE_SAFETY,
    Phase.RISICOGESTUURDE_ZORG: ScaleKind.STABLE_SAFETY,
    Phase.HERSTELGERICHTE_ZORG: ScaleKind.QUALITY_OF_LIFE,
}


class ScaleScore(SuppliedContent):
    """Scale question 1–10 per participant with rationale; the client's own score is kept apart."""

    discussion = models.ForeignKey(CaseDiscussion, on_delete=models.CASCADE, related_name="scale_scores")
    kind = models.CharField("schaalvraag", max_length=20, choices=ScaleKind.choices)
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_client = models.BooleanField("score van de cliënt", default=False)
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    score = models.PositiveSmallIntegerField("cijfer")
    rationale = models.TextField("onderbouwing")

    class Meta:
        ordering = ["is_client", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=10), name="scale_score_1_to_10"),
            models.CheckConstraint(
                condition=Q(is_client=True, person__isnull=False, participant__isnull=True)
                | Q(is_client=False, participant__isnull=False, person__isnull=True),
                name="scale_score_participant_or_client",
            ),
        ]


class Plan(SuppliedContent):
    """Plan van aanpak (SPEC §4.4): versioned per case. A row without `published_at` is the one draft;
    publishing fixes it and the next edit starts a new version, so history is kept."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="plans")
    number = models.PositiveIntegerField("versie")
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans")
    published_at = models.DateTimeField("gepubliceerd", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    goals = models.TextField("gezamenlijk doel / doelen", blank=True)
    # "One family, one plan, one regisseur" (002:L2023), appointed at the start with deeltaken (001:L2875).
    casusregisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="casusregisseur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    casusregie_subtasks = models.TextField("deeltaken casusregisseur", blank=True)
    casusregie_from = models.DateField("casusregie vanaf", null=True, blank=True)
    casusregie_until = models.DateField("casusregie tot", null=True, blank=True)
    casusregie_exclusions = models.TextField("wat valt buiten de casusregie", blank=True)
    # A fixed, easy-to-find place for the ZSM disposal advice (001:L3551).
    afdoeningsadvies = models.TextField("afdoeningsadvies (ZSM)", blank=True)
    next_meeting_date = models.DateField("volgend overleg / evaluatie", null=True, blank=True)
    # Plain-language words for the family view (the "praatplaat").
    family_worries = models.TextField("zorgen, in gewone woorden", blank=True)
    family_going_well = models.TextField("wat goed gaat, in gewone woorden", blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The convenant's quality check, computed once at publication by `plan_quality` (the one rule) and stored,
    # so the plan page, the API and the monitor give the same answer (issue 12, item 3). Empty for a draft.
    meets_quality = models.BooleanField("voldoet aan de kwaliteitscriteria", null=True, blank=True)
    quality_missing = models.PositiveSmallIntegerField("aantal ontbrekende criteria", default=0)
    # Publishing a plan that fails the check needs an explicit reason; the monitor counts these plans.
    quality_override_reason = models.TextField("reden om onvolledig te publiceren", blank=True)

    class Meta:
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="unique_plan_version"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(published_at__isnull=True), name="one_draft_plan_per_case"
            ),
        ]
        indexes = [models.Index(fields=["case", "published_at"])]

    def __str__(self) -> str:
        return f"Plan {self.case_id} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Audience(models.TextChoices):
    """Who a plan item is for (issue 10, finding 5). Only family-facing items reach the family's plain-language
    plan; an agreement between professionals ("share police records weekly") stays among them (SPEC §6)."""

    FAMILY = "family", "Voor het gezin"
    PROFESSIONALS = "professionals", "Alleen voor professionals"


class Bodemeis(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="bodemeisen")
    text = models.TextField("bodemeis")
    guard = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bewaker",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    if_broken = models.TextField("wat doen we als de bodemeis niet wordt nagekomen", blank=True)
    # Not told to the family unless marked so: need-to-know is the default.
    audience = models.CharField("voor wie", max_length=20, choices=Audience.choices, default=Audience.PROFESSIONALS)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name_plural = "bodemeisen"

    def __str__(self) -> str:
        return self.text[:60]


class ActionType(models.TextChoices):
    """The six kinds of agreement found in the dossier analysis (002 Table 3.2)."""

    INFO_PROFESSIONALS = "info_professionals", "Informatie-uitwisseling tussen professionals"
    PROFESSIONAL_ACTION = "professional_action", "Overige actie door professionals"
    TOWARDS_FAMILY = "towards_family", "Actie richting het gezin"
    INFO_FAMILY = "info_family", "Informatie-uitwisseling met het gezin"
    MEETING_FAMILY = "meeting_family", "Nieuw overleg met het gezin"
    MEETING_PROFESSIONALS = "meeting_professionals", "Nieuw overleg van professionals"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    GEDAAN = "gedaan", "Gedaan"
    NIET_GEDAAN = "niet_gedaan", "Niet gedaan"
    VERVALLEN = "vervallen", "Vervallen"


class Term(models.TextChoices):
    SHORT = "short", "Korte termijn"
    LONG = "long", "Lange termijn"


# The action types that are about the family; the rest are agreements between professionals. An action's
# audience defaults from its type when the editor does not choose one.
FAMILY_ACTION_TYPES = frozenset({ActionType.TOWARDS_FAMILY, ActionType.INFO_FAMILY, ActionType.MEETING_FAMILY})


def default_audience(action_type: str) -> str:
    return Audience.FAMILY if action_type in FAMILY_ACTION_TYPES else Audience.PROFESSIONALS


# An action that stood unchanged on the plans of this many meetings is flagged as recurring (002:L2034).
RECURRING_AFTER_MEETINGS = 2


class Action(models.Model):
    """An afspraak: who (person + organisation), what, when, type and why (SPEC §4.4)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="plan_actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="wie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_actions",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    what = models.TextField("wat")
    plain_text = models.TextField("in gewone woorden (voor het gezin)", blank=True)
    # A family member who does this themselves ("Papa", "Lisa"): the family's plan names them as the doer and
    # the professional owner as the one who helps (issue 12, item 6).
    family_member = models.CharField("wie uit het gezin", max_length=80, blank=True)
    deadline = models.DateField("wanneer", null=True, blank=True)
    type = models.CharField("soort", max_length=30, choices=ActionType.choices)
    audience = models.CharField("voor wie", max_length=20, choices=Audience.choices, default=Audience.PROFESSIONALS)
    rationale = models.TextField("waarom", blank=True)
    term = models.CharField("termijn", max_length=10, choices=Term.choices, default=Term.SHORT)
    status = models.CharField("status", max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    outcome_note = models.TextField("uitkomst", blank=True)
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # How many meetings' plans this agreement stood on unchanged (set at publish; drives the recurring flag).
    meeting_count = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the owner reported the action done (status `gedaan`); cleared when it goes back to another status.
    # The monitor compares its local date with the deadline ("afspraken op tijd uitgevoerd", SPEC §7).
    done_at = models.DateTimeField("afgerond op", null=True, blank=True)
    # Four eyes (issue 11): "police and Veilig Thuis visit together". With a second owner, the action is
    # `gedaan` only when both have confirmed it; each confirmation is kept.
    co_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="tweede eigenaar (vier ogen)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_owned_actions",
    )
    owner_confirmed_at = models.DateTimeField("gedaan bevestigd door eigenaar", null=True, blank=True)
    co_owner_confirmed_at = models.DateTimeField("gedaan bevestigd door tweede eigenaar", null=True, blank=True)

    class Meta:
        ordering = ["plan", "order", "id"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["case", "status"]),
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def is_recurring(self) -> bool:
        return self.status == ActionStatus.OPEN and self.meeting_count >= RECURRING_AFTER_MEETINGS

    @property
    def is_ownerless(self) -> bool:
        return self.owner_id is None


class FamilyPlanStatus(models.TextChoices):
    DRAFT = "draft", "Concept"
    REVIEWED = "reviewed", "Beoordeeld"
    GIVEN = "given", "Gegeven aan het gezin"


class FamilyPlan(models.Model):
    """The family's version of a published plan (SPEC §4.5, the "praatplaat"), reviewed by the procesregisseur
    before the family gets it (issue 12, item 6). The sentences Tafel wrote from the structured plan, or the
    procesregisseur's correction of them, are fixed at review: the family view shows only this reviewed text."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="family_plan")
    status = models.CharField(max_length=10, choices=FamilyPlanStatus.choices, default=FamilyPlanStatus.DRAFT)
    # The "who does what" sentences as reviewed, one per line.
    sentences = models.JSONField("zinnen", default=list, blank=True)
    # Whether the procesregisseur changed Tafel's sentences (the changed text is `sentences`).
    overridden = models.BooleanField("tekst aangepast", default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("beoordeeld op", null=True, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    given_at = models.DateTimeField("gegeven op", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Gezinsversie {self.plan_id} ({self.status})"

    @property
    def is_reviewed(self) -> bool:
        return self.status in (FamilyPlanStatus.REVIEWED, FamilyPlanStatus.GIVEN)


class Verslag(models.Model):
    """One report per meeting for the whole family system (002:L1192), generated from the structured data.

    Sections are per case so that each reader gets only the cases they may see."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="verslag")
    snapshot = models.JSONField("gegevens van het overleg", default=dict)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Verslag overleg {self.meeting_id}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class VerslagSection(models.Model):
    """The part of the verslag about one case. The narrative is editable for wording; the agreements are
    always rendered from the snapshot, so the verslag holds exactly the agreements recorded."""

    verslag = models.ForeignKey(Verslag, on_delete=models.CASCADE, related_name="sections")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(default=dict)
    generated_text = models.TextField("gegenereerde tekst", blank=True)
    edited_text = models.TextField("bewerkte tekst", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["verslag", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["verslag", "case"], name="unique_verslag_case")]

    def __str__(self) -> str:
        return f"Verslag {self.verslag_id}: casus {self.case_id}"

    @property
    def text(self) -> str:
        return self.edited_text or self.generated_text


class PoliceCheck(models.Model):
    """The police check before the meeting (SPEC §4.2, "DIK-check"): when a case is put on an agenda, the
    police organisation taking part in it gets one task per person of the case. The answer is dat-informatie
    (known / not known) and attention points for the table (a dog in the house, a weapon permit, avoid a
    visit alone) — never the police file. Seen by the police organisation and by whoever plans the meeting."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="police_checks")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="police_checks")
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    known = models.BooleanField("bekend bij de politie", null=True, blank=True)
    attention_points = models.CharField("aandachtspunten (geen dossierinhoud)", max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agenda_item", "person_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "person", "organisation"], name="unique_police_check")
        ]
        indexes = [models.Index(fields=["organisation", "answered_at"])]

    def __str__(self) -> str:
        return f"DIK-check {self.person_id} ({self.agenda_item_id})"

    @property
    def done(self) -> bool:
        return self.answered_at is not None
