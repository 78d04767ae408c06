"""Demo meetings (`manage.py demo`): about eighteen months of Casus-op-Maat and MDA++ meetings on the demo's
own cases, and a few meetings in the coming weeks.

Past meetings follow the cases' status history: a case is on an agenda only while its ZVH-aanpak runs (after
the triage, before follow-up, closure or hand-over). Each discussion has a phase, scale scores per
professional at the table (and sometimes the client's own), an oordeel whose phase changes end in the phase
the case has, and plan van aanpak versions with a joint goal, casusregisseur, bodemeisen and actions whose
status follows their deadlines. Every held meeting has its verslag, approved except for the latest one.
Upcoming meetings have an agenda (new cases first) and named invitees; the first ones have had their
invitation. Their dates follow the clock (they must lie ahead); everything else follows the demo's fixed
BASE_DATE and the seeded `rng`, so a seed gives the same meetings.

Kept proportional: two fixed rhythms (COM every two weeks, MDA++ every three) with 4-8 cases each give about
65 past meetings whatever the number of cases, so a 100,000-case data set gets no more meetings than the
600-case demo. Rows are written with bulk_create and ids allocated here (so rows can point at rows written
in the same statement); like the rest of the demo it writes no audit events.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from tafel.cases.models import (
    ZVH_OUTCOMES,
    Case,
    CaseOrganisation,
    CasePerson,
    CaseStatus,
    CaseStatusChange,
    PersonRole,
    Phase,
    Theme,
    Triage,
    TriageOutcome,
)
from tafel.core.dates import nl_datetime
from tafel.demo.plan import AMS, BASE, BASE_DATE, DAY, at
from tafel.meetings.guide import PHASE_ORDER, all_part_codes
from tafel.meetings.models import (
    PHASE_SCALE,
    Action,
    ActionStatus,
    ActionType,
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendMode,
    Audience,
    Bodemeis,
    CaseDiscussion,
    DeferReason,
    Invitation,
    Meeting,
    MeetingStatus,
    OordeelChoice,
    OverlegType,
    PhaseChange,
    Plan,
    PreMeetingUpdate,
    ScaleKind,
    ScaleScore,
    SessionPart,
    Term,
    Verslag,
    VerslagSection,
    default_audience,
)
from tafel.meetings.services.planning import DEFAULT_PRIVACY_REMINDER
from tafel.meetings.services.plans import plan_quality_store
from tafel.organisations.models import Organisation, OrganisationType, Role, User, UserRole
from tafel.persons.models import Person

WINDOW_DAYS = 548  # about eighteen months of past meetings
# (overleg type code, weekday (Monday 0), local start in minutes, rhythm in days)
RHYTHMS = [("com", 1, 9 * 60 + 30, 14), ("mda", 3, 13 * 60 + 30, 21)]
PLACES = {
    "com": "Zorg- en Veiligheidshuis, Hilversum — zaal De Vecht",
    "mda": "Zorg- en Veiligheidshuis, Hilversum — zaal Het Gooi",
}
# A case waits at most this long after its triage for a first discussion; later it is handled elsewhere.
FIRST_WITHIN_DAYS = 120
# At most this many candidate cases are followed: enough to fill every meeting, cheap with 100,000 cases.
MAX_CANDIDATES = 1500
# 1-7 discussions per family, mean about 2.8 (SPEC §8, Haaglanden dossiers).
DISCUSSIONS = (1, 2, 3, 4, 5, 6, 7)
DISCUSSION_WEIGHTS = (18, 28, 24, 14, 8, 5, 3)
# The kinds of agreement in the dossier analysis (002 Table 3.2), in per mille.
ACTION_WEIGHTS = {
    ActionType.INFO_PROFESSIONALS: 361,
    ActionType.PROFESSIONAL_ACTION: 361,
    ActionType.TOWARDS_FAMILY: 130,
    ActionType.INFO_FAMILY: 65,
    ActionType.MEETING_FAMILY: 56,
    ActionType.MEETING_PROFESSIONALS: 28,
}
FAMILY_THEMES = (Theme.HUISELIJK_GEWELD, Theme.JEUGD)
CLIENT_ROLES = (
    PersonRole.PLEGER,
    PersonRole.VERDACHTE,
    PersonRole.SLACHTOFFER,
    PersonRole.OUDER,
    PersonRole.BETROKKENE,
)

# --- texts (persons by role only, never by name) ------------------------------------------------------------

PICTURE = {
    True: [
        "Gezin met {kinderen}; ouders wonen samen, de relatie is gespannen. Vader werkt wisselend, moeder zorgt "
        "voor de kinderen. Financiële zorgen en weinig steun uit het netwerk.",
        "Moeder woont met {kinderen} in een huurwoning; vader woont sinds kort elders maar komt nog dagelijks. "
        "Er zijn schulden en de kinderen missen geregeld school.",
        "Beide ouders zijn betrokken bij de opvoeding; er zijn herhaalde ruzies met politie-inzet. De oudste "
        "heeft een eigen hulpverlener via de jeugdbescherming.",
    ],
    False: [
        "Betrokkene woont alleen, heeft een klein netwerk en wisselend contact met familie. Dagbesteding ontbreekt; "
        "er zijn schulden en een verleden van middelengebruik.",
        "Betrokkene verblijft afwisselend in de opvang en bij een kennis. Er is een lange justitiële voorgeschiedenis "
        "en zorg is eerder steeds afgehaakt.",
        "Betrokkene woont zelfstandig maar vervuilt de woning; buren melden overlast. Contact met hulpverlening "
        "verloopt moeizaam, wel is er een vaste huisarts.",
    ],
}
WORRIES = {
    True: [
        "Veilig Thuis en politie zijn bezorgd over de veiligheid van moeder en de kinderen bij escalaties.",
        "De school en het wijkteam zijn bezorgd over de kinderen: zij zien spanning, verzuim en terugtrekgedrag.",
    ],
    False: [
        "Politie en wijkteam zijn bezorgd over nieuwe incidenten en over de gezondheid van betrokkene.",
        "De reclassering is bezorgd dat betrokkene terugvalt in gebruik en opnieuw strafbare feiten pleegt.",
    ],
}
INCIDENTS = [
    (
        "Eerste melding na een ruzie waarbij de buren de politie belden.",
        "Mishandeling met letsel bij moeder; vader is aangehouden.",
        "Verbale ruzie met dreigementen via de telefoon; geen letsel.",
    ),
    (
        "Melding van de school over blauwe plekken bij de oudste.",
        "Escalatie waarbij een raam sneuvelde en de kinderen erbij waren.",
        "Conflict over de omgangsregeling bij de overdracht van de kinderen.",
    ),
]
STRENGTHS = [
    "Moeder zoekt zelf hulp en houdt zich aan afspraken; de grootouders bieden opvang voor de kinderen.",
    "Betrokkene heeft een goede band met de wijkagent en wil graag werk; er is een zus die steunt.",
    "Vader erkent het probleem en volgt de training; de kinderen hebben een vaste mentor op school.",
]
UNKNOWNS = [
    "Hoe de kinderen de situatie thuis zelf beleven.",
    "Of er nog contact is met de ex-partner en hoe dat verloopt.",
    "Hoe hoog de schulden precies zijn.",
]
RISKS = [
    ("Middelengebruik in stressvolle periodes", "dynamic", "individual"),
    ("Eerdere veroordelingen voor geweld", "static", "individual"),
    ("Schulden en dreigende huisuitzetting", "dynamic", "systemic"),
    ("Klein of belastend netwerk", "dynamic", "systemic"),
    ("Opgroeien met huiselijk geweld (intergenerationeel)", "static", "systemic"),
    ("Gebrek aan dagbesteding", "dynamic", "individual"),
]
RECOVERY = [
    "Stabiele woonsituatie behouden",
    "Werk of dagbesteding vinden",
    "Schulden onder bewind en aflossingsplan",
    "Weer contact met het netwerk opbouwen",
    "De kinderen gaan dagelijks naar school",
]
SAFE_WHEN = [
    "Als er drie maanden geen politiemeldingen zijn en het gezin de afspraken uit het veiligheidsplan nakomt.",
    "Als betrokkene stabiel woont, de behandeling volgt en er geen nieuwe incidenten zijn.",
]
OORDEEL_NOTES = {
    OordeelChoice.MOVE_ON: "Geen directe zorgen meer over de veiligheid; de partners richten zich nu op de risico's.",
    OordeelChoice.GO_BACK: "Nieuw incident: de veiligheid staat weer voorop.",
    OordeelChoice.STAY: "",
}
MOVE_TO_RECOVERY = "De situatie is stabiel; het plan richt zich op herstel en kwaliteit van leven."
RATIONALES = {
    ScaleKind.IMMEDIATE_SAFETY: [
        "Recent incident en geen zicht op wat er thuis gebeurt.",
        "Afspraken uit het veiligheidsplan worden grotendeels nagekomen.",
        "Er is een contactverbod, maar twijfel of het wordt nageleefd.",
    ],
    ScaleKind.STABLE_SAFETY: [
        "Geen nieuwe incidenten, wel blijvende spanning en schulden.",
        "De behandeling loopt; terugval blijft mogelijk.",
        "Het netwerk is klein, maar er is wel iemand die meekijkt.",
    ],
    ScaleKind.QUALITY_OF_LIFE: [
        "Er is dagbesteding en de woning is op orde.",
        "Nog veel stress door geldzorgen, maar de sfeer thuis is beter.",
        "Betrokkene voelt zich gesteund en heeft weer contact met familie.",
    ],
}
CLIENT_RATIONALE = [
    "Het gaat beter dan een paar maanden geleden.",
    "Ik maak me nog steeds zorgen over geld.",
    "Er gebeurt veel tegelijk; ik wil rust.",
]
GOALS = {
    True: "De kinderen groeien veilig op en de ouders lossen conflicten op zonder geweld.",
    False: "Betrokkene woont stabiel, pleegt geen nieuwe strafbare feiten en heeft passende zorg.",
}
BODEMEISEN = {
    True: [
        "Er is geen fysiek geweld in het gezin.",
        "De kinderen gaan elke schooldag naar school.",
        "Vader houdt zich aan het contactverbod zolang dat geldt.",
    ],
    False: [
        "Betrokkene houdt zich aan de meldplicht bij de reclassering.",
        "Betrokkene laat de ambulant begeleider eens per week binnen.",
        "Geen bedreiging van buren of hulpverleners.",
    ],
}
IF_BROKEN = [
    "De bewaker meldt dit dezelfde dag aan de casusregisseur; binnen 48 uur volgt een actieoverleg.",
    "Direct melden aan de procesregisseur; de casus komt op het eerstvolgende overleg.",
]
ACTIONS = {
    ActionType.INFO_PROFESSIONALS: [
        "Politiemutaties van de afgelopen drie maanden delen met de casusregisseur.",
        "Behandelinformatie (met toestemming van betrokkene) afstemmen met de huisarts.",
        "Schoolverzuim van de kinderen opvragen en delen met de partners.",
    ],
    ActionType.PROFESSIONAL_ACTION: [
        "Aanmelding voor ambulante behandeling doen.",
        "Schuldhulpverlening inschakelen en een aanvraag voor bewind indienen.",
        "Risicotaxatie uitvoeren en de uitkomst bespreken in het volgende overleg.",
        "Urgentieaanvraag voor huisvesting indienen.",
    ],
    ActionType.TOWARDS_FAMILY: [
        "Huisbezoek afleggen en het veiligheidsplan met het gezin doornemen.",
        "Met betrokkene een dagritme en dagbesteding uitwerken.",
    ],
    ActionType.INFO_FAMILY: ["Het gezin in gewone woorden informeren over de afspraken uit dit overleg."],
    ActionType.MEETING_FAMILY: ["Een netwerkberaad organiseren met het gezin en hun netwerk."],
    ActionType.MEETING_PROFESSIONALS: ["Bij een nieuw incident binnen 48 uur een actieoverleg beleggen."],
}
ACTION_RATIONALES = [
    "Zonder dit zicht kunnen we de veiligheid niet goed inschatten.",
    "De schulden houden de spanning thuis hoog; dit is een voorwaarde voor herstel.",
    "Het gezin gaf zelf aan dat dit het meest nodig is.",
]
NOT_DONE_NOTE = "Niet gelukt: betrokkene was niet bereikbaar; opnieuw geagendeerd."
UPDATES = [
    ("Het is de afgelopen weken rustig; de afspraken worden nagekomen.", "", "Minder politiemeldingen."),
    ("Er was een nieuw conflict; geen letsel.", "Zorgen over de escalaties in het weekend.", ""),
    ("Betrokkene komt op afspraken, maar zegt weinig.", "Geldzorgen nemen toe.", "Start van de behandeling."),
]
CLIENT_WISHES = [
    "Wil vooral dat er één vast aanspreekpunt komt.",
    "Wil graag dat de kinderen thuis kunnen blijven wonen.",
    "Wil eerst hulp bij de schulden.",
]


# --- reading the demo -----------------------------------------------------------------------------------------


@dataclass
class Track:
    """One case as the meetings see it: when its ZVH-aanpak ran, who takes part, and what happened."""

    case_id: int
    code: str  # overleg type code: "mda" or "com"
    theme: str
    status: str
    phase: str
    casusregisseur_id: int | None
    intervals: list[tuple[int, int]]
    orgs: list[int]
    persons: list[tuple[int, str]]
    max_discussions: int
    trend: int  # +1 getting better, -1 getting worse
    discussed: list[tuple[int, int]] = field(default_factory=list)  # (meeting index, minute)
    next_due: int = 0
    people: dict[int, int] = field(default_factory=dict)  # organisation id -> user id

    @property
    def family(self) -> bool:
        return self.theme in FAMILY_THEMES

    def active_at(self, minute: int) -> bool:
        return any(start + 2 * DAY <= minute < end for start, end in self.intervals)


def _minutes(value: datetime.datetime) -> int:
    return int((value - BASE).total_seconds() // 60)


def _tracks(rng: random.Random, window_start: int) -> list[Track]:
    """Cases accepted for a ZVH-aanpak whose aanpak ran during the window (currently running, under
    follow-up, closed, or handed over after it)."""
    start_dt = at(window_start)
    first_triage: dict[int, str] = {}
    for case_id, outcome in (
        Triage.objects.filter(outcome__in=ZVH_OUTCOMES, case__status_changed_at__gte=start_dt)
        .order_by("case_id", "decided_at", "id")
        .values_list("case_id", "outcome")
    ):
        first_triage.setdefault(case_id, outcome)
    ids = sorted(first_triage)
    if len(ids) > MAX_CANDIDATES:
        ids = sorted(rng.sample(ids, MAX_CANDIDATES))
    if not ids:
        return []
    changes: dict[int, list[tuple[str, int]]] = defaultdict(list)
    orgs: dict[int, list[int]] = defaultdict(list)
    persons: dict[int, list[tuple[int, str]]] = defaultdict(list)
    cases = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for case_id, to_status, when in (
            CaseStatusChange.objects.filter(case_id__in=part)
            .order_by("case_id", "at", "id")
            .values_list("case_id", "to_status", "at")
        ):
            changes[case_id].append((to_status, _minutes(when)))
        for case_id, org_id in (
            CaseOrganisation.objects.filter(case_id__in=part)
            .order_by("case_id", "id")
            .values_list("case_id", "organisation_id")
        ):
            orgs[case_id].append(org_id)
        for case_id, person_id, role in (
            CasePerson.objects.filter(case_id__in=part)
            .order_by("case_id", "id")
            .values_list("case_id", "person_id", "role")
        ):
            persons[case_id].append((person_id, role))
        for row in Case.objects.filter(pk__in=part).values_list("pk", "theme", "status", "phase", "casusregisseur_id"):
            cases[row[0]] = row
    tracks = []
    for case_id in ids:
        intervals, opened = [], None
        for to_status, minute in changes[case_id]:
            if to_status == CaseStatus.ACTIEF and opened is None:
                opened = minute
            elif to_status != CaseStatus.ACTIEF and opened is not None:
                intervals.append((opened, minute))
                opened = None
        if opened is not None:
            intervals.append((opened, 0))
        intervals = [(s, e) for s, e in intervals if e > window_start]
        if not intervals:
            continue
        _, theme, status, phase, casusregisseur_id = cases[case_id]
        tracks.append(
            Track(
                case_id=case_id,
                code="mda" if first_triage[case_id] == TriageOutcome.ZVH_MDA else "com",
                theme=theme,
                status=status,
                phase=phase or Phase.DIRECTE_VEILIGHEID,
                casusregisseur_id=casusregisseur_id,
                intervals=intervals,
                orgs=orgs[case_id],
                persons=persons[case_id],
                max_discussions=rng.choices(DISCUSSIONS, weights=DISCUSSION_WEIGHTS)[0],
                # Herstelgerichte zorg is reached by getting better: only the others may get worse.
                trend=-1 if rng.random() < 0.15 and phase != Phase.HERSTELGERICHTE_ZORG else 1,
            )
        )
    return tracks


@dataclass
class People:
    org_type: dict[int, str]
    house_org: int
    regisseurs: list[int]
    login_regisseur: int | None
    professionals: dict[int, list[int]]  # organisation id -> users who sit at a table
    casusregisseurs: set[int]
    org_of: dict[int, int]
    users: dict[int, User]


def _people() -> People:
    org_type = dict(Organisation.objects.values_list("pk", "type"))
    house_org = next(pk for pk, t in sorted(org_type.items()) if t == OrganisationType.ZVH)
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in UserRole.objects.values_list("user_id", "role"):
        roles[user_id].add(role)
    users = {u.pk: u for u in User.objects.filter(is_active=True).select_related("organisation").order_by("pk")}
    professionals: dict[int, list[int]] = defaultdict(list)
    regisseurs, casusregisseurs = [], set()
    for pk, user in users.items():
        if user.organisation_id is None:
            continue
        if Role.PROCESREGISSEUR in roles[pk] and user.organisation_id == house_org:
            regisseurs.append(pk)
        if Role.CASUSREGISSEUR in roles[pk]:
            casusregisseurs.add(pk)
        if user.organisation_id != house_org and {Role.PROFESSIONAL, Role.CASUSREGISSEUR} & roles[pk]:
            professionals[user.organisation_id].append(pk)
    login = next((pk for pk, u in users.items() if u.username == "regisseur" and pk in regisseurs), None)
    return People(
        org_type=org_type,
        house_org=house_org,
        regisseurs=regisseurs,
        login_regisseur=login,
        professionals=professionals,
        casusregisseurs=casusregisseurs,
        org_of={pk: u.organisation_id for pk, u in users.items()},
        users=users,
    )


# --- writing ------------------------------------------------------------------------------------------------


class Rows:
    """Instances per model with ids allocated here, written with one bulk_create per model in order."""

    ORDER = (
        Meeting,
        AgendaItem,
        Invitation,
        PreMeetingUpdate,
        CaseDiscussion,
        PhaseChange,
        ScaleScore,
        Plan,
        Bodemeis,
        Action,
    )

    def __init__(self) -> None:
        self.objects: dict[type, list] = {m: [] for m in self.ORDER}
        self._next: dict[type, int] = {}

    def add(self, obj):
        model = type(obj)
        if model not in self._next:
            self._next[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        obj.pk = self._next[model]
        self._next[model] += 1
        self.objects[model].append(obj)
        return obj

    def write(self) -> None:
        for model in self.ORDER:
            model.objects.bulk_create(self.objects[model])


def _reset_sequences() -> None:
    """Ids were given here: move PostgreSQL's sequences past them (a no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [*Rows.ORDER, Verslag])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _schedule(window_start: int, end: int) -> list[tuple[int, str]]:
    """Meeting moments (minutes relative to BASE) of both rhythms in the window, oldest first."""
    moments = []
    for code, weekday, start, every in RHYTHMS:
        day = BASE_DATE - datetime.timedelta(days=1)
        while day.weekday() != weekday:
            day -= datetime.timedelta(days=1)
        while True:
            minute = (day - BASE_DATE).days * DAY + start
            if minute < window_start:
                break
            if minute < end:
                moments.append((minute, code))
            day -= datetime.timedelta(days=every)
    return sorted(moments)


