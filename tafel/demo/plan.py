"""The plan of every demo case before any row is built: theme, route, municipality, urgency and the dated
path of status changes. Only transitions of cases.services.ALLOWED_TRANSITIONS are used.

Moments are whole minutes relative to BASE (midnight 1 November 2026, Amsterdam), so the plan is cheap
to build and sort for 100,000 cases; `at()` turns them into aware datetimes.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tafel.cases.models import CaseStatus, EntryRoute, LokaalReason, Theme, TriageOutcome, Urgency

from .data import (
    COVERAGE,
    HILVERSUM,
    LAREN,
    LOKAAL_WEIGHTS,
    MUNICIPALITIES,
    ROUTE_BY_THEME,
    STATUS_WEIGHTS,
    THEME_WEIGHTS,
    URGENCY_WEIGHTS,
)

AMS = ZoneInfo("Europe/Amsterdam")
# Every generated moment lies before this one.
BASE_DATE = datetime.date(2026, 11, 1)
BASE = datetime.datetime(BASE_DATE.year, BASE_DATE.month, BASE_DATE.day, tzinfo=AMS)
DAY = 1440  # minutes
ZVH = (TriageOutcome.ZVH_COM, TriageOutcome.ZVH_MDA)

OUTCOME_STATUS = {
    TriageOutcome.ZVH_COM: CaseStatus.ACTIEF,
    TriageOutcome.ZVH_MDA: CaseStatus.ACTIEF,
    TriageOutcome.LOKAAL: CaseStatus.LOKAAL,
    TriageOutcome.RIEC: CaseStatus.RIEC,
    TriageOutcome.NIET_GEACCEPTEERD: CaseStatus.NIET_GEACCEPTEERD,
    TriageOutcome.VERRIJKEN: CaseStatus.VERRIJKEN,
}


def at(minute: int) -> datetime.datetime:
    """Minutes relative to BASE (negative: before it) as an aware Amsterdam datetime. Python adds timedeltas
    to aware datetimes in wall-clock time, so minute % DAY is the local time of day."""
    return BASE + datetime.timedelta(minutes=minute)


def moment(y: int, m: int, d: int, hh: int, mm: int) -> int:
    """A fixed Amsterdam wall-clock moment as minutes relative to BASE."""
    return (datetime.date(y, m, d) - BASE_DATE).days * DAY + hh * 60 + mm


def weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


@dataclass(slots=True)
class Step:
    to_status: str
    kind: str  # create, triage, info, volgen, close, afschaling, opschaling, reopen
    minute: int
    outcome: str = ""  # the triage outcome, for kind == "triage"
    lokaal_reason: str = ""


@dataclass(slots=True)
class Plan:
    theme: str
    route: str
    muni: int  # index into MUNICIPALITIES
    urgency: str
    steps: list[Step]
    known: str = ""  # key of a well-known case (see KNOWN_CASES in the command's help)
    reference: str = ""

    @property
    def status(self) -> str:
        return self.steps[-1].to_status

    @property
    def created(self) -> int:
        return self.steps[0].minute

    @property
    def end(self) -> int:
        return self.steps[-1].minute


class _Clock:
    """Increasing moments in office hours, relative to the first one; shifted before BASE afterwards."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.t = rng.randint(510, 1020)

    def after(self, days: float) -> int:
        d = int(days)
        if d <= 0:
            self.t += self.rng.randint(20, 180)
        else:
            self.t = (self.t // DAY + d) * DAY + self.rng.randint(510, 1020)
        return self.t


def _steps(rng: random.Random, status: str, theme: str, urgency: str) -> list[Step]:
    """A status path ending in `status` with realistic gaps (SPEC §8: first to last meeting 18-577 days,
    mean ~218; the triage within days, faster when urgent)."""
    c = _Clock(rng)
    steps = [Step(CaseStatus.AANGEMELD, "create", c.t)]
    first_gap = rng.randint(0, 2) if urgency == Urgency.ACUUT else rng.randint(2, 21)

    def gap() -> int:
        return first_gap if len(steps) == 1 else rng.randint(1, 14)

    def triage(outcome: str, reason: str = "") -> None:
        steps.append(Step(OUTCOME_STATUS[outcome], "triage", c.after(gap()), outcome, reason))

    def enrich(final: bool = False) -> None:
        triage(TriageOutcome.VERRIJKEN)
        if not final:
            steps.append(Step(CaseStatus.AANGEMELD, "info", c.after(rng.randint(3, 30))))

    def zvh() -> None:
        mda = theme == Theme.HUISELIJK_GEWELD and rng.random() < 0.45
        triage(TriageOutcome.ZVH_MDA if mda else TriageOutcome.ZVH_COM)

    def then(to_status: str, kind: str, days: float) -> None:
        steps.append(Step(to_status, kind, c.after(days)))

    if status == CaseStatus.AANGEMELD:
        if rng.random() < 0.2:
            enrich()
    elif status == CaseStatus.VERRIJKEN:
        if rng.random() < 0.1:
            enrich()
        enrich(final=True)
    else:
        if rng.random() < 0.12:
            enrich()
        if status == CaseStatus.ACTIEF:
            zvh()
            if rng.random() < 0.06:
                then(CaseStatus.VOLGEN, "volgen", rng.triangular(18, 577, 100))
                then(CaseStatus.ACTIEF, "reopen", rng.randint(30, 300))
        elif status == CaseStatus.LOKAAL:
            if rng.random() < 0.2:
                zvh()
                then(CaseStatus.LOKAAL, "afschaling", rng.randint(30, 300))
            else:
                triage(TriageOutcome.LOKAAL, weighted(rng, LOKAAL_WEIGHTS))
        elif status == CaseStatus.RIEC:
            if rng.random() < 0.3:
                zvh()
                then(CaseStatus.RIEC, "opschaling", rng.randint(14, 200))
            else:
                triage(TriageOutcome.RIEC)
        elif status == CaseStatus.NIET_GEACCEPTEERD:
            triage(TriageOutcome.NIET_GEACCEPTEERD)
        elif status == CaseStatus.VOLGEN:
            zvh()
            then(CaseStatus.VOLGEN, "volgen", rng.triangular(18, 577, 100))
        else:  # afgesloten
            zvh()
            if rng.random() < 0.55:
                then(CaseStatus.VOLGEN, "volgen", rng.triangular(18, 577, 100))
                then(CaseStatus.AFGESLOTEN, "close", rng.randint(90, 365))
            else:
                then(CaseStatus.AFGESLOTEN, "close", rng.triangular(30, 577, 150))
    # Days spent in the final status until BASE: a short queue for intake, years for closed cases.
    extra = {
        CaseStatus.AANGEMELD: rng.randint(0, 3 if urgency == Urgency.ACUUT else 20),
        CaseStatus.VERRIJKEN: rng.randint(0, 40),
        CaseStatus.ACTIEF: rng.randint(0, 250),
        CaseStatus.VOLGEN: rng.randint(0, 300),
    }.get(status, rng.randint(0, 1800))
    shift = -(steps[-1].minute // DAY + extra + 1) * DAY
    for s in steps:
        s.minute += shift
    return steps


def known_plans() -> list[Plan]:
    """The well-known cases that demos and browser tests rely on (documented in `manage.py demo --help`)."""
    hg = Theme.HUISELIJK_GEWELD
    return [
        Plan(
            hg,
            EntryRoute.POLITIE_VT,
            HILVERSUM,
            Urgency.HOOG,
            [
                Step(CaseStatus.AANGEMELD, "create", moment(2023, 2, 6, 10, 12)),
                Step(CaseStatus.ACTIEF, "triage", moment(2023, 2, 14, 14, 30), TriageOutcome.ZVH_MDA),
                Step(CaseStatus.VOLGEN, "volgen", moment(2023, 9, 19, 11, 5)),
                Step(CaseStatus.AFGESLOTEN, "close", moment(2024, 3, 26, 16, 40)),
            ],
            known="jansen_old",
        ),
        Plan(
            hg,
            EntryRoute.VEILIG_THUIS,
            HILVERSUM,
            Urgency.HOOG,
            [
                Step(CaseStatus.AANGEMELD, "create", moment(2026, 8, 17, 9, 40)),
                Step(CaseStatus.ACTIEF, "triage", moment(2026, 8, 24, 11, 0), TriageOutcome.ZVH_MDA),
            ],
            known="jansen",
        ),
        Plan(
            Theme.VEELPLEGER,
            EntryRoute.VELD,
            MUNICIPALITIES.index(next(m for m in MUNICIPALITIES if m[0] == "Huizen")),
            Urgency.NORMAAL,
            [Step(CaseStatus.AANGEMELD, "create", moment(2026, 10, 27, 15, 5))],
            known="devries",
        ),
        Plan(
            Theme.OVERLAST,
            EntryRoute.VELD,
            LAREN,
            Urgency.HOOG,
            [Step(CaseStatus.AANGEMELD, "create", moment(2026, 10, 29, 11, 20))],
            known="verbeek",
        ),
    ]


def laren_cap(n_cases: int) -> int:
    """Laren's small maximum caseload, exactly reached in the demo so routing reason g can be shown."""
    return max(2, round(n_cases * 0.0015))


def make_plans(rng: random.Random, n_cases: int) -> tuple[list[Plan], list[int]]:
    """Every case as a plan, in chronological order with its reference; and each municipality's maximum
    caseload (above its active cases, except Laren: exactly at it)."""
    known = known_plans()
    munis = list(range(len(MUNICIPALITIES)))
    muni_weights = [m[2] for m in MUNICIPALITIES]
    plans: list[Plan] = []
    for i in range(n_cases - len(known)):
        if i < len(COVERAGE):
            status, theme, route = COVERAGE[i]
        else:
            status, theme = weighted(rng, STATUS_WEIGHTS), weighted(rng, THEME_WEIGHTS)
            route = weighted(rng, ROUTE_BY_THEME[theme])
        urgency = weighted(rng, URGENCY_WEIGHTS)
        muni = rng.choices(munis, weights=muni_weights)[0]
        plans.append(Plan(theme, route, muni, urgency, _steps(rng, status, theme, urgency)))

    # Laren sits exactly at its cap. Active cases beyond it were routed to local handling, reason g, at the
    # moment of their triage; too few are topped up with active Hilversum cases.
    cap = laren_cap(n_cases)
    laren_active = sorted(
        (p for p in plans if p.muni == LAREN and p.status == CaseStatus.ACTIEF), key=lambda p: p.created
    )
    for p in laren_active[cap:]:
        decided = next(s for s in p.steps if s.outcome in ZVH)
        p.steps = [s for s in p.steps if s.minute < decided.minute]
        p.steps.append(Step(CaseStatus.LOKAAL, "triage", decided.minute, TriageOutcome.LOKAAL, LokaalReason.G))
    if len(laren_active) < cap:
        movable = [p for p in plans if p.muni == HILVERSUM and p.status == CaseStatus.ACTIEF]
        for p in movable[: cap - len(laren_active)]:
            p.muni = LAREN

    # Show routing reason g at least once: the latest local routing in Laren was for its full caseload.
    if not any(s.lokaal_reason == LokaalReason.G for p in plans for s in p.steps):
        local = [s for p in plans if p.muni == LAREN for s in p.steps if s.outcome == TriageOutcome.LOKAAL]
        if local:
            max(local, key=lambda s: s.minute).lokaal_reason = LokaalReason.G

    plans.extend(known)
    plans.sort(key=lambda p: p.created)
    per_year: dict[int, int] = {}
    for p in plans:
        year = at(p.created).year
        per_year[year] = per_year.get(year, 0) + 1
        p.reference = f"ZVH-{year}-{per_year[year]:06d}"

    active = [0] * len(MUNICIPALITIES)
    for p in plans:
        if p.status == CaseStatus.ACTIEF:
            active[p.muni] += 1
    # Room above today's load and above the municipality's share of it, in steps of 5; Hilversum, the
    # centrumgemeente with over half the volume, has the highest maximum.
    total, weight = sum(active), sum(m[2] for m in MUNICIPALITIES)
    caps = [
        max(5, math.ceil((a * 1.15 + 2) / 5) * 5, math.ceil(total * m[2] / weight * 1.3 / 5) * 5)
        for a, m in zip(active, MUNICIPALITIES, strict=True)
    ]
    caps[HILVERSUM] = max(caps[HILVERSUM], max(c for i, c in enumerate(caps) if i != HILVERSUM) + 5)
    caps[LAREN] = active[LAREN]
    return plans, caps
