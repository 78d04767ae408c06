"""Cases, their persons and organisations, meldingen (aanmeldingen), triage and status history.

SPEC §2 (entities), §3 (intake, screening, triage).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tafel.core.choices import ChoiceLabels, TextChoices


class Theme(TextChoices):
    HUISELIJK_GEWELD = "huiselijk_geweld", _("Huiselijk geweld / kindermishandeling")
    VEELPLEGER = "veelpleger", _("Veelpleger")
    JEUGD = "jeugd", _("Jeugd (high risk)")
    NAZORG = "nazorg", _("Nazorg ex-gedetineerden")
    OVERLAST = "overlast", _("Ernstige overlast")
    ZORGMIJDING = "zorgmijding", _("Zorgmijding")
    OVERIG = "overig", _("Overig")


class EntryRoute(TextChoices):
    TOPX = "topx", _("Top-X / PGA-lijst")
    VEILIG_THUIS = "veilig_thuis", _("Huiselijk geweld via Veilig Thuis")
    VELD = "veld", _("Veldaanmelding")
    POLITIE_VT = "politie_vt", _("Politiemelding aan Veilig Thuis")


class Urgency(TextChoices):
    NORMAAL = "normaal", _("Normaal")
    HOOG = "hoog", _("Hoog")
    ACUUT = "acuut", _("Acuut")


# The triage queue's urgency order: acuut first; a value outside these (none should exist) after them all.
TRIAGE_URGENCY_RANK = {"acuut": 0, "hoog": 1, "normaal": 2}


class CaseStatus(TextChoices):
    AANGEMELD = "aangemeld", _("Aangemeld, wacht op triage")
    VERRIJKEN = "verrijken", _("Verrijken (informatie ontbreekt)")
    ACTIEF = "actief", _("ZVH-aanpak loopt")
    LOKAAL = "lokaal", _("Lokaal opgepakt")
    RIEC = "riec", _("Doorgezet naar RIEC")
    NIET_GEACCEPTEERD = "niet_geaccepteerd", _("Niet geaccepteerd")
    VOLGEN = "volgen", _("Volgen op afstand")
    AFGESLOTEN = "afgesloten", _("Afgesloten")


# Statuses in which a case is "open": a new melding about one of its persons joins it (SPEC §3.2).
OPEN_STATUSES = frozenset({CaseStatus.AANGEMELD, CaseStatus.VERRIJKEN, CaseStatus.ACTIEF})
# Under follow-up (volgen op afstand): a new melding also joins and reopens it (SPEC §5.3).
FOLLOW_UP_STATUSES = frozenset({CaseStatus.VOLGEN})
# Statuses that count against a municipality's maximum caseload (routing reason g).
CASELOAD_STATUSES = frozenset({CaseStatus.ACTIEF})


class Phase(TextChoices):
    DIRECTE_VEILIGHEID = "directe_veiligheid", _("Directe veiligheid")
    RISICOGESTUURDE_ZORG = "risicogestuurde_zorg", _("Risicogestuurde zorg")
    HERSTELGERICHTE_ZORG = "herstelgerichte_zorg", _("Herstelgerichte zorg")


class PersonRole(TextChoices):
    PLEGER = "pleger", _("Pleger")
    VERDACHTE = "verdachte", _("Verdachte")
    SLACHTOFFER = "slachtoffer", _("Slachtoffer")
    KIND = "kind", _("Kind")
    OUDER = "ouder", _("Ouder")
    BETROKKENE = "betrokkene", _("Betrokkene")
    GETUIGE = "getuige", _("Getuige")


class InfoCategory(TextChoices):
    """Categories of case content; the privacy layer gives the stricter ones their own rules (SPEC §6)."""

    ALGEMEEN = "algemeen", _("Algemeen")
    MEDISCH = "medisch", _("Medisch / GGZ")
    POLITIE_ONDERZOEK = "politie_onderzoek", _("Politie/OM — lopend onderzoek")
    JUSTITIEEL = "justitieel", _("Justitiële gegevens")
    JEUGD = "jeugd", _("Jeugd")


class SuppliedContent(ChoiceLabels, models.Model):
    """Every piece of case content records who supplied it: the organisation is responsible for its own
    information (SPEC §6, "eigen informatie") and the sharing rules are built on this."""

    supplied_by_org = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("aangeleverd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("aangemaakt"), db_index=True)
    category = models.CharField(
        _("informatiecategorie"), max_length=20, choices=InfoCategory.choices, default=InfoCategory.ALGEMEEN
    )

    class Meta:
        abstract = True


class Case(ChoiceLabels, models.Model):
    reference = models.CharField(_("kenmerk"), max_length=20, unique=True)
    title = models.CharField(_("korte omschrijving"), max_length=200, blank=True)
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices)
    entry_route = models.CharField(_("instroomroute"), max_length=20, choices=EntryRoute.choices)
    municipality = models.ForeignKey(
        "organisations.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.AANGEMELD)
    phase = models.CharField(_("fase"), max_length=30, choices=Phase.choices, blank=True)
    urgency = models.CharField(_("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAAL)
    procesregisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("procesregisseur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_as_procesregisseur",
    )
    casusregisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("casusregisseur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_as_casusregisseur",
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation", through="CaseOrganisation", related_name="cases"
    )
    created_at = models.DateTimeField(_("aangemaakt"), db_index=True)
    status_changed_at = models.DateTimeField(_("status gewijzigd"))
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    # The predictive factors the case carries: those of the first melding, plus what the procesregisseur
    # accepted from joining meldingen (issue 11: a joining melding proposes, the house decides).
    predictive_factors = models.JSONField(_("voorspellende factoren"), default=list, blank=True)
    # Optimistic concurrency: every write bumps it; a write that names an older version is refused.
    version = models.PositiveIntegerField(default=1)
    # The earliest response deadline over the case's aanmeldingen (tafel/cases/deadlines.py), stored so that
    # the triage queue is an index range (issue 14). Written by aanmelding_create only.
    triage_deadline = models.DateField(null=True, blank=True, editable=False)
    # The number of partner organisations in the case (the house not counted), stored for the monitor's network
    # figures (tafel/cases/partners.py: the rule and its writers). Written by the services that add or remove a
    # participation only.
    partner_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # The triage queue's first sort key, kept by the database itself from the urgency and the deadline: twice
    # the urgency's rank (acuut, hoog, normaal, anything else) plus one when there is no deadline. Within one
    # value the deadlines are all present or all absent, so (triage_rank, triage_deadline, created_at, id) is
    # the queue's order with "no deadline last" and can come from one index, on SQLite as on PostgreSQL.
    triage_rank = models.GeneratedField(
        expression=models.Case(
            *(models.When(urgency=urgency, then=models.Value(2 * r)) for urgency, r in TRIAGE_URGENCY_RANK.items()),
            default=models.Value(2 * len(TRIAGE_URGENCY_RANK)),
        )
        + models.Case(models.When(triage_deadline__isnull=True, then=models.Value(1)), default=models.Value(0)),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        indexes = [
            # Per municipality in a status (the triage's caseload check); with the moment of the last status
            # change, the monitor's caseload of the current quarter is counted from this index alone, grouped in
            # its order (issue 14).
            models.Index(fields=["status", "municipality", "status_changed_at"], name="case_status_municipality"),
            # The werkvoorraad's "my cases" (one index per role, OR-ed): the user's cases in the open statuses,
            # counted from the index alone and ordered with only those rows read (issue 14).
            models.Index(
                fields=["procesregisseur", "status", "status_changed_at", "id"], name="case_procesregisseur_status"
            ),
            models.Index(
                fields=["casusregisseur", "status", "status_changed_at", "id"], name="case_casusregisseur_status"
            ),
            # The werkvoorraad's "waiting for information" (status verrijken), oldest change first.
            models.Index(fields=["status", "status_changed_at", "id"], name="case_status_changed"),
            # The triage queue (status aangemeld) in its order: a page and its COUNT read this index only.
            models.Index(
                fields=["status", "triage_rank", "triage_deadline", "created_at", "id"], name="case_triage_queue"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_under_follow_up(self) -> bool:
        return self.status in FOLLOW_UP_STATUSES


class ParticipationKind(TextChoices):
    """How an organisation takes part in a case (issue 10, finding 4). A partner works on the case and reads
    its content under the item rules. A reporter only submitted a melding (a school, a GP, a housing
    corporation outside the convenant): it sees its own melding and the feedback it is owed, never what others
    add. The procesregisseur turns a reporter into a partner, with a reason."""

    PARTNER = "partner", _("partner")
    REPORTER = "melder", _("alleen melder")


class CaseOrganisation(ChoiceLabels, models.Model):
    """An organisation participating in a case: the basis of need-to-know (SPEC §6)."""

    Kind = ParticipationKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="participations"
    )
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reden"), max_length=300, blank=True)
    kind = models.CharField(
        _("soort deelname"), max_length=10, choices=ParticipationKind.choices, default=ParticipationKind.PARTNER
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "organisation"], name="unique_case_organisation")]
        indexes = [models.Index(fields=["organisation", "case"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.case_id}"


class CasePerson(ChoiceLabels, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_persons")
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("rol in de casus"), max_length=20, choices=PersonRole.choices)
    added_at = models.DateTimeField()
    # When the role last changed (a joining melding or the procesregisseur); the history is in CaseChange.
    role_changed_at = models.DateTimeField(_("rol gewijzigd"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="unique_case_person")]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.role}) in {self.case_id}"


class CaseStatusChange(ChoiceLabels, models.Model):
    """The history of a case's status: who, when, why (SPEC §2; the one transition function writes it)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(_("reden"))

    class Meta:
        ordering = ["at", "id"]
        # The monitor reads the history by period (closures, exits, entries in a quarter) and per case from a
        # moment on (the status a case had then): see tafel/reports/indicators/lifecycle.py. The period index
        # carries every column those reads need, so they are answered from the index alone (on PostgreSQL an
        # index-only scan: the rows of one quarter lie scattered over the table).
        indexes = [
            models.Index(fields=["at", "case", "to_status", "from_status", "id"], name="casestatuschange_at_cover"),
            models.Index(fields=["case", "at"], name="casestatuschange_case_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class AanmeldingStatus(TextChoices):
    INGEDIEND = "ingediend", _("Ingediend")
    GEKOPPELD = "gekoppeld", _("Toegevoegd aan lopende casus")
    INFO_GEVRAAGD = "info_gevraagd", _("Aanvullende informatie gevraagd")
    BESLOTEN = "besloten", _("Besluit genomen")


class Aanmelding(SuppliedContent):
    """A referral (SPEC §3.1, aanmeldformulier 001 Bijlage 6). Content input is kept apart from scoring."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="aanmeldingen")
    route = models.CharField(_("instroomroute"), max_length=20, choices=EntryRoute.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=AanmeldingStatus.choices, default=AanmeldingStatus.INGEDIEND
    )
    # Police melding to Veilig Thuis: where it came from (police, professional after the Meldcode, citizen).
    origin = models.CharField(_("herkomst"), max_length=100, blank=True)
    reason = models.TextField(_("reden van aanmelding"))
    summary = models.TextField(_("samenvattende analyse: wat speelt er en wat is nodig"))
    household = models.TextField(_("gezinssamenstelling / systeem"), blank=True)
    life_domains = models.JSONField(_("leefgebieden (beschrijvend)"), default=dict, blank=True)
    antecedents = models.TextField(_("antecedenten en recente politiemutaties"), blank=True)
    predictive_factors = models.JSONField(_("voorspellende factoren"), default=list, blank=True)
    predictive_notes = models.TextField(_("toelichting voorspellende factoren"), blank=True)
    help_tried = models.TextField(_("betrokken hulp en wat is geprobeerd"), blank=True)
    client_knows = models.BooleanField(_("cliënt weet van de aanmelding"), default=False)
    client_knows_reason = models.TextField(_("reden waarom cliënt het niet weet"), blank=True)
    urgency = models.CharField(_("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAAL)
    desired_response_days = models.PositiveSmallIntegerField(
        _("gewenste responstermijn (dagen)"), null=True, blank=True
    )
    # created_at's date in the house's zone plus desired_response_days (tafel/cases/deadlines.py); None
    # without a desired response time. Both never change, so it is written once, by aanmelding_create.
    response_deadline = models.DateField(null=True, blank=True, editable=False)
    # What the house asked for when criterion e failed, and what the aanmelder answered.
    info_requested = models.TextField(_("gevraagde aanvullende informatie"), blank=True)
    info_supplied = models.TextField(_("aangeleverde aanvullende informatie"), blank=True)
    # The decision communicated back to the aanmelder (always: 000:L5166).
    decision_text = models.TextField(_("besluit en reden"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "created_at"]),
            # The monitor's lead time from aanmelding to triage joins a quarter's triage decisions to their
            # aanmelding for its moment only: from this index, without reading the wide rows.
            models.Index(fields=["id", "created_at"], name="aanmelding_id_created"),
            # The monitor's aanmeldingen of a period by route, and whether each came while its case was in the
            # aanpak, read from this index without the wide rows (issue 14, the current quarter's dashboard).
            models.Index(fields=["created_at", "route", "case"], name="aanmelding_created_route_case"),
            # A case's aanmeldingen in a window (re-entry within 12 months), from the index alone.
            models.Index(fields=["case", "created_at"], name="aanmelding_case_created"),
        ]

    def __str__(self) -> str:
        return f"Aanmelding {self.pk} ({self.get_route_display()})"


class AanmeldingPerson(ChoiceLabels, models.Model):
    """A person as referred: their role and their own view and wishes (per person, 001 Bijlage 6)."""

    aanmelding = models.ForeignKey(Aanmelding, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="aanmelding_links")
    role = models.CharField(_("rol"), max_length=20, choices=PersonRole.choices)
    own_view = models.TextField(_("eigen visie en wensen"), blank=True)
    # Whether the user linked an existing person (and with which match score) or created a new one.
    match_score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.role}) in aanmelding {self.aanmelding_id}"


class CaseNote(SuppliedContent):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("notitie"))

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Notitie {self.pk} bij {self.case_id}"


class TriageMode(TextChoices):
    DESK = "desk", _("Bureaubesluit procesregisseur")
    TEAM = "team", _("Triageteam (weegoverleg)")


class TriageOutcome(TextChoices):
    ZVH_COM = "zvh_com", _("ZVH-aanpak: Casus-op-Maat")
    ZVH_MDA = "zvh_mda", _("ZVH-aanpak: MDA++")
    LOKAAL = "lokaal", _("Lokaal oppakken")
    RIEC = "riec", _("Doorzetten naar RIEC")
    NIET_GEACCEPTEERD = "niet_geaccepteerd", _("Niet geaccepteerd / terug naar aanmelder")
    VERRIJKEN = "verrijken", _("Eerst verrijken (informatie ontbreekt)")


ZVH_OUTCOMES = frozenset({TriageOutcome.ZVH_COM, TriageOutcome.ZVH_MDA})


class LokaalReason(TextChoices):
    """Routing to local handling, reasons a–g (001:L4524-4593)."""

    A = "a", _("a. niet (zeer) complex")
    B = "b", _("b. regie binnen één keten volstaat")
    C = "c", _("c. problematiek moet eerst in kaart worden gebracht")
    D = "d", _("d. gemeente en zorg kunnen het oplossen")
    E = "e", _("e. gemeente en politie kunnen het oplossen")
    F = "f", _("f. geen urgentie")
    G = "g", _("g. maximale caseload van de gemeente is bereikt")


class Criterion(TextChoices):
    """Triage criteria (001 Bijlage 5, L4490-4520)."""

    A = "a", _("a. Complexiteit (multiproblematiek)")
    B = "b", _("b. Lokaal voldoende geprobeerd")
    C = "c", _("c. Urgentie")
    D = "d", _("d. Verbinding zorg – strafrecht")
    E = "e", _("e. Voldoende essentiële informatie")


CRITERION_HELP = {
    "a": _(
        "Problemen op meerdere leefgebieden die (kunnen) leiden tot criminaliteit, overlast of verloedering, "
        "én een ketenoverstijgende aanpak (ten minste dwang en drang) is nodig, én de problemen hangen samen met "
        "het systeem — of een ernstig lokaal veiligheidsprobleem vraagt een ketenoverstijgende aanpak."
    ),
    "b": _("Reguliere interventies zijn herhaaldelijk mislukt, of dat is de uitdrukkelijke verwachting."),
    "c": _("Er is urgentie, eventueel blijkend uit een risicotaxatie."),
    "d": _("Een strafrechtpartner is nodig in een zorgcasus, of zorgpartners in een strafrechtcasus."),
    "e": _("Er is voldoende essentiële informatie om de casus te bespreken; anders eerst verrijken."),
}


class Triage(ChoiceLabels, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="triages")
    aanmelding = models.ForeignKey(Aanmelding, on_delete=models.SET_NULL, null=True, related_name="triages")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    mode = models.CharField(_("besluitvorm"), max_length=10, choices=TriageMode.choices, default=TriageMode.DESK)
    team_members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    team_others = models.CharField(_("overige deelnemers triageteam"), max_length=500, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=TriageOutcome.choices)
    lokaal_reason = models.CharField(_("reden lokaal"), max_length=1, choices=LokaalReason.choices, blank=True)
    # All of a–d must hold for a ZVH-aanpak; the team may accept an urgent case missing one, with a reason.
    override_reason = models.TextField(_("reden afwijking criteria"), blank=True)
    # Routing reason g: the caseload cap may only be passed with a recorded reason.
    caseload_override_reason = models.TextField(_("reden overschrijding caseload"), blank=True)
    missing_info = models.TextField(_("ontbrekende informatie"), blank=True)
    feedback = models.TextField(_("toelichting aan aanmelder"), blank=True)
    # How many of its criteria were argued (a non-empty argument), stored with the decision for the monitor's
    # triage quality (tafel/cases/argued.py: the rule and its writers).
    criteria_argued = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-decided_at", "-id"]
        # Triage indicators of the monitor select decisions by period.
        # A period's decisions by moment, with what the monitor's outcome and lead-time figures read of them, from
        # the index alone (issue 14, the current quarter's dashboard).
        indexes = [
            models.Index(
                fields=["decided_at", "outcome", "lokaal_reason", "aanmelding", "case"], name="triage_decided_cover"
            )
        ]

    def __str__(self) -> str:
        return f"Triage {self.pk} ({self.outcome}) van {self.case_id}"


class TriageCriterion(ChoiceLabels, models.Model):
    triage = models.ForeignKey(Triage, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.CharField(max_length=1, choices=Criterion.choices)
    met = models.BooleanField(_("voldoet"))
    argument = models.TextField(_("argument"))

    class Meta:
        ordering = ["criterion"]
        constraints = [models.UniqueConstraint(fields=["triage", "criterion"], name="unique_triage_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {'voldoet' if self.met else 'voldoet niet'}"


# --- the case's classification over time (issue 11) --------------------------------------------------------


class CaseChangeField(TextChoices):
    URGENCY = "urgency", _("Urgentie")
    THEME = "theme", _("Thema")
    ROLE = "role", _("Rol")
    PREDICTIVE_FACTORS = "predictive_factors", _("Voorspellende factoren")
    ORGANISATION = "organisation", _("Deelnemende organisatie")


class CaseChange(ChoiceLabels, models.Model):
    """One change of a case's classification: urgency, theme, a person's role, the predictive factors, a
    participating organisation. Written by a joining melding (then `aanmelding` is set) or by the
    procesregisseur (then `reason` says why). Values are choice codes, shown through their labels."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("wat"), max_length=20, choices=CaseChangeField.choices)
    person = models.ForeignKey(
        "persons.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="case_changes"
    )
    old_value = models.CharField(_("was"), max_length=300, blank=True)
    new_value = models.CharField(_("wordt"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(_("reden"), blank=True)
    aanmelding = models.ForeignKey(
        Aanmelding, on_delete=models.SET_NULL, null=True, blank=True, related_name="case_changes"
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="casechange_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.field} {self.old_value} → {self.new_value}"


class ProposalKind(TextChoices):
    THEME = "theme", _("Ander thema")
    PREDICTIVE_FACTORS = "predictive_factors", _("Voorspellende factoren")
    ORGANISATION = "organisation", _("Nieuwe deelnemende organisatie")


class CaseProposalStatus(TextChoices):
    OPEN = "open", _("Wacht op besluit")
    ACCEPTED = "accepted", _("Overgenomen")
    DECLINED = "declined", _("Afgewezen")


class CaseProposal(ChoiceLabels, models.Model):
    """What a joining melding says that the house must weigh before the case changes: another theme, new
    predictive factors, or its sending organisation as a participant. The procesregisseur accepts or
    declines, with a reason when declining."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proposals")
    aanmelding = models.ForeignKey(Aanmelding, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(_("soort"), max_length=20, choices=ProposalKind.choices)
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices, blank=True)
    predictive_factors = models.JSONField(_("voorspellende factoren"), default=list, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseProposalStatus.choices, default=CaseProposalStatus.OPEN
    )
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("toelichting besluit"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "status"], name="caseproposal_case_status")]

    def __str__(self) -> str:
        return f"Voorstel {self.pk} ({self.kind}) bij {self.case_id}"
