"""Screening against the database: is this person known, and whom to contact (SPEC §3.2)."""

from __future__ import annotations

import datetime

import pytest

from tafel.cases import screening as selectors
from tafel.cases.models import Case, CaseStatus
from tafel.cases.services import case_transition, triage_decide
from tafel.cases.tests.test_services_triage import triage_input
from tafel.core.errors import AccessDenied
from tafel.core.models import AuditEvent
from tafel.persons import matching
from tafel.persons.audit_events import PersonEvent
from tafel.persons.matching import NameParts
from tafel.persons.models import Person
from tafel.persons.services import PersonData, build_person, person_create
from tafel.testing import make_case, make_municipality

VALID_BSN = "111222333"


def _person(actor, **kw) -> Person:
    return person_create(actor=actor, data=PersonData(**kw))


def _ids(candidates) -> list[int]:
    return [c.person.pk for c in candidates]


# --- finding the same person despite spelling ---------------------------------------------------------


def test_finds_jansen_for_janssen(professional, municipality):
    pieter = _person(professional, first_names="Pieter", last_name="Jansen", date_of_birth=datetime.date(1980, 3, 14))

    found = selectors.person_match(
        viewer=professional,
        query=NameParts(first_names="Pieter", last_name="Janssen", date_of_birth=datetime.date(1980, 3, 14)),
    )

    assert _ids(found)[:1] == [pieter.pk]
    assert found[0].level == "hoog"
    assert found[0].reasons


def test_finds_initial_with_prefix_for_full_first_name_and_same_birth_date(professional):
    piet = _person(
        professional, first_names="P.", prefix="de", last_name="Vries", date_of_birth=datetime.date(1975, 6, 2)
    )

    found = selectors.person_match(
        viewer=professional,
        query=NameParts(first_names="Piet", last_name="de Vries", date_of_birth=datetime.date(1975, 6, 2)),
    )

    assert piet.pk in _ids(found)


def test_finds_arabic_name_variants(professional):
    mohamed = _person(
        professional, first_names="Mohamed", last_name="El Amrani", date_of_birth=datetime.date(1991, 9, 9)
    )

    found = selectors.person_match(
        viewer=professional,
        query=NameParts(first_names="Mohammed", last_name="el-Amrani", date_of_birth=datetime.date(1991, 9, 9)),
    )

    assert _ids(found)[:1] == [mohamed.pk]


def test_finds_swapped_first_and_last_name(professional):
    swapped = _person(professional, first_names="Janssen", last_name="Pieter", date_of_birth=datetime.date(1980, 3, 14))

    found = selectors.person_match(
        viewer=professional,
        query=NameParts(first_names="Pieter", last_name="Janssen", date_of_birth=datetime.date(1980, 3, 14)),
    )

    assert swapped.pk in _ids(found)
    match = next(c for c in found if c.person.pk == swapped.pk)
    assert "voor- en achternaam omgedraaid" in match.reasons


def test_does_not_return_other_person_sharing_only_surname_and_municipality(professional, municipality):
    karin = _person(
        professional,
        first_names="Karin",
        prefix="de",
        last_name="Vries",
        date_of_birth=datetime.date(1990, 1, 1),
        municipality_id=municipality.pk,
    )

    found = selectors.person_match(
        viewer=professional,
        query=NameParts(first_names="Jan", last_name="de Vries", date_of_birth=datetime.date(1975, 5, 5)),
    )

    assert karin.pk not in _ids(found)


@pytest.mark.parametrize("typed", [VALID_BSN, "111 222 333", "111.222.333"])
def test_finds_person_by_bsn_whatever_the_name(professional, typed):
    person = _person(professional, first_names="Anna", last_name="Mulder", bsn=VALID_BSN)

    found = selectors.person_match(viewer=professional, query=NameParts(last_name="Muller-Smit", bsn=typed))

    assert _ids(found)[:1] == [person.pk]
    assert found[0].score == 100.0
    assert "BSN gelijk" in found[0].reasons


def test_different_valid_bsn_keeps_same_name_below_threshold(professional):
    _person(
        professional, first_names="Anna", last_name="Mulder", date_of_birth=datetime.date(1970, 1, 2), bsn=VALID_BSN
    )

    found = selectors.person_match(
        viewer=professional,
        query=NameParts(
            first_names="Anna", last_name="Mulder", date_of_birth=datetime.date(1970, 1, 2), bsn="111222345"
        ),
    )

    assert found == [] or all(c.score < 60 for c in found)


