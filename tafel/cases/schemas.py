"""Input and output schemas of the aanmeldingen, cases and persons operations of /api/v1/.

Inputs mirror the service dataclasses (tafel.cases.services.AanmeldingInput, TriageInput, ...) and only check
shape: types, lengths and choices. The rules (required content, the BSN 11-proef, dates of birth, triage
criteria) stay in the services, so the pages and the API refuse the same things with the same messages.
Lengths follow the database columns, so nothing a client sends can fail at the database.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, field_validator

from tafel.api.schemas import Id, In, LongText, PageIn, Ref
from tafel.cases.models import (
    AanmeldingStatus,
    CaseStatus,
    Criterion,
    EntryRoute,
    LokaalReason,
    PersonRole,
    Theme,
    TriageMode,
    TriageOutcome,
    Urgency,
)
from tafel.persons.models import Gender

# --- persons ---------------------------------------------------------------------------------------------


class PersonMatchIn(In):
    first_names: str = Field("", max_length=200)
    prefix: str = Field("", max_length=20, description="Tussenvoegsel, bijvoorbeeld `van der`.")
    last_name: str = Field("", max_length=200)
    birth_last_name: str = Field("", max_length=200)
    date_of_birth: datetime.date | None = None
    bsn: str = Field("", max_length=20, description="BSN; spaties en punten worden genegeerd.")

    @field_validator("bsn", mode="after")
    @classmethod
    def _bsn_digits(cls, value: str) -> str:
        digits = value.strip().replace(" ", "").replace(".", "")
        if digits and (not digits.isdigit() or len(digits) not in (8, 9)):
            raise ValueError("Een BSN bestaat uit 9 cijfers.")
        return digits.zfill(9) if digits else ""


class KnownOut(Schema):
    """Dat-informatie: the person is in an open or followed case, and whom to contact."""

    status_label: str
    contact_name: str
    contact_organisation: str
    contact_email: str
    contact_phone: str
    case_id: int | None = Field(description="Alleen als u deze casus mag inzien.")
    case_reference: str = Field(description="Alleen als u deze casus mag inzien; anders leeg.")
    case_kind: str = Field("", description="Het soort casus (thema): dat-informatie.")


class CandidateOut(Schema):
    person_id: int
    name: str
    date_of_birth: datetime.date | None
    bsn_masked: str
    score: float
    level: str
    reasons: list[str]
    disclosed: bool = Field(
        True,
        description="`false`: u ziet de casus van deze persoon niet; naam en geboortedatum zijn dan wat u zelf "
        "invulde en `reasons` is leeg.",
    )
    known: list[KnownOut]


class FederatedMatchOut(Schema):
    """Dat-informatie from another house (issue 16): what kind of involvement, since when, whom to call."""

    tier: str = Field(description="`exact` (BSN of achternaam + geboortedatum gelijk) of `fuzzy` (naam lijkt).")
    kind: str = Field(description="`open` (lopende casus), `volgen` (volgen op afstand) of `gesloten`.")
    since: str = Field(description="Datum (ISO 8601) sinds wanneer.")
    contact_name: str
    contact_phone: str
    contact_organisation: str


class FederatedHouseOut(Schema):
    house: str = Field(description="Code van het huis bij de hub.")
    house_name: str
    status: str = Field(description="`ok` of `niet_bereikbaar` (het huis antwoordde niet op tijd).")
    matches: list[FederatedMatchOut]


class FederatedCheckOut(Schema):
    status: str = Field(
        description="`ok` (de hub antwoordde), `niet_bereikbaar` (de hub niet, op tijd) of `niet_gevraagd` "
        "(geen federatie, of te weinig gegevens: achternaam + geboortedatum of BSN is nodig)."
    )
    houses: list[FederatedHouseOut]


# --- aanmeldingen ----------------------------------------------------------------------------------------


class PersonIn(In):
    """A person in an aanmelding: either an existing person chosen at screening (`existing_person_id`,
    the other name fields are then ignored) or a new one."""

    role: PersonRole = PersonRole.BETROKKENE
    existing_person_id: Id | None = None
    first_names: str = Field("", max_length=200)
    prefix: str = Field("", max_length=20)
    last_name: str = Field("", max_length=200)
    birth_last_name: str = Field("", max_length=200)
    date_of_birth: datetime.date | None = None
    gender: Gender = Gender.ANDERS
    bsn: str = Field("", max_length=20, description="Wordt gecontroleerd met de elfproef.")
    address: str = Field("", max_length=300)
    own_view: LongText = Field("", description="Eigen visie en wensen van deze persoon.")
    match_score: float | None = Field(None, ge=0, le=100, allow_inf_nan=False)


class AanmeldingIn(In):
    route: EntryRoute
    theme: Theme
    municipality_id: Id
    title: str = Field("", max_length=200)
    origin: str = Field("", max_length=100, description="Herkomst van een politiemelding aan Veilig Thuis.")
    reason: LongText = Field(description="Reden van aanmelding.")
    summary: LongText = Field(description="Samenvattende analyse: wat speelt er en wat is nodig.")
    household: LongText = ""
    life_domains: dict[Annotated[str, Field(max_length=40)], LongText] = Field(
        default_factory=dict,
        max_length=20,
        description="Leefgebied → beschrijving. Leefgebieden: werk, dagbesteding, financien, huisvesting, "
        "opvoeden, netwerk, criminaliteit, ggz, lvb, gezondheid, onderwijs, verslaving, relaties, "
        "intergenerationeel.",
    )
    antecedents: LongText = ""
    predictive_factors: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list,
        max_length=20,
        description="Voorspellende factoren: lvb, middelen, psychiatrie, stalking, scheiding, wapens.",
    )
    predictive_notes: LongText = ""
    help_tried: LongText = ""
    client_knows: bool = False
    client_knows_reason: LongText = ""
    urgency: Urgency = Urgency.NORMAAL
    desired_response_days: int | None = Field(None, ge=0, le=365)
    persons: list[PersonIn] = Field(max_length=50)


class InformatieIn(In):
    text: LongText = Field(description="De gevraagde aanvullende informatie.")


class AanmeldingListIn(PageIn):
    status: AanmeldingStatus | None = None


class AanmeldingOut(Schema):
    id: int
    case_id: int | None = Field(description="Alleen als u de casus mag inzien.")
    case_reference: str = Field(description="Alleen als u de casus mag inzien; anders leeg.")
    joined_existing: bool = Field(description="De aanmelding is toegevoegd aan een lopende casus.")
    status: AanmeldingStatus
    status_label: str
    route: EntryRoute
    urgency: Urgency
    supplied_by_organisation: str
    created_by: str
    created_at: datetime.datetime
    info_requested: str
    decision_text: str
    decided_at: datetime.datetime | None


class AanmeldingPersonOut(Schema):
    person_id: int
    name: str
    date_of_birth: datetime.date | None
    role: PersonRole
    own_view: str
    match_score: float | None


class AanmeldingDetailOut(AanmeldingOut):
    origin: str
    reason: str
    summary: str
    household: str
    life_domains: dict[str, str]
    antecedents: str
    predictive_factors: list[str]
    predictive_notes: str
    help_tried: str
    client_knows: bool
    client_knows_reason: str
    desired_response_days: int | None
    info_supplied: str
    persons: list[AanmeldingPersonOut]


class AanmeldingListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AanmeldingOut]


# --- cases -----------------------------------------------------------------------------------------------


class CaseListIn(PageIn):
    status: CaseStatus | None = None
    municipality_id: Id | None = Field(None, alias="municipalityId", description="Id van de gemeente.")
    theme: Theme | None = None
    route: EntryRoute | None = None
    mine: bool = Field(False, description="Alleen casussen waarvan u proces- of casusregisseur bent.")
    q: str = Field("", max_length=100, description="Zoek in kenmerk en korte omschrijving.")
    person: str = Field(
        "", max_length=100, description="Naam van een persoon in de casus (tolerant voor schrijfwijze)."
    )
    bsn: str = Field(
        "",
        pattern=r"^(\d{8,9})?$",
        description="BSN van een persoon in de casus; alleen voor medewerkers van het huis (anders 403).",
    )


class CaseSummaryOut(Schema):
    id: int
    reference: str
    title: str
    theme: Theme
    theme_label: str
    entry_route: EntryRoute
    status: CaseStatus
    status_label: str
    phase: str
    urgency: Urgency
    municipality: Ref
    procesregisseur: Ref | None
    created_at: datetime.datetime
    status_changed_at: datetime.datetime
    closed_at: datetime.datetime | None
    version: int = Field(description="Meesturen als `expected_version` bij een wijziging.")


class CaseListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[CaseSummaryOut]


class CasePersonOut(Schema):
    person_id: int
    role: PersonRole
    role_label: str
    name: str
    first_names: str
    prefix: str
    last_name: str
    date_of_birth: datetime.date | None
    gender: Gender
    bsn_masked: str
    added_at: datetime.datetime
    role_changed_at: datetime.datetime | None = Field(None, description="Wanneer de rol voor het laatst wijzigde.")


class CaseOrganisationOut(Schema):
    organisation_id: int
    name: str
    type: str
    added_at: datetime.datetime
    reason: str
    kind: Literal["partner", "melder"] = Field(
        description="`partner` leest de inhoud van de casus; `melder` ziet alleen de eigen melding en terugkoppeling."
    )


class MakePartnerIn(Schema):
    reason: str = Field(min_length=1, max_length=300, description="Waarom deze organisatie partner wordt.")


class StatusChangeOut(Schema):
    from_status: str
    to_status: CaseStatus
    to_status_label: str
    at: datetime.datetime
    actor: str
    actor_organisation: str
    reason: str


class CaseAanmeldingOut(Schema):
    id: int
    route: EntryRoute
    status: AanmeldingStatus
    status_label: str
    urgency: Urgency
    supplied_by_organisation: str
    created_by: str
    created_at: datetime.datetime
    reason: str
    summary: str
    persons: list[AanmeldingPersonOut]


class CriterionOut(Schema):
    criterion: Criterion
    label: str
    met: bool
    argument: str


class TriageOut(Schema):
    id: int
    case_id: int
    outcome: TriageOutcome
    outcome_label: str
    mode: TriageMode
    lokaal_reason: str
    decided_at: datetime.datetime
    decided_by: str
    team_members: list[str]
    team_others: str
    override_reason: str
    caseload_override_reason: str
    missing_info: str
    feedback: str
    criteria: list[CriterionOut]


class CaseDetailOut(CaseSummaryOut):
    casusregisseur: Ref | None
    persons: list[CasePersonOut]
    organisations: list[CaseOrganisationOut]
    status_history: list[StatusChangeOut]
    aanmeldingen: list[CaseAanmeldingOut]
    triages: list[TriageOut]


class CriterionIn(In):
    criterion: Criterion
    met: bool | None = Field(description="Voldoet de casus aan dit criterium? Verplicht voor a–e.")
    argument: LongText = ""


class TriageIn(In):
    criteria: list[CriterionIn] = Field(max_length=10, description="Criteria a–e, elk met een argument.")
    outcome: TriageOutcome
    mode: TriageMode = TriageMode.DESK
    team_member_ids: list[Id] = Field(default_factory=list, max_length=50)
    team_others: str = Field("", max_length=500)
    lokaal_reason: LokaalReason | None = Field(None, description="Verplicht bij uitkomst `lokaal` (a–g).")
    override_reason: LongText = ""
    caseload_override_reason: LongText = ""
    missing_info: LongText = ""
    feedback: LongText = ""
    procesregisseur_id: Id | None = None
    expected_version: int | None = Field(
        None, ge=1, le=2**31 - 1, description="De `version` van de casus zoals u die las; aanbevolen."
    )


class TriageCreatedOut(TriageOut):
    case: CaseSummaryOut


class TransitionIn(In):
    to_status: CaseStatus
    reason: LongText = Field(description="Waarom de status verandert (komt in de statusgeschiedenis).")
    expected_version: int = Field(ge=1, le=2**31 - 1, description="De `version` van de casus zoals u die las.")
