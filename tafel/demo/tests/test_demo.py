"""The demo generator (`manage.py demo`): deterministic, complete, consistent with the domain rules."""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tafel.cases.models import (
    FOLLOW_UP_STATUSES,
    OPEN_STATUSES,
    ZVH_OUTCOMES,
    Aanmelding,
    AanmeldingStatus,
    Case,
    CaseOrganisation,
    CasePerson,
    CaseStatus,
    CaseStatusChange,
    EntryRoute,
    PersonRole,
    Theme,
    Triage,
    TriageOutcome,
)
from tafel.cases.screening import person_match
from tafel.cases.services import (
    ALLOWED_TRANSITIONS,
    CLOSED_STATUSES,
    CriterionInput,
    TriageInput,
    municipality_caseload,
    triage_validate,
)
from tafel.core import crypto
from tafel.core.models import AuditEvent
from tafel.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from tafel.demo.plan import BASE
from tafel.organisations.models import Municipality, Organisation, OrganisationType, Role, User
from tafel.persons.matching import NameParts
from tafel.persons.models import Person
from tafel.testing import make_case

CASES = 60


@pytest.fixture
def demo(db):
    call_command("demo", seed=3, cases=CASES, verbosity=0, stdout=io.StringIO())


def snapshot() -> dict:
    """What a user sees of the demo, without database ids."""
    return {
        "cases": list(
            Case.objects.order_by("reference").values_list(
                "reference",
                "title",
                "status",
                "theme",
                "entry_route",
                "urgency",
                "phase",
                "municipality__name",
                "created_at",
                "procesregisseur__username",
                "casusregisseur__username",
            )
        ),
        "persons": list(
            CasePerson.objects.order_by("case__reference", "person__last_name", "person__first_names").values_list(
                "case__reference",
                "role",
                "person__first_names",
                "person__prefix",
                "person__last_name",
                "person__date_of_birth",
                "person__address",
                "person__bsn_hash",
            )
        ),
        "history": list(
            CaseStatusChange.objects.order_by("case__reference", "at", "to_status").values_list(
                "case__reference", "from_status", "to_status", "at", "reason", "actor__username"
            )
        ),
        "aanmeldingen": list(
            Aanmelding.objects.order_by("case__reference", "created_at").values_list(
                "case__reference", "status", "reason", "summary", "household", "life_domains", "decision_text"
            )
        ),
        "organisations": sorted(
            CaseOrganisation.objects.values_list("case__reference", "organisation__name", "reason", "added_at")
        ),
        "users": list(User.objects.order_by("username").values_list("username", "first_name", "last_name")),
        "caps": list(Municipality.objects.order_by("name").values_list("name", "max_caseload")),
    }


@pytest.mark.django_db(transaction=True)
def test_demo_is_deterministic_for_a_seed():
    def run(seed: int) -> dict:
        call_command("flush", interactive=False, verbosity=0)
        call_command("demo", seed=seed, cases=CASES, verbosity=0, stdout=io.StringIO())
        return snapshot()

    first = run(11)
    assert len(first["cases"]) == CASES
    assert run(11) == first
    assert run(12)["cases"] != first["cases"]


def test_demo_covers_every_status_theme_and_route(demo):
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert set(Case.objects.values_list("theme", flat=True)) == set(Theme.values)
    assert set(Case.objects.values_list("entry_route", flat=True)) == set(EntryRoute.values)
    outcomes = set(Triage.objects.values_list("outcome", flat=True))
    assert {TriageOutcome.VERRIJKEN, TriageOutcome.LOKAAL, TriageOutcome.RIEC} <= outcomes
    assert outcomes & ZVH_OUTCOMES


def test_every_organisation_type_takes_part_and_some_lack_the_convenant(demo):
    assert set(Organisation.objects.values_list("type", flat=True)) == set(OrganisationType.values)
    assert 1 <= Organisation.objects.filter(convenant_signed=False).count() <= 2
    assert Organisation.objects.filter(type=OrganisationType.ZVH).count() == 1


def test_every_role_has_a_user_and_every_demo_login_works(demo):
    roles = set(User.objects.values_list("roles__role", flat=True))
    assert set(Role.values) <= roles
    house = User.objects.filter(organisation__type=OrganisationType.ZVH)
    assert house.filter(roles__role=Role.PROCESREGISSEUR).count() >= 3
    assert house.filter(roles__role=Role.INFORMATIEMEDEWERKER).count() >= 2
    for account in DEMO_ACCOUNTS:
        user = User.objects.select_related("organisation").get(username=account["username"])
        assert user.is_active
        assert user.organisation.name == account["organisation"]
        assert account["password"] == DEMO_PASSWORD
        assert user.check_password(DEMO_PASSWORD), account["username"]
    assert User.objects.get(username="beheer").is_staff
    assert User.objects.get(username="regisseur").in_house
    assert User.objects.get(username="regisseur").has_role(Role.PROCESREGISSEUR)