def test_a_candidate_carries_the_stored_person_as_shown(procesregisseur, municipality):
    """Candidates are scored from plain rows and built as a Person only when shown: the fields shown must be the
    stored ones, each in its place."""
    stored = _person(
        procesregisseur,
        first_names="Pieter",
        last_name="Jansen",
        birth_last_name="de Boer",
        date_of_birth=datetime.date(1980, 3, 14),
        bsn=VALID_BSN,
        gender="m",
        municipality_id=municipality.pk,
    )
    [found] = selectors.person_match(
        viewer=procesregisseur,
        query=NameParts(first_names="Pieter", last_name="Janssen", date_of_birth=datetime.date(1980, 3, 14)),
        audit_it=False,
    )
    person = found.person
    assert (person.pk, person.first_names, person.last_name, person.birth_last_name) == (
        stored.pk,
        "Pieter",
        "Jansen",
        "de Boer",
    )
    assert (person.date_of_birth, person.gender, person.municipality_id) == (
        datetime.date(1980, 3, 14),
        "m",
        municipality.pk,
    )
    assert person.bsn == VALID_BSN and person.bsn_masked == stored.bsn_masked


def test_with_a_date_of_birth_namesakes_born_on_other_days_are_not_scored(procesregisseur, monkeypatch):
    """With a date of birth typed, a namesake born on a date that is not one typo away cannot be shown, so it is
    left out before MAX_SCORED is cut: 30 such namesakes no longer push out a person who is born one digit off."""
    Person.objects.bulk_create(
        [
            build_person(
                PersonData(first_names="Mohamed", last_name="Jansen", date_of_birth=datetime.date(1950, 1, 1 + i)),
                organisation_id=None,
            )
            for i in range(30)
        ]
    )
    target = _person(
        procesregisseur, first_names="Mohamed", last_name="Jansen", date_of_birth=datetime.date(1980, 3, 4)
    )
    unknown = _person(procesregisseur, first_names="Mohamed", last_name="Jansen")
    monkeypatch.setattr(selectors, "MAX_SCORED", 5)
    found = selectors.person_match(
        viewer=procesregisseur,
        query=NameParts(first_names="Mohamed", last_name="Jansen", date_of_birth=datetime.date(1980, 3, 14)),
        audit_it=False,
    )
    assert _ids(found) == [target.pk, unknown.pk]


def test_a_namesake_born_a_typo_away_is_not_hoog_beside_one_born_on_the_typed_date(procesregisseur):
    """At national scale a common name has namesakes born one typo away from anyone's date of birth. Typed
    "M. Jansen, 4-3-1980": the person born on that date is "hoog"; the namesake born on 14-3-1980 drops to
    "mogelijk" and says why. Alone (nobody born on the typed date), a one-digit-off date stays "hoog"."""
    exact = _person(procesregisseur, first_names="Mohamed", last_name="Jansen", date_of_birth=datetime.date(1980, 3, 4))
    near = _person(procesregisseur, first_names="Mohamed", last_name="Jansen", date_of_birth=datetime.date(1980, 3, 14))
    typed = NameParts(first_names="M.", last_name="Jansen", date_of_birth=datetime.date(1980, 3, 4))
    found = {c.person.pk: c for c in selectors.person_match(viewer=procesregisseur, query=typed, audit_it=False)}
    assert found[exact.pk].level == "hoog"
    assert found[near.pk].level == "mogelijk"
    assert selectors.TYPED_DATE_TAKEN_REASON in found[near.pk].reasons
    assert selectors.TYPED_DATE_TAKEN_REASON not in found[exact.pk].reasons

    alone = NameParts(first_names="Mohamed", last_name="Jansen", date_of_birth=datetime.date(1980, 3, 24))
    found = {c.person.pk: c for c in selectors.person_match(viewer=procesregisseur, query=alone, audit_it=False)}
    assert found[near.pk].level == "hoog"
    assert selectors.TYPED_DATE_TAKEN_REASON not in found[near.pk].reasons


def test_empty_query_returns_nothing(professional):
    assert selectors.person_match(viewer=professional, query=NameParts()) == []


