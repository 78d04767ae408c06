"""Every write on cases: intake, joining, triage and the one status-transition function."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, override

from tafel.access.policy import active_users, may_submit_aanmelding, may_triage
from tafel.cases.access import PERSON_NOT_FOUND, persons_get_for_user
from tafel.cases.argued import criteria_argued
from tafel.cases.audit_events import CaseEvent
from tafel.cases.deadlines import earlier, response_deadline
from tafel.cases.partners import partner_count_refresh
from tafel.core.audit import audit
from tafel.core.dates import nl_datetime
from tafel.core.errors import CaseloadFull, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from tafel.organisations.models import Municipality, Organisation
from tafel.persons.audit_events import PersonEvent
from tafel.persons.models import Person
from tafel.persons.services import PersonData, build_person, person_validate

from .models import (
    CASELOAD_STATUSES,
    FOLLOW_UP_STATUSES,
    OPEN_STATUSES,
    ZVH_OUTCOMES,
    Aanmelding,
    AanmeldingPerson,
    AanmeldingStatus,
    Case,
    CaseNote,
    CaseOrganisation,
    CasePerson,
    CaseStatus,
    CaseStatusChange,
    Criterion,
    EntryRoute,
    InfoCategory,
    LokaalReason,
    ParticipationKind,
    PersonRole,
    Phase,
    Theme,
    Triage,
    TriageCriterion,
    TriageMode,
    TriageOutcome,
    Urgency,
)
from .participants import participation_get
from .selectors import house_procesregisseurs


def _nl_label(choice) -> str:
    """A choice's label in the house's record language (settings.LANGUAGE_CODE, Dutch), whatever language
    the page is shown in: status history, decisions sent to the aanmelder and the domain messages stay Dutch."""
    with override(settings.LANGUAGE_CODE):
        return str(choice.label)


# The explicit table of allowed status transitions (SPEC §3.3, §5.3). Anything else is refused.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.AANGEMELD: frozenset(
        {CaseStatus.VERRIJKEN, CaseStatus.ACTIEF, CaseStatus.LOKAAL, CaseStatus.RIEC, CaseStatus.NIET_GEACCEPTEERD}
    ),
    CaseStatus.VERRIJKEN: frozenset(
        {CaseStatus.AANGEMELD, CaseStatus.ACTIEF, CaseStatus.LOKAAL, CaseStatus.RIEC, CaseStatus.NIET_GEACCEPTEERD}
    ),
    CaseStatus.ACTIEF: frozenset({CaseStatus.VOLGEN, CaseStatus.AFGESLOTEN, CaseStatus.LOKAAL, CaseStatus.RIEC}),
    CaseStatus.VOLGEN: frozenset({CaseStatus.ACTIEF, CaseStatus.AFGESLOTEN}),
    # A new melding about a person re-enters through a fresh triage; history stays on the case.
    CaseStatus.LOKAAL: frozenset({CaseStatus.AANGEMELD}),
    CaseStatus.RIEC: frozenset({CaseStatus.AANGEMELD}),
    CaseStatus.NIET_GEACCEPTEERD: frozenset({CaseStatus.AANGEMELD}),
    CaseStatus.AFGESLOTEN: frozenset({CaseStatus.AANGEMELD, CaseStatus.ACTIEF}),
}

CLOSED_STATUSES = frozenset({CaseStatus.AFGESLOTEN, CaseStatus.LOKAAL, CaseStatus.RIEC, CaseStatus.NIET_GEACCEPTEERD})


def _check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != case.version:
        raise ConcurrentEdit(
            "Iemand anders heeft deze casus intussen gewijzigd. Laad de pagina opnieuw; uw invoer is bewaard."
        )


def case_transition(
    *, actor, case: Case, to_status: str, reason: str, expected_version: int | None = None
) -> CaseStatusChange:
    """The one function that changes a case's status: checks the table, records who/when/why, audits."""
    if not reason or not reason.strip():
        raise ValidationFailed(
            "Geef een reden voor de statuswijziging.", field_errors={"reason": ["Vul een reden in."]}
        )
    if to_status not in CaseStatus.values:
        raise ValidationFailed(f"Onbekende status: {to_status}.", field_errors={"to_status": ["Onbekende status."]})
    allowed = ALLOWED_TRANSITIONS.get(case.status, frozenset())
    if to_status not in allowed:
        raise TransitionNotAllowed(
            f"Een casus met status ‘{_nl_label(CaseStatus(case.status))}’ kan niet naar "
            f"‘{_nl_label(CaseStatus(to_status))}’."
        )
    with transaction.atomic():
        _check_version(case, expected_version)
        now = timezone.now()
        change = CaseStatusChange.objects.create(
            case=case, from_status=case.status, to_status=to_status, actor=actor, at=now, reason=reason.strip()
        )
        updated = Case.objects.filter(pk=case.pk, version=case.version).update(
            status=to_status,
            status_changed_at=now,
            closed_at=now if to_status in CLOSED_STATUSES else None,
            version=F("version") + 1,
        )
        if updated != 1:
            raise ConcurrentEdit("Iemand anders heeft deze casus intussen gewijzigd. Laad de pagina opnieuw.")
        case.status, case.status_changed_at, case.version = to_status, now, case.version + 1
        case.closed_at = now if to_status in CLOSED_STATUSES else None
        audit(
            actor=actor,
            event=CaseEvent.CASE_TRANSITION,
            case_id=case.pk,
            details={"from": change.from_status, "to": to_status, "change": change.pk},
        )
    return change