def test_status_history_obeys_the_transition_table(demo):
    changes = defaultdict(list)
    for change in CaseStatusChange.objects.order_by("at", "id"):
        changes[change.case_id].append(change)
    for case in Case.objects.all():
        history = changes[case.pk]
        assert history[0].from_status == "" and history[0].to_status == CaseStatus.AANGEMELD
        assert history[0].at == case.created_at
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_status == before.to_status, case.reference
            assert after.to_status in ALLOWED_TRANSITIONS[after.from_status], case.reference
            assert after.at > before.at
            assert after.reason
        assert history[-1].to_status == case.status
        assert history[-1].at == case.status_changed_at
        assert (case.closed_at is not None) == (case.status in CLOSED_STATUSES)


def test_every_triage_record_passes_the_triage_rules(demo):
    triages = Triage.objects.prefetch_related("criteria", "team_members")
    assert triages
    for t in triages:
        data = TriageInput(
            criteria=[CriterionInput(c.criterion, c.met, c.argument) for c in t.criteria.all()],
            outcome=t.outcome,
            mode=t.mode,
            team_member_ids=[u.pk for u in t.team_members.all()],
            team_others=t.team_others,
            lokaal_reason=t.lokaal_reason,
            override_reason=t.override_reason,
            missing_info=t.missing_info,
            feedback=t.feedback,
        )
        assert triage_validate(data) == {}, (t.case.reference, triage_validate(data))
        assert t.decided_by.has_role(Role.PROCESREGISSEUR)
    # Every case past intake was triaged, and its aanmelder was told the decision.
    for case in Case.objects.exclude(status=CaseStatus.AANGEMELD).prefetch_related("aanmeldingen", "triages"):
        assert case.triages.all(), case.reference
        assert case.procesregisseur_id
        first = min(case.aanmeldingen.all(), key=lambda a: a.created_at)
        assert first.decision_text.startswith("Besluit:")
        expected = AanmeldingStatus.INFO_GEVRAAGD if case.status == CaseStatus.VERRIJKEN else AanmeldingStatus.BESLOTEN
        assert first.status == expected


def test_laren_is_exactly_at_its_maximum_caseload(demo):
    laren = Municipality.objects.get(name="Laren")
    assert laren.max_caseload >= 2
    assert municipality_caseload(laren.pk) == laren.max_caseload
    for m in Municipality.objects.exclude(pk=laren.pk):
        assert municipality_caseload(m.pk) < m.max_caseload, m.name
    hilversum = Municipality.objects.get(name="Hilversum")
    assert hilversum.max_caseload == max(Municipality.objects.values_list("max_caseload", flat=True))


def test_cases_have_persons_organisations_and_references_in_shape(demo):
    person_counts = Counter(CasePerson.objects.values_list("case_id", flat=True))
    org_counts = Counter(CaseOrganisation.objects.values_list("case_id", flat=True))
    for case in Case.objects.prefetch_related("aanmeldingen", "participations"):
        assert re.fullmatch(r"ZVH-\d{4}-\d{6}", case.reference)
        assert case.reference[4:8] == str(timezone.localtime(case.created_at).year)
        assert 1 <= person_counts[case.pk] <= 6, case.reference
        assert 2 <= org_counts[case.pk] <= 8, case.reference
        submitter = min(case.aanmeldingen.all(), key=lambda a: a.created_at).supplied_by_org_id
        assert submitter in {p.organisation_id for p in case.participations.all()}
        assert case.created_at < BASE and case.status_changed_at < BASE
    veelplegers = Case.objects.filter(theme=Theme.VEELPLEGER)
    assert all(person_counts[c.pk] == 1 for c in veelplegers)


def test_family_members_have_plausible_ages(demo):
    for link in CasePerson.objects.select_related("case", "person").filter(case__theme=Theme.HUISELIJK_GEWELD):
        day, born = link.case.created_at.date(), link.person.date_of_birth
        age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if link.role == PersonRole.KIND:
            assert 0 <= age <= 18, (link.case.reference, age)
        else:
            assert 21 <= age <= 60, (link.case.reference, age)


def test_persons_recur_only_after_their_earlier_case_closed(demo):
    open_statuses = {*OPEN_STATUSES, *FOLLOW_UP_STATUSES}
    by_person = defaultdict(list)
    for person_id, status in CasePerson.objects.values_list("person_id", "case__status"):
        by_person[person_id].append(status)
    assert any(len(statuses) > 1 for statuses in by_person.values())
    # A melding about a person in an open case joins that case, so nobody is in two open cases.
    assert all(sum(s in open_statuses for s in statuses) <= 1 for statuses in by_person.values())