def test_best_match_is_not_crowded_out_by_namesakes(professional, monkeypatch):
    """Only MAX_SCORED rows are scored: a common first name must not push the real match out."""
    dob = datetime.date(1985, 4, 4)
    Person.objects.bulk_create(
        [
            build_person(
                PersonData(first_names="Mohamed", last_name=f"Achternaam{chr(97 + i // 26)}{chr(97 + i % 26)}"),
                organisation_id=None,
            )
            for i in range(30)
        ]
    )
    target = _person(professional, first_names="Mohamed", last_name="Zwart", date_of_birth=dob)
    monkeypatch.setattr(selectors, "MAX_SCORED", 5)

    found = selectors.person_match(
        viewer=professional, query=NameParts(first_names="Mohamed", last_name="Zwart", date_of_birth=dob)
    )

    assert _ids(found)[:1] == [target.pk]


def test_a_typo_that_breaks_the_surname_key_is_not_crowded_out_by_first_name_namesakes(procesregisseur, monkeypatch):
    """Issue 14: "Nieustraten" (a letter dropped) has another phonetic key than "Nieuwstraten", so the person is
    reached through the first name alone; among many persons with that first name, those whose surname begins or
    ends like the typed one are scored first."""
    Person.objects.bulk_create(
        [
            build_person(
                PersonData(first_names="Mohamed", last_name=f"Achternaam{chr(97 + i // 26)}{chr(97 + i % 26)}"),
                organisation_id=None,
            )
            for i in range(30)
        ]
    )
    target = _person(procesregisseur, first_names="Mohamed", last_name="Nieuwstraten")
    assert matching.phonetic("nieustraten") != matching.phonetic("nieuwstraten")
    monkeypatch.setattr(selectors, "MAX_SCORED", 5)

    found = selectors.person_match(
        viewer=procesregisseur, query=NameParts(first_names="Mohamed", last_name="Nieustraten"), audit_it=False
    )

    assert _ids(found)[:1] == [target.pk]


def test_first_name_and_date_of_birth_outrank_a_common_surname_alone(procesregisseur, monkeypatch):
    """Issue 14 (bench, 100,000 cases): "Ian Smit" with the date of birth missed "Ian Smits" because 400 other
    Smits filled MAX_SCORED before the person who shares first name and date of birth."""
    Person.objects.bulk_create(
        [
            build_person(PersonData(first_names=f"Voornaam{chr(97 + i)}", last_name="Smit"), organisation_id=None)
            for i in range(20)
        ]
    )
    dob = datetime.date(2017, 5, 19)
    target = _person(procesregisseur, first_names="Ian", last_name="Smits", date_of_birth=dob)
    monkeypatch.setattr(selectors, "MAX_SCORED", 5)
    found = selectors.person_match(
        viewer=procesregisseur, query=NameParts(first_names="Ian", last_name="Smit", date_of_birth=dob), audit_it=False
    )
    assert _ids(found)[:1] == [target.pk]


def test_two_letters_swapped_in_a_short_surname_are_found(procesregisseur):
    target = _person(procesregisseur, first_names="Sander", last_name="Wit", date_of_birth=datetime.date(1979, 5, 6))
    found = selectors.person_match(
        viewer=procesregisseur, query=NameParts(first_names="Sander", last_name="iWt"), audit_it=False
    )
    assert _ids(found)[:1] == [target.pk]


# --- dat-informatie -----------------------------------------------------------------------------------


@pytest.fixture
def active_case(case, procesregisseur):
    triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com"))
    case.refresh_from_db()
    return case


def _query_for(case: Case) -> NameParts:
    person = case.case_persons.get().person
    return NameParts(first_names=person.first_names, last_name=person.last_name, date_of_birth=person.date_of_birth)


def test_candidate_in_open_case_carries_procesregisseur_as_contact(active_case, professional, procesregisseur):
    found = selectors.person_match(viewer=professional, query=_query_for(active_case))

    signal = found[0].known[0]
    assert signal.contact_name == str(procesregisseur)
    assert signal.contact_organisation == str(procesregisseur.organisation)
    assert signal.contact_email == procesregisseur.email
    assert signal.status_label == CaseStatus.ACTIEF.label
    # The professional's organisation takes part in the case: they may see which case it is.
    assert signal.case_id == active_case.pk
    assert signal.case_reference == active_case.reference