# Statuses in which a case waits for a triage decision. Leaving them is the triage's decision (criteria, the
# caseload cap of routing reason g, the question or answer to the aanmelder), so a manual change from there
# may only put the case back in the triage queue.
TRIAGE_STATUSES = frozenset({CaseStatus.AANGEMELD, CaseStatus.VERRIJKEN})


def manual_transitions(case: Case) -> list[str]:
    """The statuses the house may move a case to by hand: a case waiting for triage leaves that state only
    through a triage decision (criteria, caseload cap, feedback to the aanmelder)."""
    allowed = ALLOWED_TRANSITIONS.get(case.status, frozenset())
    if case.status in TRIAGE_STATUSES:
        allowed = allowed & {CaseStatus.AANGEMELD}
    return [status for status in CaseStatus.values if status in allowed]


def case_change_status(
    *, actor, case: Case, to_status: str, reason: str, expected_version: int | None = None
) -> CaseStatusChange:
    """A status change by the house outside triage (volgen op afstand, afsluiten, heropenen)."""
    from tafel.access.policy import may_manage_case
    from tafel.core.errors import AccessDenied

    if not may_manage_case(actor):
        raise AccessDenied("Alleen het huis wijzigt de status van een casus.")
    if case.status in TRIAGE_STATUSES and to_status != CaseStatus.AANGEMELD:
        raise TransitionNotAllowed(
            f"Een casus met status ‘{_nl_label(CaseStatus(case.status))}’ verlaat die status alleen met een "
            "triagebesluit."
        )
    return case_transition(
        actor=actor, case=case, to_status=to_status, reason=reason, expected_version=expected_version
    )


# --- intake ---------------------------------------------------------------------------------------------


@dataclass
class PersonInput(PersonData):
    role: str = PersonRole.BETROKKENE
    existing_person_id: int | None = None
    own_view: str = ""
    match_score: float | None = None


@dataclass
class AanmeldingInput:
    route: str = ""
    theme: str = ""
    municipality_id: int | None = None
    title: str = ""
    origin: str = ""
    reason: str = ""
    summary: str = ""
    household: str = ""
    life_domains: dict[str, str] = field(default_factory=dict)
    antecedents: str = ""
    predictive_factors: list[str] = field(default_factory=list)
    predictive_notes: str = ""
    help_tried: str = ""
    client_knows: bool = False
    client_knows_reason: str = ""
    urgency: str = Urgency.NORMAAL
    desired_response_days: int | None = None
    persons: list[PersonInput] = field(default_factory=list)


# Predictive factors for domestic violence asked on the form (SPEC §3.1).
PREDICTIVE_FACTORS = {
    "lvb": gettext_lazy("Licht verstandelijke beperking (LVB)"),
    "middelen": gettext_lazy("Middelengebruik"),
    "psychiatrie": gettext_lazy("Psychiatrische problematiek"),
    "stalking": gettext_lazy("Escalerende stalking"),
    "scheiding": gettext_lazy("(Recente) scheiding"),
    "wapens": gettext_lazy("Wapens / wapenbezit"),
}

# Leefgebieden (SPEC §4.2, 002 Table 3.1): descriptive answers, not yes/no.
LIFE_DOMAINS = {
    "werk": gettext_lazy("Werk"),
    "dagbesteding": gettext_lazy("Dagbesteding / vrije tijd"),
    "financien": gettext_lazy("Financiën"),
    "huisvesting": gettext_lazy("Huisvesting"),
    "opvoeden": gettext_lazy("Opvoeden / opgroeien"),
    "netwerk": gettext_lazy("Sociaal netwerk"),
    "criminaliteit": gettext_lazy("Criminaliteit"),
    "ggz": gettext_lazy("GGZ"),
    "lvb": gettext_lazy("(L)VB"),
    "gezondheid": gettext_lazy("Lichamelijke gezondheid"),
    "onderwijs": gettext_lazy("Onderwijs"),
    "verslaving": gettext_lazy("Verslaving"),
    "relaties": gettext_lazy("Relaties"),
    "intergenerationeel": gettext_lazy("Intergenerationele overdracht van geweld"),
}


