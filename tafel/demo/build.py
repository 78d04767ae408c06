"""Building the demo cases as rows, batch by batch: persons, the case, its participants, aanmeldingen,
status history, triage decisions and notes."""

from __future__ import annotations

from tafel.cases.argued import criteria_argued
from tafel.cases.deadlines import response_deadline
from tafel.cases.models import (
    Aanmelding,
    AanmeldingPerson,
    AanmeldingStatus,
    Case,
    CaseNote,
    CaseOrganisation,
    CasePerson,
    CaseStatus,
    CaseStatusChange,
    EntryRoute,
    InfoCategory,
    LokaalReason,
    PersonRole,
    Phase,
    Theme,
    Triage,
    TriageCriterion,
    TriageMode,
    TriageOutcome,
    Urgency,
)
from tafel.cases.services import CLOSED_STATUSES, LIFE_DOMAINS, PREDICTIVE_FACTORS
from tafel.organisations.models import OrganisationType, User
from tafel.persons.models import Gender, Person

from . import data as d
from .people import age, household, known_household
from .plan import DAY, ZVH, Plan, Step, at
from .reference import Context

TEAM = Triage.team_members.through
# How many closed cases per theme are kept as candidates for re-entry of their persons.
REUSE_WINDOW = 3000

PERSON_FIELDS = [f.attname for f in Person._meta.concrete_fields]


