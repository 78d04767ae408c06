"""Bulk synthetic history for measuring the monitor at scale (issue 6: 100,000 cases in < 1 s / < 10 s).

Not the demo data (that is `manage.py demo`, with realistic names and texts through the services): this
writes the rows the indicators read — cases with their status history, aanmeldingen, triages with criteria,
participations, persons, meetings with agenda items, discussions, scale scores, plans and actions — with
`bulk_create`, deterministic for a seed, in a minute or two. Used by bench/reports.py when the bench
database holds fewer cases than asked for, and by hand:

    .venv/bin/python manage.py shell -c "from tafel.demo.benchdata import generate; generate(100_000)"
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

BATCH = 5000
MUNICIPALITIES = [
    ("Hilversum", 55),
    ("Huizen", 9),
    ("Gooise Meren", 9),
    ("Wijdemeren", 5),
    ("Weesp", 4),
    ("Laren", 4),
    ("Blaricum", 3),
    ("Eemnes", 3),
    ("Stichtse Vecht", 8),
]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def generate(n_cases: int = 100_000, *, seed: int = 1, years: int = 5, verbose: bool = True) -> dict:
    from tafel.cases.models import (
        Aanmelding,
        Case,
        CaseOrganisation,
        CasePerson,
        CaseStatus,
        CaseStatusChange,
        EntryRoute,
        LokaalReason,
        PersonRole,
        Phase,
        Theme,
        Triage,
        TriageCriterion,
        TriageMode,
        TriageOutcome,
    )
    from tafel.meetings.models import (
        Action,
        ActionType,
        AgendaItem,
        AgendaKind,
        Attendance,
        CaseDiscussion,
        Invitation,
        Meeting,
        MeetingStatus,
        OverlegType,
        Plan,
        ScaleKind,
        ScaleScore,
    )
    from tafel.organisations.models import Municipality, Organisation, OrganisationType, Role, User, UserRole
    from tafel.persons.models import Person

    rng = random.Random(seed)
    now = timezone.now()
    begin = now - datetime.timedelta(days=365 * years)
    span = (now - begin).total_seconds()

    with transaction.atomic():
        house, _ = Organisation.objects.get_or_create(
            name="Bench Zorg- en Veiligheidshuis", defaults={"type": OrganisationType.ZVH, "convenant_signed": True}
        )
        partners = []
        for org_type in OrganisationType.values:
            if org_type == OrganisationType.ZVH:
                continue
            for i in range(1, 5):
                org, _ = Organisation.objects.get_or_create(
                    name=f"Bench {org_type} {i}", defaults={"type": org_type, "convenant_signed": True}
                )
                partners.append(org)
        user, created = User.objects.get_or_create(
            username="bench-regisseur", defaults={"organisation": house, "first_name": "Bench"}
        )
        if created:
            UserRole.objects.create(user=user, role=Role.PROCESREGISSEUR)
        municipalities = []
        for name, weight in MUNICIPALITIES:
            m, _ = Municipality.objects.get_or_create(
                name=name, defaults={"max_caseload": max(20, weight * 12), "code": ""}
            )
            municipalities.append((m, weight))
        overleg_types = list(OverlegType.objects.filter(code__in=["com", "mda", "virtueel"]))
        start_ref = Case.objects.count()

    def moment(t: float) -> datetime.datetime:
        return begin + datetime.timedelta(seconds=t)

    cases, changes, aanmeldingen, triages, criteria_of, participations, persons, case_persons = ([] for _ in range(8))
    meetings_needed: list[tuple[int, datetime.datetime, int]] = []  # (case index, moment, theme-ish type)
    for i in range(n_cases):
        created = moment(rng.random() * span)
        theme = _weighted(
            rng,
            [
                (Theme.HUISELIJK_GEWELD, 35),
                (Theme.VEELPLEGER, 15),
                (Theme.JEUGD, 15),
                (Theme.NAZORG, 15),
                (Theme.OVERLAST, 10),
                (Theme.ZORGMIJDING, 7),
                (Theme.OVERIG, 3),
            ],
        )
        route = _weighted(
            rng,
            [(EntryRoute.VELD, 45), (EntryRoute.VEILIG_THUIS, 25), (EntryRoute.TOPX, 15), (EntryRoute.POLITIE_VT, 15)],
        )
        municipality = _weighted(rng, municipalities)
        history = [("", CaseStatus.AANGEMELD, created)]
        t = created
        case_triages = []

        def step(days_low, days_high, to_status, _h=history):
            nonlocal t
            t = t + datetime.timedelta(days=rng.uniform(days_low, days_high))
            if t >= now:
                return False
            _h.append((_h[-1][1], to_status, t))
            return True

        if rng.random() < 0.15 and step(0, 10, CaseStatus.VERRIJKEN):
            case_triages.append((TriageOutcome.VERRIJKEN, "", t))
        outcome = _weighted(
            rng,
            [
                (TriageOutcome.ZVH_COM, 25),
                (TriageOutcome.ZVH_MDA, 10),
                (TriageOutcome.LOKAAL, 35),
                (TriageOutcome.RIEC, 5),
                (TriageOutcome.NIET_GEACCEPTEERD, 15),
                (None, 10),
            ],
        )
        status_for = {
            TriageOutcome.ZVH_COM: CaseStatus.ACTIEF,
            TriageOutcome.ZVH_MDA: CaseStatus.ACTIEF,
            TriageOutcome.LOKAAL: CaseStatus.LOKAAL,
            TriageOutcome.RIEC: CaseStatus.RIEC,
            TriageOutcome.NIET_GEACCEPTEERD: CaseStatus.NIET_GEACCEPTEERD,
        }
        zvh = False
        if outcome and step(0, 30, status_for[outcome]):
            reason = rng.choice(LokaalReason.values) if outcome == TriageOutcome.LOKAAL else ""
            case_triages.append((outcome, reason, t))
            zvh = status_for[outcome] == CaseStatus.ACTIEF
            if zvh:
                meetings_needed.append((i, t, rng.randint(1, 5)))
                r = rng.random()
                if r < 0.7:
                    if step(30, 400, CaseStatus.VOLGEN):
                        step(30, 180, CaseStatus.AFGESLOTEN)
                elif r < 0.9:
                    step(30, 500, CaseStatus.AFGESLOTEN)
                else:
                    step(30, 300, rng.choice([CaseStatus.LOKAAL, CaseStatus.RIEC]))
                if history[-1][1] == CaseStatus.AFGESLOTEN and rng.random() < 0.08:
                    step(10, 400, CaseStatus.ACTIEF)
        status = history[-1][1]
        closed_at = history[-1][2] if status in ("afgesloten", "lokaal", "riec", "niet_geaccepteerd") else None
        cases.append(
            Case(
                reference=f"BENCH-{start_ref + i:07d}",
                theme=theme,
                entry_route=route,
                municipality=municipality,
                status=status,
                phase=Phase.DIRECTE_VEILIGHEID if zvh else "",
                urgency="normaal",
                procesregisseur=user,
                casusregisseur=user if zvh and rng.random() < 0.8 else None,
                created_at=created,
                status_changed_at=history[-1][2],
                closed_at=closed_at,
            )
        )
        changes.append(history)
        n_aanm = 1 + (rng.random() < 0.2)
        aanmeldingen.append(
            [
                (created if k == 0 else created + datetime.timedelta(days=rng.uniform(1, 200)), route)
                for k in range(n_aanm)
            ]
        )
        triages.append(case_triages)
        k = rng.randint(3, 8) if zvh else rng.randint(1, 2)
        participations.append(rng.sample(partners, k) + ([house] if zvh else []))
        cases[-1].partner_count = k  # the stored count (tafel/cases/partners.py): the house is not counted
        n_persons = rng.randint(1, 3)
        persons.append(n_persons)

    if verbose:
        print(f"generated {n_cases} cases in memory")  # noqa: T201

    with transaction.atomic():
        for start in range(0, n_cases, BATCH):
            Case.objects.bulk_create(cases[start : start + BATCH], batch_size=BATCH)
        ids = [case.pk for case in cases]  # bulk_create returns primary keys on SQLite ≥ 3.35 and PostgreSQL
        buffer = []
        for case_id, history in zip(ids, changes, strict=True):
            for from_status, to_status, at in history:
                buffer.append(
                    CaseStatusChange(
                        case_id=case_id, from_status=from_status, to_status=to_status, actor=user, at=at, reason="bench"
                    )
                )
        CaseStatusChange.objects.bulk_create(buffer, batch_size=BATCH)
        buffer = []
        for case_id, items in zip(ids, aanmeldingen, strict=True):
            for created, route in items:
                buffer.append(
                    Aanmelding(
                        case_id=case_id,
                        route=route,
                        reason="bench",
                        summary="bench",
                        supplied_by_org=house,
                        created_by=user,
                        created_at=created,
                        client_knows=True,
                    )
                )
        Aanmelding.objects.bulk_create(buffer, batch_size=BATCH)
        first_aanmelding = dict(
            Aanmelding.objects.filter(case_id__in=ids).order_by("-created_at").values_list("case_id", "pk")
        )
        buffer = []
        for case_id, items in zip(ids, triages, strict=True):
            for outcome, reason, at in items:
                buffer.append(
                    Triage(
                        case_id=case_id,
                        aanmelding_id=first_aanmelding.get(case_id),
                        decided_by=user,
                        decided_at=at,
                        mode=TriageMode.DESK if rng.random() < 0.8 else TriageMode.TEAM,
                        outcome=outcome,
                        lokaal_reason=reason,
                        override_reason="urgent" if rng.random() < 0.05 else "",
                        criteria_argued=5,  # the five criteria below, each argued (tafel/cases/argued.py)
                    )
                )
        Triage.objects.bulk_create(buffer, batch_size=BATCH)
        criteria = []
        for triage_id in Triage.objects.filter(case_id__in=ids).values_list("pk", flat=True):
            for code in "abcde":
                criteria.append(TriageCriterion(triage_id=triage_id, criterion=code, met=True, argument="bench"))
        TriageCriterion.objects.bulk_create(criteria, batch_size=BATCH)
        buffer = []
        for case, case_id, orgs in zip(cases, ids, participations, strict=True):
            for org in orgs:
                buffer.append(CaseOrganisation(case_id=case_id, organisation=org, added_at=case.created_at))
        CaseOrganisation.objects.bulk_create(buffer, batch_size=BATCH)
        people = [Person(last_name=f"Bench{j}", first_names="P") for j in range(sum(persons))]
        Person.objects.bulk_create(people, batch_size=BATCH)
        person_ids = [p.pk for p in people]
        buffer, j = [], 0
        for case, case_id, n in zip(cases, ids, persons, strict=True):
            for _ in range(n):
                buffer.append(
                    CasePerson(
                        case_id=case_id, person_id=person_ids[j], role=PersonRole.BETROKKENE, added_at=case.created_at
                    )
                )
                j += 1
        CasePerson.objects.bulk_create(buffer, batch_size=BATCH)

        # Meetings: one per overleg type per week; each accepted case discussed 1–5 times.
        if overleg_types:
            week_meetings: dict[tuple[int, int], int] = {}
            plan_rows = []
            items = []
            for index, accepted, times in meetings_needed:
                t = accepted
                for n in range(times):
                    t = t + datetime.timedelta(days=rng.uniform(7, 90))
                    if t >= now:
                        break
                    week = int((t - begin).days // 7)
                    kind = rng.randrange(len(overleg_types))
                    key = (week, kind)
                    if key not in week_meetings:
                        meeting = Meeting.objects.create(
                            overleg_type=overleg_types[kind],
                            starts_at=begin + datetime.timedelta(days=week * 7 + 2),
                            chair=user,
                            status=MeetingStatus.CLOSED,
                            created_by=user,
                            created_at=t,
                        )
                        week_meetings[key] = meeting.pk
                    items.append((ids[index], week_meetings[key], n, t))
            AgendaItem.objects.bulk_create(
                [
                    AgendaItem(
                        meeting_id=m,
                        case_id=c,
                        kind=AgendaKind.NEW if n == 0 else AgendaKind.FOLLOW_UP,
                        deferred=rng.random() < 0.05,
                        added_by=user,
                        added_at=t,
                    )
                    for c, m, n, t in items
                ],
                batch_size=BATCH,
                ignore_conflicts=True,
            )
            agenda = list(
                AgendaItem.objects.filter(case_id__in=ids, deferred=False).values_list(
                    "pk", "case_id", "meeting__starts_at"
                )
            )
            CaseDiscussion.objects.bulk_create(
                [
                    CaseDiscussion(
                        agenda_item_id=a,
                        case_id=c,
                        phase=Phase.DIRECTE_VEILIGHEID,
                        supplied_by_org=house,
                        created_by=user,
                        created_at=s,
                    )
                    for a, c, s in agenda
                ],
                batch_size=BATCH,
            )
            scores = []
            for d_id, s in CaseDiscussion.objects.filter(case_id__in=ids).values_list("pk", "created_at"):
                for _ in range(rng.randint(2, 5)):
                    scores.append(
                        ScaleScore(
                            discussion_id=d_id,
                            kind=ScaleKind.IMMEDIATE_SAFETY,
                            participant=user,
                            score=rng.randint(1, 10),
                            rationale="bench",
                            supplied_by_org=house,
                            created_by=user,
                            created_at=s,
                        )
                    )
            ScaleScore.objects.bulk_create(scores, batch_size=BATCH)
            invitations = [
                Invitation(meeting_id=m, user=user, invited_by=user, invited_at=begin, attendance=Attendance.PRESENT)
                for m in set(week_meetings.values())
            ]
            Invitation.objects.bulk_create(invitations, batch_size=BATCH, ignore_conflicts=True)
            for _item, c, s in agenda[::2]:
                plan_rows.append(
                    Plan(
                        case_id=c,
                        number=1,
                        published_at=s,
                        published_by=user,
                        goals="bench",
                        casusregisseur=user,
                        # No next evaluation date: the plan fails the quality check (plan_quality).
                        meets_quality=False,
                        quality_missing=1,
                        supplied_by_org=house,
                        created_by=user,
                        created_at=s,
                    )
                )
            seen = set()
            plan_rows = [p for p in plan_rows if not (p.case_id in seen or seen.add(p.case_id))]
            Plan.objects.bulk_create(plan_rows, batch_size=BATCH)
            actions = []
            for plan_id, case_id in Plan.objects.filter(case_id__in=ids).values_list("pk", "case_id"):
                for k in range(rng.randint(3, 8)):
                    actions.append(
                        Action(
                            plan_id=plan_id,
                            case_id=case_id,
                            owner=user if rng.random() < 0.9 else None,
                            what="bench",
                            type=ActionType.PROFESSIONAL_ACTION,
                            rationale="bench" if rng.random() < 0.2 else "",
                            order=k,
                        )
                    )
            Action.objects.bulk_create(actions, batch_size=BATCH)
    result = {"cases": Case.objects.count()}
    if verbose:
        print(f"database now holds {result['cases']} cases")  # noqa: T201
    return result