def aanmelding_validate(data: AanmeldingInput, *, actor=None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def err(f: str, msg: str) -> None:
        errors.setdefault(f, []).append(msg)

    for name, limit in (("title", Case._meta.get_field("title").max_length), ("origin", 100)):
        if len(getattr(data, name) or "") > limit:
            err(name, f"Maximaal {limit} tekens.")
    if data.route not in EntryRoute.values:
        err("route", "Kies een instroomroute.")
    if data.theme not in Theme.values:
        err("theme", "Kies een thema.")
    if not data.municipality_id:
        err("municipality", "Kies de gemeente.")
    elif not Municipality.objects.filter(pk=data.municipality_id).exists():
        err("municipality", "Deze gemeente is niet bekend.")
    if not data.reason.strip():
        err("reason", "Vul de reden van aanmelding in.")
    if not data.summary.strip():
        err("summary", "Vul de samenvattende analyse in: wat speelt er en wat is nodig?")
    if data.urgency not in Urgency.values:
        err("urgency", "Kies een urgentie.")
    if data.desired_response_days is not None and not 0 <= data.desired_response_days <= 365:
        err("desired_response_days", "De gewenste responstermijn ligt tussen 0 en 365 dagen.")
    if not data.client_knows and not data.client_knows_reason.strip():
        err("client_knows_reason", "Leg uit waarom de cliënt niet van de aanmelding weet.")
    unknown_domains = set(data.life_domains) - set(LIFE_DOMAINS)
    if unknown_domains:
        err("life_domains", f"Onbekende leefgebieden: {', '.join(sorted(unknown_domains))}.")
    unknown_factors = set(data.predictive_factors) - set(PREDICTIVE_FACTORS)
    if unknown_factors:
        err("predictive_factors", f"Onbekende factoren: {', '.join(sorted(unknown_factors))}.")
    if not data.persons:
        err("persons", "Voeg ten minste één persoon toe.")
    existing_ids = [p.existing_person_id for p in data.persons if p.existing_person_id]
    # A person id in the body is request input like an id in the URL: only persons the submitter may see are
    # linked (issue 10, finding 2), and an unknown id gets the same answer as one that is not visible.
    found = set(persons_get_for_user(user=actor, person_ids=existing_ids)) if existing_ids else set()
    seen: set[int] = set()
    for i, p in enumerate(data.persons):
        prefix = f"persons.{i}."
        if p.role not in PersonRole.values:
            err(f"{prefix}role", "Kies de rol van deze persoon in de casus.")
        if p.existing_person_id:
            if p.existing_person_id not in found:
                err(f"{prefix}existing_person_id", PERSON_NOT_FOUND)
            elif p.existing_person_id in seen:
                err(f"{prefix}existing_person_id", "Deze persoon staat al in de aanmelding.")
            seen.add(p.existing_person_id)
        else:
            for key, msgs in person_validate(p, prefix=prefix).items():
                errors.setdefault(key, []).extend(msgs)
    return errors


def _next_reference(now: datetime.datetime) -> str:
    """ZVH-<year>-<6 digits>, sequential per year. Called inside the creating transaction.

    The year is the house's local year: a case registered at 00:30 on 1 January belongs to the new year,
    although it is still 31 December in UTC."""
    prefix = f"ZVH-{timezone.localtime(now):%Y}-"
    last = (
        Case.objects.filter(reference__startswith=prefix).order_by("-reference").values_list("reference", flat=True)
    ).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def _case_create_with_reference(*, now, attempts: int = 5, **fields) -> Case:
    """Create a case with the next free reference. Two intakes at the same moment can compute the same
    number (PostgreSQL does not serialise them); the loser retries in a savepoint with the next one."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return Case.objects.create(reference=_next_reference(now), **fields)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _add_participant(
    *, case: Case, organisation_id: int, actor, reason: str, now, kind: str = ParticipationKind.PARTNER
) -> bool:
    _, created = CaseOrganisation.objects.get_or_create(
        case=case,
        organisation_id=organisation_id,
        defaults={"added_at": now, "added_by": actor, "reason": reason, "kind": kind},
    )
    if created:
        partner_count_refresh(case.pk)
    return created


@dataclass
class AanmeldingResult:
    aanmelding: Aanmelding
    case: Case
    joined_existing: bool


def aanmelding_create(*, actor, data: AanmeldingInput) -> AanmeldingResult:
    """Submit an aanmelding. Persons are linked (chosen at screening) or created. A melding about a person
    in an open case joins that case; one under follow-up joins it and reopens it (SPEC §3.2, §5.3)."""
    from tafel.core.errors import AccessDenied

    if not may_submit_aanmelding(actor):
        raise AccessDenied("U mag geen aanmelding indienen.")
    errors = aanmelding_validate(data, actor=actor)
    if errors:
        raise ValidationFailed("De aanmelding is niet volledig of bevat fouten.", field_errors=errors)

    with transaction.atomic():
        now = timezone.now()
        deadline = response_deadline(now, data.desired_response_days)
        linked_persons = persons_get_for_user(
            user=actor, person_ids=[p.existing_person_id for p in data.persons if p.existing_person_id]
        )
        persons: list[tuple[Person, PersonInput]] = []
        for p in data.persons:
            if p.existing_person_id:
                person = linked_persons[p.existing_person_id]
            else:
                person = build_person(p, organisation_id=actor.organisation_id)
                person.save()
                audit(actor=actor, event=PersonEvent.PERSON_CREATE, person_id=person.pk)
            persons.append((person, p))

        person_ids = [person.pk for person, _ in persons]
        existing = (
            Case.objects.select_for_update()
            .filter(
                case_persons__person_id__in=person_ids,
                status__in=[*OPEN_STATUSES, *FOLLOW_UP_STATUSES],
            )
            .order_by("-status_changed_at", "-id")
            .first()
        )
        joined = existing is not None
        if joined:
            case = existing
            if case.status in FOLLOW_UP_STATUSES:
                case_transition(
                    actor=actor,
                    case=case,
                    to_status=CaseStatus.ACTIEF,
                    reason="Heropend: nieuwe melding over een persoon in een casus onder volgen op afstand.",
                )
        else:
            case = _case_create_with_reference(
                now=now,
                title=data.title.strip()[:200],
                theme=data.theme,
                entry_route=data.route,
                municipality_id=data.municipality_id,
                status=CaseStatus.AANGEMELD,
                urgency=data.urgency,
                predictive_factors=sorted(set(data.predictive_factors)),
                created_at=now,
                status_changed_at=now,
                triage_deadline=deadline,
            )
            CaseStatusChange.objects.create(
                case=case, from_status="", to_status=CaseStatus.AANGEMELD, actor=actor, at=now, reason="Aangemeld."
            )
            # The submitting organisation takes part in the case it submitted: as a partner when it signed the
            # convenant, else as a reporter only, which sees its melding and the feedback it is owed but not what
            # others add (issue 10, finding 4). The procesregisseur can make it a partner.
            _add_participant(
                case=case,
                organisation_id=actor.organisation_id,
                actor=actor,
                reason="aanmelder",
                now=now,
                kind=ParticipationKind.PARTNER if actor.organisation.convenant_signed else ParticipationKind.REPORTER,
            )
            audit(actor=actor, event=CaseEvent.CASE_CREATE, case_id=case.pk)

        aanmelding = Aanmelding.objects.create(
            case=case,
            route=data.route,
            status=AanmeldingStatus.GEKOPPELD if joined else AanmeldingStatus.INGEDIEND,
            origin=data.origin.strip(),
            reason=data.reason.strip(),
            summary=data.summary.strip(),
            household=data.household.strip(),
            life_domains={k: v.strip() for k, v in data.life_domains.items() if v and v.strip()},
            antecedents=data.antecedents.strip(),
            predictive_factors=sorted(set(data.predictive_factors)),
            predictive_notes=data.predictive_notes.strip(),
            help_tried=data.help_tried.strip(),
            client_knows=data.client_knows,
            client_knows_reason="" if data.client_knows else data.client_knows_reason.strip(),
            urgency=data.urgency,
            desired_response_days=data.desired_response_days,
            response_deadline=deadline,
            supplied_by_org_id=actor.organisation_id,
            created_by=actor,
            created_at=now,
        )
        linked = set(CasePerson.objects.filter(case=case, person_id__in=person_ids).values_list("person_id", flat=True))
        CasePerson.objects.bulk_create(
            [
                CasePerson(case=case, person=person, role=p.role, added_at=now)
                for person, p in persons
                if person.pk not in linked
            ]
        )
        AanmeldingPerson.objects.bulk_create(
            [
                AanmeldingPerson(
                    aanmelding=aanmelding,
                    person=person,
                    role=p.role,
                    own_view=p.own_view.strip(),
                    match_score=p.match_score,
                )
                for person, p in persons
            ]
        )
        if joined and earlier(case.triage_deadline, deadline) != case.triage_deadline:
            # The case's triage deadline is its aanmeldingen's earliest (tafel/cases/deadlines.py); the case row
            # is locked above, so two joining meldings cannot both read the old value.
            case.triage_deadline = deadline
            Case.objects.filter(pk=case.pk).update(triage_deadline=deadline)
        if joined:
            from .changes import apply_joining_melding

            # Issue 11: the melding changes the case (urgency, roles) or proposes (theme, factors, sender).
            apply_joining_melding(
                actor=actor,
                case=case,
                aanmelding=aanmelding,
                theme=data.theme,
                roles={person.pk: p.role for person, p in persons},
                now=now,
            )
            Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
            # Keep the returned object current: callers pass its version on as expected_version.
            case.version += 1
            audit(
                actor=actor,
                event=CaseEvent.AANMELDING_JOINED,
                case_id=case.pk,
                details={"aanmelding": aanmelding.pk},
            )
        if data.route == EntryRoute.POLITIE_VT:
            _add_veilig_thuis(case=case, actor=actor, now=now)
        audit(
            actor=actor,
            event=CaseEvent.AANMELDING_CREATE,
            case_id=case.pk,
            details={"aanmelding": aanmelding.pk, "persons": person_ids},
        )
    return AanmeldingResult(aanmelding=aanmelding, case=case, joined_existing=joined)


def _add_veilig_thuis(*, case: Case, actor, now) -> None:
    """A melding routed to Veilig Thuis makes Veilig Thuis a participant at once (issue 11): it must weigh the
    melding, so it must see it — whichever page or API the melding came through."""
    from tafel.organisations.models import OrganisationType

    for org_id in Organisation.objects.filter(type=OrganisationType.VEILIG_THUIS, active=True).values_list(
        "pk", flat=True
    ):
        if _add_participant(
            case=case, organisation_id=org_id, actor=actor, reason="ontvanger Veilig Thuis-melding", now=now
        ):
            audit(
                actor=actor,
                event=CaseEvent.CASE_PARTICIPANT_ADD,
                case_id=case.pk,
                details={"organisation": org_id},
            )


def aanmelding_supply_info(*, actor, aanmelding: Aanmelding, text: str) -> Aanmelding:
    """The aanmelder answers a request for missing information; the case returns to the triage queue."""
    from tafel.core.errors import AccessDenied

    if not may_submit_aanmelding(actor) or aanmelding.supplied_by_org_id != actor.organisation_id:
        raise AccessDenied("Alleen de aanmeldende organisatie kan hier informatie aanvullen.")
    if aanmelding.status != AanmeldingStatus.INFO_GEVRAAGD:
        raise TransitionNotAllowed("Er is voor deze aanmelding geen aanvullende informatie gevraagd.")
    if not text.strip():
        raise ValidationFailed("Vul de aanvullende informatie in.", field_errors={"text": ["Vul de informatie in."]})
    with transaction.atomic():
        # Re-read under a lock: a second submit of the same form (double click, two tabs) must not append
        # its text to an aanmelding that has already been answered.
        current = Aanmelding.objects.select_for_update().only("status", "info_supplied").get(pk=aanmelding.pk)
        if current.status != AanmeldingStatus.INFO_GEVRAAGD:
            raise TransitionNotAllowed("Er is voor deze aanmelding geen aanvullende informatie gevraagd.")
        aanmelding.info_supplied = current.info_supplied
        stamp = nl_datetime(timezone.now())
        aanmelding.info_supplied = (aanmelding.info_supplied + f"\n\n[{stamp}] " + text.strip()).strip()
        aanmelding.status = AanmeldingStatus.INGEDIEND
        aanmelding.save(update_fields=["info_supplied", "status"])
        case = Case.objects.select_for_update().get(pk=aanmelding.case_id)
        if case.status == CaseStatus.VERRIJKEN:
            case_transition(
                actor=actor, case=case, to_status=CaseStatus.AANGEMELD, reason="Aanvullende informatie aangeleverd."
            )
        audit(
            actor=actor,
            event=CaseEvent.AANMELDING_INFO_ADDED,
            case_id=aanmelding.case_id,
            details={"aanmelding": aanmelding.pk},
        )
    return aanmelding


# --- triage ---------------------------------------------------------------------------------------------


@dataclass
class CriterionInput:
    criterion: str
    met: bool | None
    argument: str = ""


@dataclass
class TriageInput:
    criteria: list[CriterionInput]
    outcome: str
    mode: str = TriageMode.DESK
    team_member_ids: list[int] = field(default_factory=list)
    team_others: str = ""
    lokaal_reason: str = ""
    override_reason: str = ""
    caseload_override_reason: str = ""
    missing_info: str = ""
    feedback: str = ""
    procesregisseur_id: int | None = None
    expected_version: int | None = None


def municipality_caseload(municipality_id: int) -> int:
    return Case.objects.filter(municipality_id=municipality_id, status__in=CASELOAD_STATUSES).count()


OUTCOME_STATUS = {
    TriageOutcome.ZVH_COM: CaseStatus.ACTIEF,
    TriageOutcome.ZVH_MDA: CaseStatus.ACTIEF,
    TriageOutcome.LOKAAL: CaseStatus.LOKAAL,
    TriageOutcome.RIEC: CaseStatus.RIEC,
    TriageOutcome.NIET_GEACCEPTEERD: CaseStatus.NIET_GEACCEPTEERD,
    TriageOutcome.VERRIJKEN: CaseStatus.VERRIJKEN,
}


def triage_validate(data: TriageInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def err(f: str, msg: str) -> None:
        errors.setdefault(f, []).append(msg)

    by_code = {c.criterion: c for c in data.criteria}
    if len(by_code) != len(data.criteria):
        err("criteria", "Elk criterium mag maar één keer beoordeeld worden.")
    for code in Criterion.values:
        c = by_code.get(code)
        if c is None or c.met is None:
            err(f"criterion_{code}", f"Geef voor criterium {code} aan of het voldoet.")
        elif not c.argument.strip():
            err(f"criterion_{code}_argument", f"Geef een kort argument bij criterium {code}.")
    if set(by_code) - set(Criterion.values):
        err("criteria", "Onbekend criterium.")
    if data.outcome not in TriageOutcome.values:
        err("outcome", "Kies een uitkomst.")
        return errors
    if data.mode not in TriageMode.values:
        err("mode", "Kies bureaubesluit of triageteam.")
    if data.mode == TriageMode.TEAM and not (data.team_member_ids or data.team_others.strip()):
        err("team_members", "Leg vast wie aan het triageteam deelnamen.")
    if data.mode == TriageMode.TEAM and data.team_member_ids:
        from tafel.organisations.models import OrganisationType

        # The triage team is the house and its chain partners under the convenant; an unknown id and anyone
        # else (an organisation outside the convenant, an inactive account) answer alike (issue 10, finding 2).
        known = set(
            active_users()
            .filter(pk__in=data.team_member_ids)
            .filter(Q(organisation__type=OrganisationType.ZVH) | Q(organisation__convenant_signed=True))
            .values_list("pk", flat=True)
        )
        if set(data.team_member_ids) - known:
            err(
                "team_members",
                "Een van de deelnemers aan het triageteam is geen (actieve) medewerker van het huis of van een "
                "convenantpartner.",
            )
    if data.outcome == TriageOutcome.NIET_GEACCEPTEERD and not data.feedback.strip():
        # The aanmelder is always informed, with the reason (001:L4524-4593, 000:L5166).
        err("feedback", "Leg de aanmelder uit waarom de casus niet wordt geaccepteerd.")
    if data.procesregisseur_id is not None and not house_procesregisseurs().filter(pk=data.procesregisseur_id).exists():
        err("procesregisseur", "Kies een procesregisseur van het Zorg- en Veiligheidshuis.")
    if data.outcome == TriageOutcome.LOKAAL:
        if data.lokaal_reason not in LokaalReason.values:
            err("lokaal_reason", "Kies de reden (a–g) waarom de casus lokaal wordt opgepakt.")
    elif data.lokaal_reason:
        err("lokaal_reason", "Een reden voor lokaal hoort alleen bij de uitkomst ‘lokaal’.")
    if data.outcome == TriageOutcome.VERRIJKEN and not data.missing_info.strip():
        err("missing_info", "Noem welke informatie ontbreekt; de aanmelder krijgt dit als vraag.")
    e = by_code.get("e")
    if data.outcome in ZVH_OUTCOMES:
        failing = [c.criterion for c in data.criteria if c.criterion in ("a", "b", "c", "d") and c.met is False]
        if failing and not data.override_reason.strip():
            err(
                "override_reason",
                f"Criterium {', '.join(failing)} voldoet niet. Een ZVH-aanpak kan alleen met een vastgelegde "
                "reden om af te wijken (bijvoorbeeld urgentie).",
            )
        if e is not None and e.met is False:
            err("outcome", "Criterium e voldoet niet: de casus gaat eerst naar verrijken.")
    return errors


def _check_triageable(case: Case) -> None:
    if case.status not in (CaseStatus.AANGEMELD, CaseStatus.VERRIJKEN):
        raise TransitionNotAllowed(
            f"Deze casus heeft status ‘{_nl_label(CaseStatus(case.status))}’ en kan nu niet worden getrieerd."
        )


def triage_decide(*, actor, case: Case, data: TriageInput) -> Triage:
    """Record a triage decision, route the case and inform the aanmelder (SPEC §3.3)."""
    from tafel.core.errors import AccessDenied
    from tafel.organisations.models import User

    if not may_triage(actor):
        raise AccessDenied("Alleen een procesregisseur van het huis mag triëren.")
    errors = triage_validate(data)
    if errors:
        raise ValidationFailed("Het triagebesluit is niet volledig.", field_errors=errors)
    _check_triageable(case)

    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("municipality").get(pk=case.pk)
        _check_version(case, data.expected_version)
        # Again under the lock: someone may have triaged the case since the caller loaded it, and an
        # active case must not be re-routed by a second, stale decision.
        _check_triageable(case)
        if data.outcome in ZVH_OUTCOMES:
            # Routing reason g (001:L4524-4593): the municipality's maximum caseload is enforced here.
            load = municipality_caseload(case.municipality_id)
            maximum = case.municipality.max_caseload
            if load >= maximum and not data.caseload_override_reason.strip():
                raise CaseloadFull(
                    f"De maximale caseload van {case.municipality} is bereikt ({load} van {maximum}). "
                    "Kies ‘lokaal, reden g’ of leg een reden vast om de caseload te overschrijden.",
                    field_errors={
                        "caseload_override_reason": [
                            "Caseload bereikt: vul een reden in om toch een ZVH-aanpak te starten."
                        ]
                    },
                )
        now = timezone.now()
        triage = Triage.objects.create(
            case=case,
            aanmelding=case.aanmeldingen.order_by("-created_at", "-id").first(),
            decided_by=actor,
            decided_at=now,
            mode=data.mode,
            team_others=data.team_others.strip(),
            outcome=data.outcome,
            lokaal_reason=data.lokaal_reason,
            override_reason=data.override_reason.strip(),
            caseload_override_reason=data.caseload_override_reason.strip() if data.outcome in ZVH_OUTCOMES else "",
            missing_info=data.missing_info.strip(),
            feedback=data.feedback.strip(),
            criteria_argued=criteria_argued(c.argument.strip() for c in data.criteria),
        )
        if data.mode == TriageMode.TEAM and data.team_member_ids:
            triage.team_members.set(User.objects.filter(pk__in=data.team_member_ids))
        TriageCriterion.objects.bulk_create(
            [
                TriageCriterion(triage=triage, criterion=c.criterion, met=bool(c.met), argument=c.argument.strip())
                for c in data.criteria
            ]
        )
        outcome_label = _nl_label(TriageOutcome(data.outcome))
        reason = outcome_label
        if data.outcome == TriageOutcome.LOKAAL:
            reason += f", reden {_nl_label(LokaalReason(data.lokaal_reason))}"
        case_transition(actor=actor, case=case, to_status=OUTCOME_STATUS[data.outcome], reason=reason)

        fields = ["version"]
        if data.outcome in ZVH_OUTCOMES:
            case.phase = case.phase or Phase.DIRECTE_VEILIGHEID
            case.procesregisseur_id = data.procesregisseur_id or case.procesregisseur_id or actor.pk
            fields += ["phase", "procesregisseur"]
        elif not case.procesregisseur_id:
            case.procesregisseur_id = actor.pk
            fields += ["procesregisseur"]
        case.version += 1
        case.save(update_fields=fields)

        # Inform the aanmelder(s) of every open aanmelding of this case: always, with the reason.
        decision = _decision_text(triage)
        open_aanmeldingen = case.aanmeldingen.exclude(status=AanmeldingStatus.BESLOTEN)
        if data.outcome == TriageOutcome.VERRIJKEN:
            open_aanmeldingen.update(
                status=AanmeldingStatus.INFO_GEVRAAGD, info_requested=data.missing_info.strip(), decision_text=decision
            )
        else:
            open_aanmeldingen.update(status=AanmeldingStatus.BESLOTEN, decision_text=decision, decided_at=now)
        audit(
            actor=actor,
            event=CaseEvent.TRIAGE_DECIDE,
            case_id=case.pk,
            reason=f"triage.{data.outcome}",
            details={
                "triage": triage.pk,
                "outcome": data.outcome,
                "override": bool(data.override_reason.strip()),
                "caseload_override": bool(triage.caseload_override_reason),
            },
        )
    return triage


def _decision_text(triage: Triage) -> str:
    parts = [f"Besluit: {_nl_label(TriageOutcome(triage.outcome))}."]
    if triage.lokaal_reason:
        parts.append(f"Reden: {_nl_label(LokaalReason(triage.lokaal_reason))}.")
    if triage.missing_info:
        parts.append(f"Wij vragen u om aanvullende informatie: {triage.missing_info}")
    if triage.feedback:
        parts.append(triage.feedback)
    return " ".join(parts)


# --- participants and notes -----------------------------------------------------------------------------


def case_participation_join(
    *, actor, case: Case, organisation: Organisation, reason: str, now, kind: str = ParticipationKind.PARTNER, **ids
) -> str | None:
    """The one way an organisation comes to take part in a case after intake (the house adds it, an accepted
    proposal, a Veilig Thuis handover). New: a participation of `kind`. Already a reporter only and now asked as
    a partner: it becomes a partner — never silently, the audit row says `from: melder`. Already a partner, or
    a reporter asked as a reporter: nothing changes. Returns "created", "promoted" or None; `ids` (codes and
    ids only, e.g. the proposal) go into the audit row. Call inside the caller's transaction."""
    participation = (
        CaseOrganisation.objects.select_for_update().filter(case=case, organisation_id=organisation.pk).first()
    )
    if participation is None:
        CaseOrganisation.objects.create(
            case=case, organisation=organisation, added_at=now, added_by=actor, reason=reason[:300], kind=kind
        )
        partner_count_refresh(case.pk)
        outcome, details = "created", {"organisation": organisation.pk, "kind": kind}
    elif kind == ParticipationKind.PARTNER and participation.kind == ParticipationKind.REPORTER:
        participation.kind, participation.reason = ParticipationKind.PARTNER, reason[:300]
        participation.added_by, participation.added_at = actor, now
        participation.save(update_fields=["kind", "reason", "added_by", "added_at"])
        outcome = "promoted"
        details = {"organisation": organisation.pk, "kind": ParticipationKind.PARTNER, "from": "melder"}
    else:
        return None
    audit(actor=actor, event=CaseEvent.CASE_PARTICIPANT_ADD, case_id=case.pk, details={**details, **ids})
    return outcome


def case_add_organisation(*, actor, case: Case, organisation: Organisation, reason: str) -> bool:
    from tafel.access.policy import may_manage_case
    from tafel.core.errors import AccessDenied

    if not may_manage_case(actor):
        raise AccessDenied("Alleen het huis voegt organisaties toe aan een casus.")
    if not reason.strip():
        raise ValidationFailed("Geef een reden.", field_errors={"reason": ["Waarom neemt deze organisatie deel?"]})
    if not organisation.active:
        raise ValidationFailed(
            f"{organisation} is niet (meer) actief en kan niet aan een casus deelnemen.",
            field_errors={"organisation": ["Deze organisatie is niet actief."]},
        )
    with transaction.atomic():
        # The house adds it as a partner; a reporter-only participation becomes one (audited with `from`).
        outcome = case_participation_join(
            actor=actor, case=case, organisation=organisation, reason=reason.strip(), now=timezone.now()
        )
        if outcome:
            Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
    return outcome is not None


def case_participation_make_partner(*, actor, case: Case, organisation_id, reason: str) -> CaseOrganisation:
    """Turn a reporter-only organisation into a partner of the case (issue 10, finding 4): from now on it reads
    the case's content under the item rules. Only the house's process roles decide; the reason is kept with the
    participation (the audit event holds ids only)."""
    from tafel.access.policy import may_manage_case
    from tafel.core.errors import AccessDenied

    if not may_manage_case(actor):
        raise AccessDenied("Alleen het huis maakt een melder partner in een casus.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            "Geef een reden.", field_errors={"reason": ["Waarom wordt deze organisatie partner in de casus?"]}
        )
    if len(reason) > CaseOrganisation._meta.get_field("reason").max_length:
        raise ValidationFailed("De reden is te lang.", field_errors={"reason": ["Maximaal 300 tekens."]})
    with transaction.atomic():
        participation = participation_get(case=case, organisation_id=organisation_id, for_update=True)
        if participation.kind == ParticipationKind.PARTNER:
            raise TransitionNotAllowed(f"{participation.organisation} is al partner in deze casus.")
        if not participation.organisation.active:
            raise ValidationFailed(
                f"{participation.organisation} is niet (meer) actief.",
                field_errors={"organisation": ["Deze organisatie is niet actief."]},
            )
        participation.kind = ParticipationKind.PARTNER
        participation.reason = reason
        participation.added_by = actor
        participation.added_at = timezone.now()
        participation.save(update_fields=["kind", "reason", "added_by", "added_at"])
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
        audit(
            actor=actor,
            event=CaseEvent.CASE_PARTICIPANT_ADD,
            case_id=case.pk,
            details={"organisation": organisation_id, "kind": ParticipationKind.PARTNER, "from": "melder"},
        )
    return participation


def case_add_note(*, actor, case: Case, text: str, category: str = "algemeen") -> CaseNote:
    from tafel.cases.access import can_view_case
    from tafel.core.errors import NotFound

    # Only organisations in the case add content to it (need-to-know, SPEC §6); not visible reads as absent.
    if not can_view_case(actor, case):
        raise NotFound("Deze casus bestaat niet of u heeft er geen toegang toe.")
    if not text.strip():
        raise ValidationFailed("De notitie is leeg.", field_errors={"text": ["Vul de notitie in."]})
    if category not in InfoCategory.values:
        raise ValidationFailed(
            "Kies een informatiecategorie.", field_errors={"category": ["Onbekende informatiecategorie."]}
        )
    with transaction.atomic():
        note = CaseNote.objects.create(
            case=case,
            text=text.strip(),
            category=category,
            supplied_by_org_id=actor.organisation_id,
            created_by=actor,
            created_at=timezone.now(),
        )
        audit(actor=actor, event=CaseEvent.CASE_NOTE_ADD, case_id=case.pk, details={"note": note.pk})
    return note