def _phase_path(rng: random.Random, track: Track, k: int) -> list[tuple[str, str]]:
    """(phase discussed, phase decided) for each of k discussions, ending in the case's current phase.
    Most cases move forward; a case getting worse goes back a phase on the way when it can."""
    final = PHASE_ORDER.index(track.phase)
    if track.trend < 0 and final < 2 and k >= 2:
        start = final + 1
        back = rng.randrange(k)
        decided = [start if i < back else final for i in range(k)]
    else:
        start = max(0, final - k) if rng.random() < 0.75 else max(0, final - rng.randint(0, 1))
        steps = set(rng.sample(range(k), final - start))
        decided, level = [], start
        for i in range(k):
            if i in steps:
                level += 1
            decided.append(level)
        decided[-1] = final
    path, current = [], start
    for level in decided:
        path.append((PHASE_ORDER[current], PHASE_ORDER[level]))
        current = level
    return path


def _oordeel(current: str, decided: str) -> str:
    a, b = PHASE_ORDER.index(current), PHASE_ORDER.index(decided)
    return OordeelChoice.STAY if a == b else (OordeelChoice.MOVE_ON if b > a else OordeelChoice.GO_BACK)


def _score_level(kind: str, trend: int, step: int, total: int) -> float:
    """A case's scale score at its step-th discussion: worry falls (quality of life rises) for most cases,
    the other way for a case getting worse."""
    progress = step / max(1, total - 1)
    if kind == ScaleKind.QUALITY_OF_LIFE:
        return 4.5 + 3.0 * progress * trend
    start = 7.5 if kind == ScaleKind.IMMEDIATE_SAFETY else 6.0
    return start - 3.5 * progress * trend


