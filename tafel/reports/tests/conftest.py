"""A small hand-made history for the monitor, built through the services with the clock set by
time-machine, so every date is known and every expected figure can be worked out by hand in the tests.

Reporting period: 2025Q2 (1 April – 30 June 2025, local time). Creation at 09:00, every later event at 15:00,
so whole days (24 h) between two events equal the difference in calendar dates, also across the change to
summer time on 30 March 2025.

    case  municipality theme            route         history
    A     Hilversum    huiselijk_geweld veld          created 02-04; ZVH COM 05-04 (desk, house and GGZ added);
                                                      afgesloten 12-05; reopened (actief) 01-09; new aanmelding
                                                      01-10 (joins, A is open)
    B     Hilversum    veelpleger       topx          created 10-04; ZVH MDA++ 20-04 with override (b fails);
                                                      volgen 01-05; new aanmelding about B's person 15-05 (veld,
                                                      joins and reopens: actief); afgesloten 20-06;
                                                      new case about the same person 01-07-2026 (376 days: late)
    C     Huizen       jeugd            veld          created 15-04; lokaal, reason g, 16-04
    D     Hilversum    huiselijk_geweld veilig_thuis  created 01-05; verrijken 03-05; info supplied 10-05;
                                                      ZVH COM 20-05 by the triage team; GGZ and the gemeente
                                                      added; casusregisseur named; still actief
    E     Hilversum    overlast         veld          created 01-02; ZVH COM 10-02; afgesloten 01-06
    F     Hilversum    overlast         veld          created 01-03-2026 about E's person (re-entry of E)
    G     Huizen       overlast         politie_vt    created 30-06 23:30 (inside Q2), no triage
    H     Huizen       overlast         veld          created 01-07 00:30 (outside Q2), no triage

Meetings (held, overleg type com unless said): A 20-04; B deferred 25-04 (mda) and discussed 05-05 (mda);
D 10-06. Scale scores on A's discussion: professionals 4 and 7, client 6 (immediate safety).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
import time_machine
from django.utils import timezone

from tafel.cases.models import Case, EntryRoute, Theme, TriageMode
from tafel.cases.services import (
    CriterionInput,
    PersonInput,
    TriageInput,
    aanmelding_create,
    aanmelding_supply_info,
    case_add_organisation,
    case_change_status,
    triage_decide,
)
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import aanmelding_input, make_municipality, make_org, make_user


def at(year, month, day, hour=15, minute=0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def triage_input(outcome: str, *, failing: str = "", **overrides) -> TriageInput:
    criteria = [CriterionInput(criterion=c, met=c not in failing, argument=f"Argument {c}.") for c in "abcd"]
    criteria.append(CriterionInput(criterion="e", met=True, argument="Argument e."))
    data = TriageInput(criteria=criteria, outcome=outcome)
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def person(name: str, existing_id: int | None = None) -> PersonInput:
    return PersonInput(
        first_names="Test",
        last_name=name,
        date_of_birth=datetime.date(1980, 1, 1),
        role="betrokkene",
        existing_person_id=existing_id,
    )


@dataclass
class History:
    hilversum: object
    huizen: object
    regisseur: object
    aanmelder: object
    house: object
    ggz: object
    gemeente: object
    cases: dict[str, Case] = field(default_factory=dict)

    def case(self, name: str) -> Case:
        return Case.objects.get(pk=self.cases[name].pk)


class Builder:
    def __init__(self, history: History):
        self.h = history

    def create(self, name, when, municipality, theme, route, *, existing_person=None) -> Case:
        with time_machine.travel(when, tick=False):
            data = aanmelding_input(
                municipality,
                persons=[person(f"Persoon{name}", existing_person)],
                theme=theme,
                route=route,
            )
            result = aanmelding_create(actor=self.h.aanmelder, data=data)
        self.h.cases.setdefault(name, result.case)
        return result.case

    def triage(self, name, when, outcome, **kwargs):
        with time_machine.travel(when, tick=False):
            return triage_decide(actor=self.h.regisseur, case=self.h.case(name), data=triage_input(outcome, **kwargs))

    def status(self, name, when, to_status):
        with time_machine.travel(when, tick=False):
            case_change_status(actor=self.h.regisseur, case=self.h.case(name), to_status=to_status, reason="Test.")

    def add_org(self, name, when, organisation):
        with time_machine.travel(when, tick=False):
            case_add_organisation(actor=self.h.regisseur, case=self.h.case(name), organisation=organisation, reason="x")

    def person_of(self, name) -> int:
        return self.h.case(name).case_persons.first().person_id


def build_meetings(h: History) -> None:
    from tafel.meetings.models import (
        AgendaItem,
        AgendaKind,
        CaseDiscussion,
        Meeting,
        MeetingStatus,
        OverlegType,
        ScaleKind,
        ScaleScore,
    )

    com = OverlegType.objects.get(code="com")
    mda = OverlegType.objects.get(code="mda")

    def meeting(when, overleg_type):
        return Meeting.objects.create(
            overleg_type=overleg_type,
            starts_at=when,
            chair=h.regisseur,
            status=MeetingStatus.HELD,
            created_by=h.regisseur,
            created_at=when,
        )

    def item(m, name, deferred=False):
        return AgendaItem.objects.create(
            meeting=m,
            case=h.cases[name],
            kind=AgendaKind.NEW,
            deferred=deferred,
            added_by=h.regisseur,
            added_at=m.starts_at,
        )

    a_item = item(meeting(at(2025, 4, 20), com), "A")
    item(meeting(at(2025, 4, 25), mda), "B", deferred=True)
    item(meeting(at(2025, 5, 5), mda), "B")
    item(meeting(at(2025, 6, 10), com), "D")
    discussion = CaseDiscussion.objects.create(
        agenda_item=a_item,
        case=h.cases["A"],
        phase="directe_veiligheid",
        supplied_by_org=h.house,
        created_by=h.regisseur,
        created_at=at(2025, 4, 20),
    )
    other = make_user(h.ggz, Role.PROFESSIONAL, username="ggz-prof")
    for participant, score in ((h.regisseur, 4), (other, 7)):
        ScaleScore.objects.create(
            discussion=discussion,
            kind=ScaleKind.IMMEDIATE_SAFETY,
            participant=participant,
            score=score,
            rationale="r",
            supplied_by_org=h.house,
            created_by=h.regisseur,
            created_at=at(2025, 4, 20),
        )
    ScaleScore.objects.create(
        discussion=discussion,
        kind=ScaleKind.IMMEDIATE_SAFETY,
        is_client=True,
        person_id=h.cases["A"].case_persons.first().person_id,
        score=6,
        rationale="r",
        supplied_by_org=h.house,
        created_by=h.regisseur,
        created_at=at(2025, 4, 20),
    )


@pytest.fixture
def history(db, procesregisseur, professional, house, ggz) -> History:
    h = History(
        hilversum=make_municipality("Hilversum", max_caseload=4),
        huizen=make_municipality("Huizen", max_caseload=2),
        regisseur=procesregisseur,
        aanmelder=professional,
        house=house,
        ggz=ggz,
        gemeente=make_org("Gemeente Hilversum", OrganisationType.GEMEENTE),
    )
    b = Builder(h)
    HG, VP, JE, OV = Theme.HUISELIJK_GEWELD, Theme.VEELPLEGER, Theme.JEUGD, Theme.OVERLAST
    VELD, TOPX, VT, POL = EntryRoute.VELD, EntryRoute.TOPX, EntryRoute.VEILIG_THUIS, EntryRoute.POLITIE_VT

    # E: before the period, closed inside it.
    b.create("E", at(2025, 2, 1, 9), h.hilversum, OV, VELD)
    b.triage("E", at(2025, 2, 10), "zvh_com")
    b.status("E", at(2025, 6, 1), "afgesloten")

    # A
    b.create("A", at(2025, 4, 2, 9), h.hilversum, HG, VELD)
    b.triage("A", at(2025, 4, 5), "zvh_com")
    b.add_org("A", at(2025, 4, 6), h.house)
    b.add_org("A", at(2025, 4, 6), h.ggz)
    b.status("A", at(2025, 5, 12), "afgesloten")

    # B
    b.create("B", at(2025, 4, 10, 9), h.hilversum, VP, TOPX)
    b.triage("B", at(2025, 4, 20), "zvh_mda", failing="b", override_reason="Acuut gevaar voor de kinderen.")
    b.status("B", at(2025, 5, 1), "volgen")
    b.create("B2", at(2025, 5, 15), h.hilversum, VP, VELD, existing_person=b.person_of("B"))
    b.status("B", at(2025, 6, 20), "afgesloten")

    # C
    b.create("C", at(2025, 4, 15, 9), h.huizen, JE, VELD)
    b.triage("C", at(2025, 4, 16), "lokaal", lokaal_reason="g")

    # D
    b.create("D", at(2025, 5, 1, 9), h.hilversum, HG, VT)
    b.triage("D", at(2025, 5, 3), "verrijken", missing_info="Wie is de huisarts?")
    with time_machine.travel(at(2025, 5, 10), tick=False):
        aanmelding_supply_info(actor=h.aanmelder, aanmelding=h.case("D").aanmeldingen.get(), text="Dokter X.")
    b.triage("D", at(2025, 5, 20), "zvh_com", mode=TriageMode.TEAM, team_others="Politie, GGZ")
    b.add_org("D", at(2025, 5, 21), h.ggz)
    b.add_org("D", at(2025, 5, 21), h.gemeente)
    Case.objects.filter(pk=h.cases["D"].pk).update(casusregisseur=h.regisseur)

    # G and H around the end of the period.
    b.create("G", at(2025, 6, 30, 23, 30), h.huizen, OV, POL)
    b.create("H", at(2025, 7, 1, 0, 30), h.huizen, OV, VELD)

    # After the period: A reopened and melded again; E re-enters through a new case; B's person too late.
    b.status("A", at(2025, 9, 1), "actief")
    b.create("A2", at(2025, 10, 1), h.hilversum, HG, VELD, existing_person=b.person_of("A"))
    b.create("F", at(2026, 3, 1, 9), h.hilversum, OV, VELD, existing_person=b.person_of("E"))
    b.create("B3", at(2026, 7, 1, 9), h.hilversum, VP, VELD, existing_person=b.person_of("B"))

    build_meetings(h)
    return h


@pytest.fixture
def ketenmanager(house):
    return make_user(house, Role.KETENMANAGER, username="ketenmanager")


@pytest.fixture
def q2():
    from tafel.reports.indicators import Params
    from tafel.reports.periods import parse_period

    return Params(period=parse_period("2025Q2"))


@pytest.fixture
def add_cases(history):
    """More cases in Q2 (new, triaged to local handling), to show that query counts do not grow with data."""

    def add(n: int) -> None:
        b = Builder(history)
        for i in range(n):
            name = f"extra{i}"
            b.create(name, at(2025, 5, 2 + i, 9), history.huizen, Theme.JEUGD, EntryRoute.VELD)
            b.triage(name, at(2025, 5, 3 + i), "lokaal", lokaal_reason="a")

    return add


@pytest.fixture
def closures(history):
    """Closure records (ORM, on the cases of the history; the closing services belong to the lifecycle app):

    case  when          kind        criteria                         goal reached
    A     12-05 15:00   afsluiting  care_started, justice_started    bereikt
    B     01-05 15:00   afsluiting  family_refuses                   niet     (B reopened, closed again:)
    B     20-06 15:00   afsluiting  care_started                     deels    ← B's last closure in Q2
    C     16-04 15:00   afschaling  —                                bereikt  (Huizen)
    D     10-06 15:00   riec        —                                —
    E     01-06 15:00   afsluiting  justice_started                  NULL     (recorded before the question)
    E     02-07 15:00   afsluiting  care_started                     bereikt  (Q3: not E's closure in Q2)
    """
    from tafel.lifecycle.models import Closure

    def close(name, when, kind, criteria=(), goal=None):
        Closure.objects.create(
            case=history.cases[name],
            kind=kind,
            actor=history.regisseur,
            at=when,
            reason="Test.",
            criteria={key: key in criteria for key in ("care_started", "justice_started", "family_refuses")},
            goal_reached=goal,
        )

    close("A", at(2025, 5, 12), "afsluiting", ("care_started", "justice_started"), "bereikt")
    close("B", at(2025, 5, 1), "afsluiting", ("family_refuses",), "niet")
    close("B", at(2025, 6, 20), "afsluiting", ("care_started",), "deels")
    close("C", at(2025, 4, 16), "afschaling", goal="bereikt")
    close("D", at(2025, 6, 10), "riec")
    close("E", at(2025, 6, 1), "afsluiting", ("justice_started",))
    close("E", at(2025, 7, 2), "afsluiting", ("care_started",), "bereikt")


@pytest.fixture
def due_actions(history):
    """Agreements with deadlines around Q2 (ORM). Plans: A v1 published 10-04, A v2 published 11-05 (carries
    a9 on as a9'), C v1 published 20-04 (Huizen), D v1 a draft (never published).

        action  plan  deadline  status       done at (local)     counts as
        a1      A v1  15-05     gedaan       15-05 23:30         on time (16-05 in UTC would not matter)
        a2      A v1  15-05     gedaan       16-05 00:30         late (15-05 22:30 UTC: the local date counts)
        a3      A v1  01-06     gedaan       20-05 15:00         on time
        a4      C v1  10-06     niet_gedaan  —                   not done
        a5      A v1  20-06     open         —                   open past its deadline
        a6      A v1  —         gedaan       20-05 15:00         excluded: no deadline
        a7      A v1  01-05     vervallen    —                   excluded: vervallen
        a8      A v1  05-07     gedaan       01-07 15:00         excluded: deadline in Q3
        a9      A v1  05-06     open         —                   excluded: carried into A v2 as a9'
        a9'     A v2  05-06     gedaan       04-06 15:00         on time
        a10     D v1  10-05     gedaan       09-05 15:00         excluded: draft plan
        a11     A v1  10-05     gedaan       — (old row)         excluded: no completion date

    Expected for Q2: on time 3 (a1, a3, a9'), late 1 (a2), not done 1 (a4), open past deadline 1 (a5);
    6 in all; on time 3 of 6 = 50.0%."""
    from tafel.meetings.models import Action, ActionStatus, ActionType, Plan

    def plan(name, number, when):
        return Plan.objects.create(
            case=history.cases[name],
            number=number,
            published_at=when,
            published_by=history.regisseur if when else None,
            goals="Veiligheid voor de kinderen.",
            supplied_by_org=history.house,
            created_by=history.regisseur,
            created_at=when or at(2025, 5, 1),
        )

    def action(p, deadline, status, done_at=None, carried_from=None):
        return Action.objects.create(
            plan=p,
            case=p.case,
            owner=history.regisseur,
            what="Iets doen.",
            deadline=deadline,
            type=ActionType.PROFESSIONAL_ACTION,
            status=status,
            done_at=done_at,
            carried_from=carried_from,
        )

    day = datetime.date
    GEDAAN, OPEN = ActionStatus.GEDAAN, ActionStatus.OPEN
    a1, a2 = plan("A", 1, at(2025, 4, 10)), plan("A", 2, at(2025, 5, 11))
    c1, d1 = plan("C", 1, at(2025, 4, 20)), plan("D", 1, None)
    action(a1, day(2025, 5, 15), GEDAAN, at(2025, 5, 15, 23, 30))
    action(a1, day(2025, 5, 15), GEDAAN, at(2025, 5, 16, 0, 30))
    action(a1, day(2025, 6, 1), GEDAAN, at(2025, 5, 20))
    action(c1, day(2025, 6, 10), ActionStatus.NIET_GEDAAN)
    action(a1, day(2025, 6, 20), OPEN)
    action(a1, None, GEDAAN, at(2025, 5, 20))
    action(a1, day(2025, 5, 1), ActionStatus.VERVALLEN)
    action(a1, day(2025, 7, 5), GEDAAN, at(2025, 7, 1))
    a9 = action(a1, day(2025, 6, 5), OPEN)
    action(a2, day(2025, 6, 5), GEDAAN, at(2025, 6, 4), carried_from=a9)
    action(d1, day(2025, 5, 10), GEDAAN, at(2025, 5, 9))
    action(a1, day(2025, 5, 10), GEDAAN)