def test_outsider_gets_contact_but_not_the_case(active_case, outsider, procesregisseur):
    found = selectors.person_match(viewer=outsider, query=_query_for(active_case))

    signal = found[0].known[0]
    assert signal.contact_name == str(procesregisseur)
    assert signal.case_reference == ""
    assert signal.case_id is None


def test_case_awaiting_triage_names_the_house_as_contact(case, outsider):
    found = selectors.person_match(viewer=outsider, query=_query_for(case))

    signal = found[0].known[0]
    assert signal.contact_name == "het Zorg- en Veiligheidshuis"
    assert signal.status_label == CaseStatus.AANGEMELD.label
    assert signal.case_id is None


def test_case_under_follow_up_is_signalled(active_case, procesregisseur, outsider):
    case_transition(actor=procesregisseur, case=active_case, to_status=CaseStatus.VOLGEN, reason="Volgen.")

    found = selectors.person_match(viewer=outsider, query=_query_for(active_case))

    assert found[0].known[0].status_label == CaseStatus.VOLGEN.label


def test_person_in_closed_case_has_no_signal(active_case, procesregisseur, professional):
    case_transition(actor=procesregisseur, case=active_case, to_status=CaseStatus.AFGESLOTEN, reason="Klaar.")

    found = selectors.person_match(viewer=professional, query=_query_for(active_case))

    assert found[0].person.pk == active_case.case_persons.get().person_id
    assert found[0].known == []


def test_house_sees_case_reference_of_every_signal(active_case, procesregisseur):
    found = selectors.person_match(viewer=procesregisseur, query=_query_for(active_case))
    assert found[0].known[0].case_reference == active_case.reference


# --- access, audit and query count --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["analyst", "beheerder"])
def test_users_who_may_not_submit_may_not_screen(request, case, who):
    with pytest.raises(AccessDenied):
        selectors.person_match(viewer=request.getfixturevalue(who), query=_query_for(case))


def test_screening_is_audited_per_candidate_and_signal(active_case, outsider):
    found = selectors.person_match(viewer=outsider, query=_query_for(active_case))

    person_id = found[0].person.pk
    match = AuditEvent.objects.get(event_type=PersonEvent.PERSON_MATCH, person_id=person_id)
    assert match.actor == outsider
    assert match.organisation_id == outsider.organisation_id
    signal = AuditEvent.objects.get(event_type=PersonEvent.PERSON_KNOWN_SIGNAL, case_id=active_case.pk)
    assert signal.actor == outsider


def test_screening_without_result_is_audited(professional):
    selectors.person_match(
        viewer=professional,
        query=NameParts(first_names="Niemand", last_name="Onbekend", date_of_birth=datetime.date(1990, 1, 1)),
    )

    event = AuditEvent.objects.get(event_type=PersonEvent.PERSON_MATCH, actor=professional)
    assert event.details == {"query": "achternaam+voornaam+geboortedatum", "candidates": 0}


def test_screening_can_skip_audit_for_internal_use(active_case, professional):
    selectors.person_match(viewer=professional, query=_query_for(active_case), audit_it=False)
    assert not AuditEvent.objects.filter(event_type=PersonEvent.PERSON_MATCH).exists()


@pytest.mark.parametrize("n_cases", [1, 8])
def test_query_count_does_not_grow_with_candidates_in_cases(
    professional, procesregisseur, municipality, django_assert_max_num_queries, n_cases
):
    from tafel.cases.services import PersonInput
    from tafel.organisations.models import User

    other = make_municipality("Laren", max_caseload=100)
    for i in range(n_cases):
        persons = [
            PersonInput(
                first_names="Pieter", last_name="Janssen", date_of_birth=datetime.date(1980, 3, 14), role="pleger"
            ),
            PersonInput(first_names=f"Kind{i}", last_name="Janssen", role="kind"),
        ]
        case = make_case(professional, other if i % 2 else municipality, persons=persons)
        if i % 3 == 0:
            triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com"))
    viewer = User.objects.get(pk=professional.pk)  # fresh instance: role and organisation caches empty

    # Two more than before issue 10: the query's own audit row and which candidates the viewer may see.
    with django_assert_max_num_queries(9):
        found = selectors.person_match(
            viewer=viewer,
            query=NameParts(first_names="Pieter", last_name="Janssen", date_of_birth=datetime.date(1980, 3, 14)),
        )

    assert len(found) == n_cases
    assert all(len(c.known) == 1 for c in found)