def _clamp(value: float) -> int:
    return max(1, min(10, round(value)))


@dataclass
class DemoMeetings:
    meetings: int
    past: int
    upcoming: int
    discussions: int
    plans: int


@transaction.atomic
def add_demo_meetings(rng: random.Random, *, upcoming: int = 4) -> DemoMeetings:
    """Past meetings on the demo cases and `upcoming` planned ones (see the module docstring)."""
    window_start = -WINDOW_DAYS * DAY
    tracks = _tracks(rng, window_start)
    types = {t.code: t for t in OverlegType.objects.filter(code__in=[r[0] for r in RHYTHMS])}
    people = _people()
    if not tracks or len(types) < len(RHYTHMS) or not people.regisseurs:
        return DemoMeetings(0, 0, 0, 0, 0)
    by_code: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        by_code[track.code].append(track)

    # 1. The agendas of the past meetings: new cases first, then follow-up cases that are due.
    agendas: list[tuple[int, str, list[tuple[Track, str, bool]]]] = []
    for minute, code in _schedule(window_start, 0):
        running = [t for t in by_code[code] if t.active_at(minute)]
        new = [
            t
            for t in running
            if not t.discussed and minute - max(min(s for s, _ in t.intervals), window_start) <= FIRST_WITHIN_DAYS * DAY
        ]
        due = [t for t in running if t.discussed and t.next_due <= minute and len(t.discussed) < t.max_discussions]
        due.sort(key=lambda t: (t.next_due, t.case_id))
        # Room for the cases being followed: one to three new cases, the rest follow-up, new ones fill up.
        size, quota = rng.randint(4, 8), rng.randint(1, 3)
        follow = due[: size - min(quota, len(new))]
        chosen = [(t, AgendaKind.NEW) for t in new[: size - len(follow)]]
        chosen += [(t, AgendaKind.FOLLOW_UP) for t in follow]
        if not chosen:
            continue
        items = []
        for track, kind in chosen:
            deferred = rng.random() < 0.05
            items.append((track, kind, deferred))
            if deferred:
                track.next_due = minute + 1  # on the next agenda again; a new case stays new
                continue
            track.discussed.append((len(agendas), minute))
            track.next_due = minute + rng.randint(4, 10) * 7 * DAY
        agendas.append((minute, code, items))

    # 2. Phase paths and plan moments per discussed case, now that its number of discussions is known.
    paths: dict[int, list[tuple[str, str]]] = {}
    for track in tracks:
        if track.discussed:
            paths[track.case_id] = _phase_path(rng, track, len(track.discussed))

    rows = Rows()
    chairs = [u for u in people.regisseurs if u != people.login_regisseur] or people.regisseurs
    counters = {"discussions": 0, "plans": 0}
    last_discussion: dict[int, CaseDiscussion] = {}
    last_plan: dict[int, Plan] = {}
    plan_actions: dict[int, list[Action]] = {}
    past_meetings: list[Meeting] = []
    for index, (minute, code, items) in enumerate(agendas):
        chair = people.login_regisseur if code == "mda" and people.login_regisseur else rng.choice(chairs)
        starts = at(minute)
        latest = index == len(agendas) - 1
        meeting = rows.add(
            Meeting(
                overleg_type=types[code],
                starts_at=starts,
                place=PLACES[code],
                chair_id=chair,
                status=MeetingStatus.HELD if latest else MeetingStatus.CLOSED,
                privacy_reminder_given=True,
                privacy_reminder_text=DEFAULT_PRIVACY_REMINDER,
                privacy_reminder_at=starts,
                invitation_text=types[code].invitation_text,
                invitations_sent_at=at(minute - 8 * DAY),
                created_by_id=chair,
                created_at=at(minute - 21 * DAY),
            )
        )
        past_meetings.append(meeting)
        agenda_items = _agenda(rows, meeting, items, chair, minute)
        invitations = _invite(rng, rows, people, meeting, agenda_items, chair, minute, past=True)
        for n, (item, (track, _kind, deferred)) in enumerate(zip(agenda_items, items, strict=True)):
            if deferred:
                continue
            step = next(i for i, (m, _) in enumerate(track.discussed) if m == index)
            moment = minute + 45 * n + 30
            # Whole-meeting invitees speak only to the cases of their own organisation.
            at_table = [
                inv
                for inv in invitations.get(item.pk, [])
                if inv.attendance == Attendance.PRESENT and inv.organisation_id in track.orgs
            ]
            _updates(rng, rows, item, at_table, minute)
            _discuss(
                rng, rows, people, track, item, chair, moment, step, paths[track.case_id], at_table, last_discussion
            )
            counters["discussions"] += 1
            if step == 0 or step == len(track.discussed) - 1 or rng.random() < 0.3:
                nxt = track.discussed[step + 1][1] if step + 1 < len(track.discussed) else None
                _plan(rng, rows, people, track, meeting, chair, moment + 20, nxt, at_table, last_plan, plan_actions)
                counters["plans"] += 1
    _finish_actions(rng, people, plan_actions)

    # 3. Upcoming meetings: dates follow the clock, so they lie ahead of whoever opens the demo.
    planned = _upcoming(rng, rows, people, types, tracks, chairs, upcoming)
    _appoint_casusregisseurs(rows)
    rows.write()
    # The one plan-quality rule, stored on every published plan as publication would (issue 12, item 3).
    plan_quality_store(
        Plan.objects.filter(published_at__isnull=False).prefetch_related("bodemeisen", "actions").order_by("pk")
    )
    _verslagen(rows, people, tracks, past_meetings)
    _reset_sequences()
    return DemoMeetings(
        meetings=len(past_meetings) + planned,
        past=len(past_meetings),
        upcoming=planned,
        discussions=counters["discussions"],
        plans=counters["plans"],
    )