class Batch:
    """The rows of a batch of cases, built in memory and written table by table in dependency order."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.w = ctx.writer
        self.rows: dict[type, list[dict]] = {
            m: []
            for m in (
                Person,
                Case,
                CasePerson,
                CaseOrganisation,
                CaseStatusChange,
                Aanmelding,
                AanmeldingPerson,
                Triage,
                TriageCriterion,
                TEAM,
                CaseNote,
            )
        }

    def write(self) -> None:
        for model, rows in self.rows.items():
            self.w.insert(model, rows)
        self.w.clear_cache()

    def _row(self, model, **values) -> dict:
        values["id"] = self.w.next_id(model)
        self.rows[model].append(values)
        return values

    def _add_person(self, person: Person) -> None:
        if person.pk in self.ctx.queued_persons:
            return  # a person of an earlier case (re-entry), already written or queued
        self.ctx.queued_persons.add(person.pk)
        row = {a: getattr(person, a) for a in PERSON_FIELDS}
        row["date_of_birth"] = self.w.date(person.date_of_birth)
        row["created_at"] = self.w.dt(person.demo_minute)
        self.rows[Person].append(row)

    def add(self, plan: Plan) -> None:
        ctx, rng, w = self.ctx, self.ctx.rng, self.w
        submitter_key, origin = self._submitter(plan)
        submitter = self._pick_user(submitter_key, plan)
        org_id = ctx.orgs[submitter_key].pk
        if plan.known:
            persons, linked = known_household(ctx, plan.known, org_id, plan.created), plan.known == "jansen"
        else:
            persons, linked = household(ctx, plan, org_id)
        for person, _ in persons:
            self._add_person(person)

        triages = [s for s in plan.steps if s.kind == "triage"]
        zvh_step = next((s for s in triages if s.outcome in ZVH), None)
        regisseur = None
        if triages:
            regisseur = ctx.logins["regisseur"] if plan.known.startswith("jansen") else rng.choice(ctx.regisseurs)
        casusregisseur = None
        if zvh_step is not None and (plan.known == "jansen" or (not plan.known and rng.random() < 0.65)):
            if plan.known == "jansen":
                casusregisseur = ctx.logins["casusregisseur"]
            else:
                casusregisseur = rng.choice(ctx.casusregisseurs[rng.choice(d.CASUSREGIE_ORGS[plan.theme])])
        case = self._row(
            Case,
            reference=plan.reference,
            title=self._title(plan, persons),
            theme=plan.theme,
            entry_route=plan.route,
            municipality_id=ctx.munis[plan.muni].pk,
            status=plan.status,
            phase=self._phase(plan) if zvh_step is not None else "",
            urgency=plan.urgency,
            procesregisseur_id=regisseur.pk if regisseur else None,
            casusregisseur_id=casusregisseur.pk if casusregisseur else None,
            created_at=w.dt(plan.created),
            status_changed_at=w.dt(plan.end),
            closed_at=w.dt(plan.end) if plan.status in CLOSED_STATUSES else None,
            version=len(plan.steps),
        )
        case_id = case["id"]
        for person, role in persons:
            self._row(CasePerson, case_id=case_id, person_id=person.pk, role=role, added_at=case["created_at"])
        org_keys = self._participations(plan, case_id, submitter_key, submitter, regisseur, casusregisseur, zvh_step)
        # The stored partner count (tafel/cases/partners.py): the participations, the house not counted.
        case["partner_count"] = sum(1 for key in org_keys if ctx.orgs[key].type != OrganisationType.ZVH)

        fill = {
            "n": rng.randint(2, 9),
            "m": rng.randint(2, 14),
            "gemeente": d.MUNICIPALITIES[plan.muni][0],
            "jaar": at(plan.created).year - rng.randint(1, 6),
            "bedrag": f"{rng.randint(3, 60) * 1000:,}".replace(",", "."),
            "leeftijd": f"{age(persons[0][0], plan.created)} jaar",
        }
        aanmelding = self._aanmelding(plan, case_id, persons, submitter, origin, fill, linked)
        # The case's triage deadline is its aanmeldingen' earliest; a joining melding (below) asks for none.
        case["triage_deadline"] = aanmelding["response_deadline"]
        self._history(plan, case_id, aanmelding, regisseur, submitter, persons, fill)
        if triages and not plan.known:
            self._notes(plan, case_id, org_keys, regisseur)
        if plan.status in CLOSED_STATUSES and not plan.known:
            pool = ctx.reuse.setdefault(plan.theme, [])
            pool.append((plan.end, persons))
            if len(pool) > 2 * REUSE_WINDOW:
                del pool[:REUSE_WINDOW]

    def _participations(self, plan, case_id, submitter_key, submitter, regisseur, casusregisseur, zvh_step):
        """2-8 organisations: the submitter, the house, the casusregisseur's organisation, where the case went
        (RIEC, local), and for a ZVH-aanpak the partners of the theme, the most likely first."""
        ctx, rng = self.ctx, self.ctx.rng
        orgs = [(submitter_key, plan.created, submitter, "aanmelder"), ("zvh", plan.created, submitter, "procesregie")]
        if plan.known == "jansen":
            t = zvh_step.minute
            orgs += [
                ("politie", t, regisseur, "betrokken bij de aanpak"),
                ("raad", t, regisseur, "raadsonderzoek"),
                ("ggz", t, regisseur, "behandeling vader"),
                ("wijkteam", t, regisseur, "casusregie"),
                ("hilversum", t, regisseur, "betrokken bij de aanpak"),
            ]
        else:
            if casusregisseur is not None:
                orgs.append(
                    (ctx.org_key_by_id[casusregisseur.organisation_id], zvh_step.minute, regisseur, "casusregie")
                )
            for s in plan.steps:
                if s.outcome == TriageOutcome.RIEC or s.kind == "opschaling":
                    orgs.append(("riec", s.minute, regisseur, "opschaling naar het RIEC"))
                elif s.outcome == TriageOutcome.LOKAAL or s.kind == "afschaling":
                    local = "wijkteam" if plan.muni == d.HILVERSUM else "regio"
                    orgs.append((local, s.minute, regisseur, "lokaal oppakken"))
            if zvh_step is not None:
                pool = d.PARTNERS[plan.theme]
                n = rng.randint(4, 8) - 2
                chosen = pool[:2] + rng.sample(pool[2:], min(len(pool) - 2, max(0, n - 2)))
                orgs += [(key, zvh_step.minute, regisseur, "betrokken bij de aanpak") for key in chosen[:n]]
        seen: list[str] = []
        for key, minute, by, reason in orgs:
            if key in seen or len(seen) >= 8:
                continue
            seen.append(key)
            self._row(
                CaseOrganisation,
                case_id=case_id,
                organisation_id=ctx.orgs[key].pk,
                added_at=self.w.dt(minute),
                added_by_id=by.pk if by else None,
                reason=reason,
            )
        return seen

    def _submitter(self, plan: Plan) -> tuple[str, str]:
        rng, muni = self.ctx.rng, d.MUNICIPALITIES[plan.muni][0]
        if plan.known == "jansen_old":
            return "politie", "Politie: melding huiselijk geweld"
        if plan.known in ("devries", "verbeek"):
            return "politie", ""
        if plan.route == EntryRoute.TOPX:
            return ("hilversum" if plan.muni == d.HILVERSUM else "regio"), f"Brede PGA-lijst gemeente {muni}"
        if plan.route == EntryRoute.VEILIG_THUIS:
            return "vt", "Veilig Thuis: MDA++-aanmelding"
        if plan.route == EntryRoute.POLITIE_VT:
            r = rng.random()
            if r < 0.7:
                what = "zorgmelding jeugd" if plan.theme == Theme.JEUGD else "melding huiselijk geweld"
                return "politie", f"Politie: {what}"
            return "vt", "Professional na stappenplan Meldcode" if r < 0.9 else "Burger / omstander"
        return rng.choice(d.VELD_SUBMITTERS[plan.theme]), ""

    def _pick_user(self, key: str, plan: Plan) -> User:
        ctx = self.ctx
        login = ctx.login_by_org.get(key)
        if login is not None and (plan.known or ctx.rng.random() < 0.3):
            return login
        return ctx.rng.choice(ctx.staff[key])

    @staticmethod
    def _title(plan: Plan, persons) -> str:
        person = persons[0][0]
        surname = f"{person.prefix} {person.last_name}".strip()
        if plan.theme == Theme.HUISELIJK_GEWELD:
            return f"Gezin {surname[0].upper()}{surname[1:]}"
        if plan.theme == Theme.JEUGD:
            return f"Jongere {person.first_names[0]}. {surname} en gezin"
        return f"{'Dhr.' if person.gender == Gender.MAN else 'Mw.'} {person.first_names[0]}. {surname}"

    def _phase(self, plan: Plan) -> str:
        if plan.known == "jansen":
            return Phase.RISICOGESTUURDE_ZORG
        rng = self.ctx.rng
        if plan.status in (CaseStatus.VOLGEN, CaseStatus.AFGESLOTEN):
            return Phase.HERSTELGERICHTE_ZORG if rng.random() < 0.75 else Phase.RISICOGESTUURDE_ZORG
        return rng.choices(list(Phase.values), weights=(45, 35, 20))[0]

    def _aanmelding(self, plan, case_id, persons, submitter, origin, fill, linked) -> dict:
        rng, w = self.ctx.rng, self.w
        domains = rng.sample(list(LIFE_DOMAINS), rng.randint(3, 10))
        domains.sort(key=list(LIFE_DOMAINS).index)
        fill["k"] = len(domains)
        if plan.theme in (Theme.HUISELIJK_GEWELD, Theme.JEUGD):
            factors = rng.sample(list(PREDICTIVE_FACTORS), rng.choice((1, 1, 2, 2, 3)) if rng.random() < 0.8 else 0)
        else:
            factors = rng.sample(["middelen", "psychiatrie", "lvb"], rng.choice((0, 0, 1, 2)))
        factors.sort()
        client_knows = rng.random() < 0.85
        antecedents = ""
        if plan.theme != Theme.ZORGMIJDING and plan.theme != Theme.OVERIG:
            mutation_day = at(plan.created - rng.randint(1, 60) * DAY)
            antecedents = (
                f"{fill['n']} antecedenten sinds {fill['jaar']} (o.a. {', '.join(rng.sample(d.OFFENCES, 2))}). "
                f"Laatste politiemutatie: {mutation_day:%d-%m-%Y}, {rng.choice(d.MUTATIONS)}."
            )
        response = {Urgency.ACUUT: rng.randint(1, 2), Urgency.HOOG: rng.randint(5, 10)}.get(
            plan.urgency, rng.randint(14, 28)
        )
        aanmelding = self._row(
            Aanmelding,
            case_id=case_id,
            route=plan.route,
            status=AanmeldingStatus.INGEDIEND,
            origin=origin,
            reason=rng.choice(d.REASONS[plan.theme]).format(**fill),
            summary=rng.choice(d.SUMMARIES).format(**fill),
            household=self._household_text(persons, plan.created),
            life_domains=w.json({k: rng.choice(d.DOMAIN_TEXTS[k]).format(**fill) for k in domains}),
            antecedents=antecedents,
            predictive_factors=w.json(factors),
            predictive_notes=rng.choice(d.PREDICTIVE_NOTES) if factors else "",
            help_tried=" ".join(t.format(**fill) for t in rng.sample(d.HELP_TRIED, rng.randint(1, 3))),
            client_knows=client_knows,
            client_knows_reason="" if client_knows else rng.choice(d.CLIENT_UNAWARE),
            urgency=plan.urgency,
            desired_response_days=response if rng.random() < 0.8 else None,
            supplied_by_org_id=submitter.organisation_id,
            created_by_id=submitter.pk,
            created_at=w.dt(plan.created),
            category=InfoCategory.ALGEMEEN,
        )
        # The stored response deadline (tafel/cases/deadlines.py), as aanmelding_create writes it.
        aanmelding["response_deadline"] = self.w.date(
            response_deadline(at(plan.created), aanmelding["desired_response_days"])
        )
        for person, role in persons:
            self._row(
                AanmeldingPerson,
                aanmelding_id=aanmelding["id"],
                person_id=person.pk,
                role=role,
                own_view=rng.choice(d.OWN_VIEWS[role]) if rng.random() < 0.6 else "",
                match_score=100.0 if linked else None,
            )
        return aanmelding

    @staticmethod
    def _household_text(persons, minute: int) -> str:
        words = {
            PersonRole.KIND: ("zoon", "dochter"),
            PersonRole.OUDER: ("vader", "moeder"),
            PersonRole.PLEGER: ("vader", "moeder"),
            PersonRole.SLACHTOFFER: ("vader", "moeder"),
        }
        parts = []
        for person, role in persons:
            male = person.gender == Gender.MAN
            if len(persons) == 1:
                word = "man" if male else "vrouw"
            else:
                word = words.get(role, ("betrokkene", "betrokkene"))[0 if male else 1]
            parts.append(f"{word} ({age(person, minute)})")
        text = ", ".join(parts)
        return text[0].upper() + text[1:] + "."

    def _history(self, plan: Plan, case_id: int, aanmelding: dict, regisseur, submitter, persons, fill) -> None:
        rng, w = self.ctx.rng, self.w
        prev = ""
        for s in plan.steps:
            actor = submitter if s.kind in ("create", "info") else regisseur
            if s.kind == "create":
                reason = "Aangemeld."
            elif s.kind == "triage":
                reason = self._triage(plan, case_id, aanmelding, s, regisseur)
            elif s.kind == "info":
                reason = "Aanvullende informatie aangeleverd."
                stamp = at(s.minute).strftime("%d-%m-%Y %H:%M")
                supplied = f"{aanmelding.get('info_supplied', '')}\n\n[{stamp}] {rng.choice(d.INFO_SUPPLIED)}"
                aanmelding["info_supplied"] = supplied.strip()
                aanmelding["status"] = AanmeldingStatus.INGEDIEND
            elif s.kind == "volgen":
                reason = rng.choice(d.VOLGEN_REASONS).format(m=rng.choice((6, 9, 12)))
            elif s.kind == "close":
                reason = rng.choice(d.CLOSE_REASONS)
            elif s.kind == "afschaling":
                reason = "Afschaling naar lokaal: warme overdracht aan het sociaal wijkteam."
            elif s.kind == "opschaling":
                reason = "Opschaling naar het RIEC: aanwijzingen voor georganiseerde criminaliteit (ondermijning)."
            else:  # reopen: a new melding about a person in a case under follow-up joins and reopens it (§5.3)
                reason = "Heropend: nieuwe melding over een persoon in een casus onder volgen op afstand."
                self._joined_aanmelding(plan, case_id, persons, s.minute, fill)
            self._row(
                CaseStatusChange,
                case_id=case_id,
                from_status=prev,
                to_status=s.to_status,
                actor_id=actor.pk,
                at=w.dt(s.minute),
                reason=reason,
            )
            prev = s.to_status
        # A second melding about the same person while the case is open joins it (SPEC §3.2).
        if plan.status == CaseStatus.ACTIEF and not plan.known and rng.random() < 0.1:
            minute = plan.end + rng.randint(1, max(1, -plan.end // DAY - 1)) * DAY
            if minute < 0:
                self._joined_aanmelding(plan, case_id, persons, minute, fill)

    def _joined_aanmelding(self, plan: Plan, case_id: int, persons, minute: int, fill: dict) -> None:
        rng = self.ctx.rng
        key = "politie" if rng.random() < 0.6 else rng.choice(d.PARTNERS[plan.theme])
        user = rng.choice(self.ctx.staff[key])
        a = self._row(
            Aanmelding,
            case_id=case_id,
            route=EntryRoute.VELD,
            status=AanmeldingStatus.GEKOPPELD,
            origin="Politie: nieuwe melding" if key == "politie" else "",
            reason=rng.choice(d.REASONS[plan.theme]).format(**fill),
            summary="Nieuwe melding over een persoon in deze casus; toegevoegd aan de lopende aanpak.",
            client_knows=True,
            urgency=plan.urgency,
            supplied_by_org_id=user.organisation_id,
            created_by_id=user.pk,
            created_at=self.w.dt(minute),
            category=InfoCategory.ALGEMEEN,
        )
        person, role = persons[0]
        self._row(AanmeldingPerson, aanmelding_id=a["id"], person_id=person.pk, role=role, match_score=100.0)

    def _triage(self, plan: Plan, case_id: int, aanmelding: dict, s: Step, regisseur) -> str:
        """A triage record with criteria a-e that fit the outcome (triage_validate's rules), and the decision
        as the aanmelder is told it. Returns the reason of the status change."""
        rng = self.ctx.rng
        outcome = s.outcome
        met = dict.fromkeys("abcde", True)
        override = missing = feedback = ""
        if outcome in ZVH:
            # The team may accept an urgent case that misses one criterion, with a recorded reason (001:L1745).
            if plan.urgency != Urgency.NORMAAL and rng.random() < 0.15:
                met[rng.choice("abd")] = False
                override = "Urgent: de veiligheid van de betrokkenen vraagt nu om een ZVH-aanpak."
        elif outcome == TriageOutcome.VERRIJKEN:
            met.update({k: rng.random() < 0.7 for k in "abcd"})
            met["e"] = False
            missing = rng.choice(d.MISSING_INFO)
        elif outcome == TriageOutcome.LOKAAL:
            failing = {"a": "a", "b": "d", "c": "a", "d": "d", "e": "d", "f": "c", "g": ""}[s.lokaal_reason]
            if failing:
                met[failing] = False
            feedback = rng.choice(d.FEEDBACK[TriageOutcome.LOKAAL])
        elif outcome == TriageOutcome.NIET_GEACCEPTEERD:
            met["a"], met["b"] = False, rng.random() < 0.3
            feedback = d.FEEDBACK[outcome][0]
        else:  # RIEC
            met["b"] = False
            feedback = d.FEEDBACK[outcome][0]
        team = rng.random() < 0.25
        triage = self._row(
            Triage,
            case_id=case_id,
            aanmelding_id=aanmelding["id"],
            decided_by_id=regisseur.pk,
            decided_at=self.w.dt(s.minute),
            mode=TriageMode.TEAM if team else TriageMode.DESK,
            team_others=rng.choice(d.TEAM_OTHERS) if team else "",
            outcome=outcome,
            lokaal_reason=s.lokaal_reason,
            override_reason=override,
            caseload_override_reason="",
            missing_info=missing,
            feedback=feedback,
        )
        if team:
            others = [u for u in self.ctx.house_staff if u is not regisseur]
            for member in rng.sample(others, 2):
                self._row(TEAM, triage_id=triage["id"], user_id=member.pk)
        arguments = []
        for code in "abcde":
            argument = rng.choice(d.ARGUMENTS[(code, met[code])])
            self._row(TriageCriterion, triage_id=triage["id"], criterion=code, met=met[code], argument=argument)
            arguments.append(argument)
        triage["criteria_argued"] = criteria_argued(arguments)  # as triage_decide stores it
        # The status-change reason and the decision text are worded as cases.services.triage_decide words them.
        label = TriageOutcome(outcome).label
        reason, parts = label, [f"Besluit: {label}."]
        if s.lokaal_reason:
            reason += f", reden {LokaalReason(s.lokaal_reason).label}"
            parts.append(f"Reden: {LokaalReason(s.lokaal_reason).label}.")
        if missing:
            parts.append(f"Wij vragen u om aanvullende informatie: {missing}")
        if feedback:
            parts.append(feedback)
        aanmelding["decision_text"] = " ".join(parts)
        if outcome == TriageOutcome.VERRIJKEN:
            aanmelding["status"] = AanmeldingStatus.INFO_GEVRAAGD
            aanmelding["info_requested"] = missing
        else:
            aanmelding["status"] = AanmeldingStatus.BESLOTEN
            aanmelding["decided_at"] = self.w.dt(s.minute)
        return reason

    def _notes(self, plan: Plan, case_id: int, org_keys: list[str], regisseur) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        start = next(s.minute for s in plan.steps if s.kind == "triage")
        end = plan.end if plan.status in CLOSED_STATUSES else -DAY
        if end // DAY <= start // DAY:
            return
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
            minute = rng.randint(start // DAY + 1, end // DAY) * DAY + rng.randint(510, 1020)
            if not start < minute < end:
                continue
            key = rng.choice(org_keys)
            author = regisseur if key == "zvh" else rng.choice(ctx.staff[key])
            org = ctx.orgs[key]
            self._row(
                CaseNote,
                case_id=case_id,
                text=rng.choice(d.NOTES),
                category=d.NOTE_CATEGORY.get(org.type, InfoCategory.ALGEMEEN),
                supplied_by_org_id=org.pk,
                created_by_id=author.pk,
                created_at=self.w.dt(minute),
            )