def test_well_known_persons_are_where_the_help_text_says(demo):
    pieter = Person.objects.get(first_names="Pieter", last_name="Jansen")
    assert pieter.date_of_birth == datetime.date(1980, 3, 14)
    assert pieter.bsn == "123456782"
    assert pieter.municipality.name == "Hilversum"
    cases = Case.objects.filter(case_persons__person=pieter).order_by("created_at")
    assert [c.status for c in cases] == [CaseStatus.AFGESLOTEN, CaseStatus.ACTIEF]
    active = cases.last()
    assert active.procesregisseur.username == "regisseur"
    assert active.casusregisseur.username == "casusregisseur"
    assert active.case_persons.count() == 4
    piet = Person.objects.get(first_names="Piet", prefix="de", last_name="Vries")
    assert piet.date_of_birth == datetime.date(1975, 6, 2)
    assert piet.case_links.get().case.status == CaseStatus.AANGEMELD
    johan = Person.objects.get(first_names="Johan", last_name="Verbeek")
    assert johan.date_of_birth == datetime.date(1969, 11, 30)
    assert johan.case_links.get().case.municipality.name == "Laren"
    regisseur = User.objects.get(username="regisseur")
    found = person_match(viewer=regisseur, query=NameParts(first_names="Pieter", last_name="Janssen"), audit_it=False)
    assert found[0].person == pieter
    assert found[0].known and found[0].known[0].case_id == active.pk


def test_about_ten_percent_of_persons_have_a_valid_bsn(demo):
    persons = list(Person.objects.all())
    with_bsn = [p for p in persons if p.bsn_encrypted]
    assert 0.03 <= len(with_bsn) / len(persons) <= 0.2
    for person in with_bsn:
        assert crypto.bsn_is_valid(person.bsn)
        assert person.bsn_hash == crypto.keyed_hash(person.bsn)
    assert len({p.bsn_hash for p in with_bsn}) == len(with_bsn)


def test_fast_bsn_gives_a_bsn_only_to_the_well_known_persons(db):
    call_command("demo", seed=3, cases=CASES, fast_bsn=True, verbosity=0, stdout=io.StringIO())
    named = set(Person.objects.exclude(bsn_hash="").values_list("first_names", "last_name"))
    assert named == {("Pieter", "Jansen"), ("Piet", "Vries")}


def test_demo_writes_no_audit_events(demo):
    assert not AuditEvent.objects.exists()


def test_if_empty_leaves_an_existing_database_alone(demo):
    out = io.StringIO()
    call_command("demo", seed=4, cases=CASES, if_empty=True, stdout=out)
    assert Case.objects.count() == CASES
    assert "al casussen" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("demo", seed=4, cases=CASES, verbosity=0)


def test_services_keep_working_on_top_of_the_demo(demo):
    """Ids were allocated by the generator: a case made through the services must still get fresh ones."""
    politie = User.objects.get(username="politie")
    hilversum = Municipality.objects.get(name="Hilversum")
    before = Case.objects.count()
    case = make_case(politie, hilversum)
    assert Case.objects.count() == before + 1
    assert case.reference not in set(Case.objects.exclude(pk=case.pk).values_list("reference", flat=True))


def test_demo_logins_prints_every_account_and_the_address(demo):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for account in DEMO_ACCOUNTS:
        assert account["username"] in text
    assert "Open http://127.0.0.1:8000" in text
    assert "Nog niet aangemaakt" not in text


def test_every_discussed_demo_case_has_a_reglement(demo):
    from tafel.meetings.models import AgendaItem
    from tafel.privacy.models import Reglement
    from tafel.privacy.selectors import case_reglement

    assert Reglement.objects.count() == 7
    item = AgendaItem.objects.select_related("case").order_by("pk").first()
    reglement = case_reglement(item.case)
    assert reglement is not None and reglement.retention_months == 60
    assert "Noodzakelijk om ernstige schade" in reglement.exchange_rules[0]


def test_every_case_that_left_the_aanpak_has_its_closure_record(demo):
    from tafel.lifecycle.models import Closure, ClosureKind

    left = CaseStatusChange.objects.filter(
        from_status=CaseStatus.ACTIEF,
        to_status__in=[CaseStatus.VOLGEN, CaseStatus.AFGESLOTEN, CaseStatus.LOKAAL, CaseStatus.RIEC],
    )
    assert left.exists()
    assert Closure.objects.count() == left.count()
    for closure in Closure.objects.filter(kind=ClosureKind.AFSLUITING):
        assert closure.goal_reached and closure.afsluitingsplan
        assert any(closure.criteria[k] for k in ("care_started", "justice_started", "family_refuses"))
    assert not Closure.objects.filter(kind=ClosureKind.RIEC).exclude(goal_reached=None).exists()