def _agenda(rows: Rows, meeting: Meeting, items, chair: int, minute: int) -> list[AgendaItem]:
    out = []
    reasons = [DeferReason.MISSING_INFO, DeferReason.MISSING_PERSON]
    for order, (track, kind, deferred) in enumerate(items, start=1):
        reason = reasons[track.case_id % 2] if deferred else ""
        item = rows.add(
            AgendaItem(
                meeting=meeting,
                case_id=track.case_id,
                order=order,
                kind=kind,
                deferred=deferred,
                defer_reason=reason,
                defer_note="Doorgeschoven naar het volgende overleg." if deferred else "",
                added_by_id=chair,
                added_at=at(minute - 10 * DAY),
            )
        )
        # Kept on the instance while building only: the case's track and its client invitation.
        item.demo_track, item.demo_client, item.client_present = track, None, False
        out.append(item)
    return out


def _person_for(rng: random.Random, people: People, track: Track, org_id: int) -> int | None:
    """The same professional of an organisation comes back for a case: the one who knows the client."""
    if org_id not in track.people:
        if track.casusregisseur_id and people.org_of.get(track.casusregisseur_id) == org_id:
            track.people[org_id] = track.casusregisseur_id
        elif people.professionals.get(org_id):
            track.people[org_id] = rng.choice(people.professionals[org_id])
        else:
            return None
    return track.people[org_id]


def _invite(rng, rows: Rows, people: People, meeting: Meeting, items, chair: int, minute: int, *, past: bool):
    """Named professionals per case (3-5 of the organisations in the case), invited for their one case or,
    when they take part in several, for the whole meeting; clients for some cases. Returns per agenda item
    the professional invitations that cover it."""
    wanted: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in items:
        track = item.demo_track
        orgs = [o for o in track.orgs if people.org_type.get(o) != OrganisationType.ZVH]
        for org_id in orgs[: rng.randint(3, 5)]:
            user = _person_for(rng, people, track, org_id)
            if user is not None and item not in wanted[user]:
                wanted[user].append(item)
    sent = at(minute - 8 * DAY) if past else None
    invitations: dict[int, list[Invitation]] = defaultdict(list)
    om_invites = []
    substitutes: set[int] = set()
    for user, its in wanted.items():
        attendance = Attendance.UNKNOWN
        if past:
            r = rng.random()
            attendance = Attendance.PRESENT if r < 0.86 else (Attendance.EXCUSED if r < 0.96 else Attendance.ABSENT)
        inv = rows.add(
            Invitation(
                meeting=meeting,
                agenda_item=its[0] if len(its) == 1 else None,
                user_id=user,
                organisation_id=people.org_of[user],
                attendance=attendance,
                invited_by_id=chair,
                invited_at=at(minute - 12 * DAY) if past else timezone.now() - datetime.timedelta(days=3),
                email_sent_at=sent,
            )
        )
        if people.org_type.get(people.org_of[user]) == OrganisationType.OM:
            om_invites.append(inv)
        for item in its:
            invitations[item.pk].append(inv)
        if attendance == Attendance.EXCUSED and rng.random() < 0.4:
            # Attendance is not optional: who cannot come sends a colleague who knows the case (SPEC §4.2).
            colleagues = [
                u
                for u in people.professionals.get(people.org_of[user], [])
                if u != user and u not in wanted and u not in substitutes
            ]
            if colleagues:
                colleague = rng.choice(colleagues)
                substitutes.add(colleague)
                sub = rows.add(
                    Invitation(
                        meeting=meeting,
                        agenda_item=inv.agenda_item,
                        user_id=colleague,
                        organisation_id=people.org_of[user],
                        substitute_for_id=user,
                        attendance=Attendance.PRESENT,
                        invited_by_id=chair,
                        invited_at=at(minute - 2 * DAY),
                        email_sent_at=at(minute - 2 * DAY),
                    )
                )
                for item in its:
                    invitations[item.pk].append(sub)
    # Clients for some cases ("ja, tenzij", SPEC §4.5), with the OM in its own part when it is there.
    for item in items:
        track = item.demo_track
        # Clients take part more often as the house gets used to "ja, tenzij": a quarter at first, later most.
        share = 0.25 + 0.45 * min(1.0, max(0.0, 1 + minute / (WINDOW_DAYS * DAY))) if past else 0.6
        if item.deferred or rng.random() >= share:
            continue
        clients = [p for p, role in track.persons if role in CLIENT_ROLES][:1]
        pros = [
            inv for inv in invitations[item.pk] if inv.substitute_for_id is None and inv.organisation_id in track.orgs
        ]
        if not clients or not pros:
            continue
        helper = next((inv.user_id for inv in pros if inv.user_id == track.casusregisseur_id), pros[0].user_id)
        online = rng.random() < 0.2
        present = rng.random() < 0.75
        item.demo_client = rows.add(
            Invitation(
                meeting=meeting,
                agenda_item=item,
                is_client=True,
                person_id=clients[0],
                session_part=SessionPart.CLIENTS,
                attendance=(Attendance.PRESENT if present else Attendance.ABSENT) if past else Attendance.UNKNOWN,
                attend_mode=AttendMode.ONLINE if online else AttendMode.IN_PERSON,
                accompanied_by_id=helper if online else None,
                preparation_by_id=helper,
                preparation_done=past or rng.random() < 0.5,
                client_wishes=rng.choice(CLIENT_WISHES),
                debrief_by_id=helper,
                debrief_done=past,
                invited_by_id=chair,
                invited_at=at(minute - 12 * DAY) if past else timezone.now() - datetime.timedelta(days=3),
            )
        )
        item.client_present = past and present
        if any(inv in om_invites for inv in invitations[item.pk]):
            item.split_session = True
            for inv in om_invites:
                if inv in invitations[item.pk]:
                    inv.session_part = SessionPart.PROFESSIONALS
    return invitations


def _updates(rng, rows: Rows, item: AgendaItem, at_table: list[Invitation], minute: int) -> None:
    """One or two pre-meeting updates by professionals at the table (002:L4170)."""
    authors = sorted({inv.user_id for inv in at_table})
    for user in rng.sample(authors, min(len(authors), rng.randint(0, 2))):
        situation, worries, changed = rng.choice(UPDATES)
        org = next(inv.organisation_id for inv in at_table if inv.user_id == user)
        rows.add(
            PreMeetingUpdate(
                agenda_item=item,
                current_situation=situation,
                worries=worries,
                what_changed=changed,
                supplied_by_org_id=org,
                created_by_id=user,
                created_at=at(minute - rng.randint(1, 3) * DAY - rng.randint(60, 480)),
            )
        )


def _discuss(rng, rows, people, track, item, chair, moment, step, path, at_table, last_discussion):
    phase, decided = path[step]
    choice = _oordeel(phase, decided)
    family = track.family
    previous = last_discussion.get(track.case_id)
    kids = sum(1 for _, role in track.persons if role == PersonRole.KIND)
    picture = rng.choice(PICTURE[family]).format(kinderen=f"{kids} kinderen" if kids != 1 else "één kind")
    if previous is not None:
        picture = previous.family_picture  # carried forward, never retyped (002:L3641-3945)
    first, worst, latest = rng.choice(INCIDENTS) if family else ("", "", "")
    note = OORDEEL_NOTES[choice]
    if choice == OordeelChoice.MOVE_ON and decided == Phase.HERSTELGERICHTE_ZORG:
        note = MOVE_TO_RECOVERY
    closing = (
        step == len(path) - 1
        and decided == Phase.HERSTELGERICHTE_ZORG
        and track.status in (CaseStatus.VOLGEN, CaseStatus.AFGESLOTEN)
    )
    risks = [
        {"text": text, "stability": stability, "level": level, "top": i < 3}
        for i, (text, stability, level) in enumerate(rng.sample(RISKS, 4))
    ]
    discussion = rows.add(
        CaseDiscussion(
            agenda_item=item,
            case_id=track.case_id,
            carried_from=previous,
            phase=phase,
            parts=all_part_codes(phase),
            family_picture=picture,
            help_involved="Betrokken: "
            + ", ".join(sorted({OrganisationType(people.org_type[o]).label for o in track.orgs}))
            + ".",
            worries=rng.choice(WORRIES[family]),
            incident_first=first if phase == Phase.DIRECTE_VEILIGHEID else "",
            incident_worst=worst if phase == Phase.DIRECTE_VEILIGHEID else "",
            incident_latest=latest if phase == Phase.DIRECTE_VEILIGHEID else "",
            strengths=rng.choice(STRENGTHS),
            risks=risks if phase != Phase.DIRECTE_VEILIGHEID else [],
            recovery_points=rng.sample(RECOVERY, 3) if phase == Phase.HERSTELGERICHTE_ZORG else [],
            unknowns=rng.choice(UNKNOWNS),
            right_people_at_table=True if len(at_table) >= 2 else None,
            oordeel=choice,
            oordeel_note=note,
            safe_when=rng.choice(SAFE_WHEN),
            keep_informed="De casusregisseur mailt wekelijks een korte stand van zaken aan de partners.",
            afsluitingsplan="Bij nieuwe zorgen meldt een partner de casus opnieuw aan bij het huis; de wijkagent "
            "blijft aanspreekpunt."
            if closing
            else "",
            supplied_by_org_id=people.house_org,
            created_by_id=chair,
            created_at=at(moment),
            updated_at=at(moment + 40),
        )
    )
    last_discussion[track.case_id] = discussion
    if step == 0:
        rows.add(
            PhaseChange(
                case_id=track.case_id,
                discussion=discussion,
                from_phase="",
                to_phase=phase,
                actor_id=chair,
                at=at(moment + 30),
                reason="Start van de ZVH-aanpak.",
            )
        )
    if decided != phase:
        rows.add(
            PhaseChange(
                case_id=track.case_id,
                discussion=discussion,
                from_phase=phase,
                to_phase=decided,
                actor_id=chair,
                at=at(moment + 31),
                reason=note,
            )
        )
    kind = PHASE_SCALE[phase]
    level = _score_level(kind, track.trend, step, len(path))
    # Every professional at the table answers the scale question; with nobody there, the chair does.
    scorers = [(inv.user_id, inv.organisation_id) for inv in at_table] or [(chair, people.house_org)]
    for user_id, org_id in scorers:
        rows.add(
            ScaleScore(
                discussion=discussion,
                kind=kind,
                participant_id=user_id,
                score=_clamp(level + rng.choice((-1, 0, 0, 1))),
                rationale=rng.choice(RATIONALES[kind]),
                supplied_by_org_id=org_id,
                created_by_id=chair,
                created_at=at(moment + 25),
            )
        )
    client = item.demo_client
    if client is not None and item.client_present:
        rows.add(
            ScaleScore(
                discussion=discussion,
                kind=kind,
                is_client=True,
                person_id=client.person_id,
                score=_clamp(level + rng.choice((-2, -1, 0, 1))),
                rationale=rng.choice(CLIENT_RATIONALE),
                supplied_by_org_id=people.house_org,
                created_by_id=chair,
                created_at=at(moment + 26),
            )
        )
    return discussion


def _plan(rng, rows, people, track, meeting, chair, moment, next_minute, at_table, last_plan, plan_actions):
    """A published plan version: the first one with a joint goal, casusregisseur, bodemeisen and actions;
    later ones carry the open actions forward (each remembering where it came from) and add new ones."""
    previous = last_plan.get(track.case_id)
    owners = sorted({inv.user_id for inv in at_table if people.org_of.get(inv.user_id) in track.orgs})
    if not owners:
        owners = sorted(track.people.values())
    day = at(moment).date()
    if next_minute is None:
        next_date = day + datetime.timedelta(weeks=rng.randint(4, 8))
    else:
        next_date = at(next_minute).date()
    casusregisseur = track.casusregisseur_id
    if casusregisseur is None:
        candidates = [u for u in owners if u in people.casusregisseurs]
        casusregisseur = candidates[0] if candidates else None
        if casusregisseur is not None and rng.random() < 0.85:
            track.casusregisseur_id = casusregisseur
        else:
            casusregisseur = None
    family = track.family
    plan = rows.add(
        Plan(
            case_id=track.case_id,
            number=previous.number + 1 if previous else 1,
            based_on=previous,
            meeting=meeting,
            published_at=at(moment),
            published_by_id=chair,
            goals=GOALS[family],
            casusregisseur_id=casusregisseur,
            casusregie_subtasks="Contact met het gezin, bewaken van de afspraken, terugkoppeling aan de partners."
            if casusregisseur
            else "",
            casusregie_from=previous.casusregie_from if previous else day,
            casusregie_until=(previous.casusregie_until if previous else day + datetime.timedelta(days=182)),
            casusregie_exclusions="Strafrechtelijke afdoening (OM)." if casusregisseur else "",
            next_meeting_date=next_date,
            family_worries="We maken ons zorgen over de ruzies thuis en over geld."
            if family
            else "We maken ons zorgen over uw gezondheid en over nieuwe problemen met de politie.",
            family_going_well="U houdt zich aan de afspraken en zoekt zelf hulp.",
            supplied_by_org_id=people.house_org,
            created_by_id=chair,
            created_at=at(moment - 15),
            updated_at=at(moment - 1),
            version=2,
        )
    )
    last_plan[track.case_id] = plan
    texts = BODEMEISEN[family]
    for order, text in enumerate(texts[: 1 + (track.case_id % 2)], start=1):
        rows.add(
            Bodemeis(
                plan=plan,
                text=text,
                guard_id=owners[(track.case_id + order) % len(owners)] if owners else None,
                if_broken=IF_BROKEN[order % 2],
                audience=Audience.FAMILY,
                order=order,
            )
        )
    actions = []
    order = 0
    for old in plan_actions.get(track.case_id, []):
        _settle(rng, people, old, moment)
        if old.status != ActionStatus.OPEN:
            continue
        order += 1
        actions.append(
            rows.add(
                Action(
                    plan=plan,
                    case_id=track.case_id,
                    owner_id=old.owner_id,
                    organisation_id=old.organisation_id,
                    what=old.what,
                    deadline=old.deadline,
                    type=old.type,
                    audience=old.audience,
                    rationale=old.rationale,
                    term=old.term,
                    carried_from=old,
                    meeting_count=old.meeting_count + 1,
                    order=order,
                )
            )
        )
    for _ in range(rng.randint(2, 4) if previous is None else rng.randint(1, 2)):
        kind = rng.choices(list(ACTION_WEIGHTS), weights=list(ACTION_WEIGHTS.values()))[0]
        owner = rng.choice(owners) if owners and rng.random() < 0.95 else None
        order += 1
        long_term = rng.random() < 0.25
        actions.append(
            rows.add(
                Action(
                    plan=plan,
                    case_id=track.case_id,
                    owner_id=owner,
                    organisation_id=people.org_of.get(owner) if owner else None,
                    what=rng.choice(ACTIONS[kind]),
                    plain_text="",
                    deadline=day + datetime.timedelta(weeks=rng.randint(8, 16) if long_term else rng.randint(1, 6))
                    if rng.random() < 0.92
                    else None,
                    type=kind,
                    audience=default_audience(kind),
                    rationale=rng.choice(ACTION_RATIONALES) if rng.random() < 0.3 else "",
                    term=Term.LONG if long_term else Term.SHORT,
                    order=order,
                )
            )
        )
    plan_actions[track.case_id] = actions


def _settle(rng, people: People, action: Action, minute: int) -> None:
    """What the owner reported on an action by `minute`: mostly done once its deadline passed."""
    if action.status != ActionStatus.OPEN or action.deadline is None or action.owner_id is None:
        return
    moment = at(minute)
    if action.deadline >= moment.date():
        return
    r = rng.random()
    if r < 0.72:
        action.status = ActionStatus.GEDAAN
    elif r < 0.82:
        action.status, action.outcome_note = ActionStatus.NIET_GEDAAN, NOT_DONE_NOTE
    else:
        return
    # Reported a few days before the deadline or just after it; `done_at` only for done actions (the monitor
    # compares it with the deadline).
    done = datetime.datetime.combine(
        action.deadline + datetime.timedelta(days=rng.randint(-10, 4)), datetime.time(16, 0), tzinfo=AMS
    )
    action.updated_at, action.updated_by_id = min(done, moment), action.owner_id
    if action.status == ActionStatus.GEDAAN and hasattr(action, "done_at"):
        action.done_at = action.updated_at


def _finish_actions(rng, people: People, plan_actions: dict) -> None:
    """Actions of each case's current plan as their owners reported them until the demo's day."""
    for case_id in sorted(plan_actions):
        for action in plan_actions[case_id]:
            _settle(rng, people, action, 0)


def _upcoming(rng, rows: Rows, people: People, types, tracks: list[Track], chairs: list[int], count: int) -> int:
    """Planned meetings in the coming weeks with their agenda: running cases not yet discussed first, then
    follow-up cases by their rappel date. The first two have had their invitation e-mail."""
    today = max(timezone.localdate(), BASE_DATE)
    running = [t for t in tracks if t.status == CaseStatus.ACTIEF]
    taken: set[int] = set()
    made = 0
    for n in range(count):
        code = RHYTHMS[n % 2][0]
        weekday, start = RHYTHMS[n % 2][1], RHYTHMS[n % 2][2]
        day = today + datetime.timedelta(days=1 + 7 * (n // 2) * (2 if code == "com" else 3))
        while day.weekday() != weekday:
            day += datetime.timedelta(days=1)
        starts = datetime.datetime.combine(day, datetime.time(start // 60, start % 60), tzinfo=AMS)
        pool = [t for t in running if t.code == code and t.case_id not in taken]
        new = [t for t in pool if not t.discussed]
        due = sorted((t for t in pool if t.discussed), key=lambda t: (t.next_due, t.case_id))
        size = rng.randint(4, 6)
        chosen = [(t, AgendaKind.NEW) for t in new[: min(3, size)]]
        chosen += [(t, AgendaKind.FOLLOW_UP) for t in due[: size - len(chosen)]]
        if not chosen:
            continue
        chair = people.login_regisseur if code == "mda" and people.login_regisseur else rng.choice(chairs)
        sent = n < 2
        now = timezone.now()
        meeting = rows.add(
            Meeting(
                overleg_type=types[code],
                starts_at=starts,
                place=PLACES[code],
                video_link="https://vergaderen.zvhgooi.example/mda" if code == "mda" else "",
                chair_id=chair,
                status=MeetingStatus.PLANNED,
                invitation_text=types[code].invitation_text,
                invitations_sent_at=now - datetime.timedelta(days=1) if sent else None,
                created_by_id=chair,
                created_at=now - datetime.timedelta(days=7),
            )
        )
        minute = _minutes(starts)
        items = [(t, kind, False) for t, kind in chosen]
        taken.update(t.case_id for t, _ in chosen)
        agenda_items = _agenda(rows, meeting, items, chair, minute)
        for item in agenda_items:
            item.added_at = min(item.added_at, now - datetime.timedelta(days=5))
        invitations = _invite(rng, rows, people, meeting, agenda_items, chair, minute, past=False)
        seen = set()
        for invs in invitations.values():
            for inv in invs:
                if id(inv) in seen:
                    continue
                seen.add(id(inv))
                inv.invited_at = now - datetime.timedelta(days=3)
                inv.email_sent_at = now - datetime.timedelta(days=1) if sent else None
        made += 1
    return made


def _appoint_casusregisseurs(rows: Rows) -> None:
    """One family, one plan, one regisseur (002:L2023): a case whose plan appointed a casusregisseur shows
    that person, as plan_publish does."""
    latest: dict[int, int] = {}
    for plan in rows.objects[Plan]:
        if plan.casusregisseur_id:
            latest[plan.case_id] = plan.casusregisseur_id
    cases = list(Case.objects.filter(pk__in=sorted(latest), casusregisseur__isnull=True).only("pk", "casusregisseur"))
    for case in cases:
        case.casusregisseur_id = latest[case.pk]
    Case.objects.bulk_update(cases, ["casusregisseur"])


def _verslagen(rows: Rows, people: People, tracks: list[Track], meetings: list[Meeting]) -> None:
    """The verslag of every held meeting, with exactly the snapshot verslag_generate would build from the
    structured data (a test holds the two together), but from the rows in memory: building it through the
    database took longer than the rest of the meetings together. Approved by the chair two days later, except
    for the latest meeting."""
    from tafel.meetings.services.verslag import _name, _narrative, section_snapshot

    roles = {(t.case_id, p): PersonRole(role).label for t in tracks for p, role in t.persons}
    references = dict(
        Case.objects.filter(pk__in=sorted({i.case_id for i in rows.objects[AgendaItem]})).values_list("pk", "reference")
    )
    clients = [i for i in rows.objects[Invitation] if i.is_client]
    names = {p.pk: p for p in Person.objects.filter(pk__in=sorted({i.person_id for i in clients}))}
    orgs = {o.pk: o for o in Organisation.objects.all()}
    items_of, invitations_of, discussion_of, plans_of = defaultdict(list), defaultdict(list), {}, {}
    for item in rows.objects[AgendaItem]:
        items_of[item.meeting.pk].append(item)
    for inv in rows.objects[Invitation]:
        inv.user = people.users.get(inv.user_id) if inv.user_id else None
        inv.substitute_for = people.users.get(inv.substitute_for_id) if inv.substitute_for_id else None
        inv.organisation = orgs.get(inv.organisation_id) if inv.organisation_id else None
        inv.person = names.get(inv.person_id) if inv.person_id else None
        invitations_of[inv.meeting.pk].append(inv)
    scores_of = defaultdict(list)
    for score in rows.objects[ScaleScore]:
        score.participant = people.users.get(score.participant_id) if score.participant_id else None
        score.supplied_by_org = orgs[score.supplied_by_org_id]
        score.person = names.get(score.person_id) if score.person_id else None
        scores_of[score.discussion.pk].append(score)
    for discussion in rows.objects[CaseDiscussion]:
        discussion_of[discussion.agenda_item.pk] = discussion
    bodemeisen_of, actions_of = defaultdict(list), defaultdict(list)
    for b in rows.objects[Bodemeis]:
        b.guard = people.users.get(b.guard_id) if b.guard_id else None
        bodemeisen_of[b.plan.pk].append(b)
    for a in rows.objects[Action]:
        a.owner = people.users.get(a.owner_id) if a.owner_id else None
        a.organisation = orgs.get(a.organisation_id) if a.organisation_id else None
        actions_of[a.plan.pk].append(a)
    for plan in rows.objects[Plan]:
        plan.casusregisseur = people.users.get(plan.casusregisseur_id) if plan.casusregisseur_id else None
        plan._prefetched_objects_cache = {"bodemeisen": bodemeisen_of[plan.pk], "actions": actions_of[plan.pk]}
        if plan.meeting is not None:
            plans_of.setdefault(plan.meeting.pk, {})[plan.case_id] = plan  # versions come in order: latest wins

    verslagen, sections = [], []
    next_id = (Verslag.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    for meeting in meetings:
        invitations = sorted(invitations_of[meeting.pk], key=lambda i: (i.is_client, i.pk))
        general = {
            "meeting": meeting.pk,
            "type": meeting.overleg_type.name,
            "starts_at": nl_datetime(meeting.starts_at),
            "place": meeting.place,
            "video_link": meeting.video_link,
            "chair": _name(people.users[meeting.chair_id]),
            "privacy_reminder_given": meeting.privacy_reminder_given,
            "privacy_reminder_text": meeting.privacy_reminder_text,
            "attendance": [
                {
                    "name": _name(inv.user),
                    "organisation": inv.organisation.name if inv.organisation else "",
                    "attendance": Attendance(inv.attendance).label,
                    "substitute_for": _name(inv.substitute_for),
                    "session_part": inv.get_session_part_display(),
                    "case": inv.agenda_item.case_id if inv.agenda_item is not None else None,
                }
                for inv in invitations
                if not inv.is_client
            ],
        }
        approved = meeting.status == MeetingStatus.CLOSED
        verslag = Verslag(
            pk=next_id + len(verslagen),
            meeting=meeting,
            snapshot=general,
            generated_by_id=meeting.chair_id,
            generated_at=meeting.starts_at + datetime.timedelta(hours=4),
            approved_by_id=meeting.chair_id if approved else None,
            approved_at=meeting.starts_at + datetime.timedelta(days=2) if approved else None,
        )
        verslagen.append(verslag)
        plans = plans_of.get(meeting.pk, {})
        for order, item in enumerate(sorted(items_of[meeting.pk], key=lambda i: (i.order, i.pk)), start=1):
            d = discussion_of.get(item.pk)
            scores = sorted(scores_of[d.pk], key=lambda s: (s.is_client, s.pk)) if d else []
            snapshot = section_snapshot(
                item,
                d,
                scores,
                reference=references[item.case_id],
                clients=[inv for inv in invitations if inv.is_client and inv.agenda_item is item],
                roles=roles,
                plan=plans.get(item.case_id),
            )
            sections.append(
                VerslagSection(
                    verslag=verslag,
                    agenda_item=item,
                    case_id=item.case_id,
                    snapshot=snapshot,
                    generated_text=_narrative(d) if not item.deferred else "",
                    order=order,
                )
            )
    Verslag.objects.bulk_create(verslagen)
    VerslagSection.objects.bulk_create(sections)
