"""Intake: aanmelding_create and aanmelding_supply_info (SPEC §3.1, §3.2, §5.3)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import (
    Aanmelding,
    AanmeldingPerson,
    AanmeldingStatus,
    Case,
    CaseOrganisation,
    CasePerson,
    CaseStatus,
    CaseStatusChange,
    PersonRole,
)
from tafel.cases.services import (
    PersonInput,
    aanmelding_create,
    aanmelding_supply_info,
    case_transition,
    triage_decide,
)
from tafel.cases.tests.test_services_triage import triage_input
from tafel.core import crypto
from tafel.core.audit_events import CoreEvent
from tafel.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.organisations.models import Role
from tafel.persons.audit_events import PersonEvent
from tafel.persons.models import Person
from tafel.testing import aanmelding_input, make_municipality, make_user, screen

VALID_BSN = "111222333"
INVALID_BSN = "123456789"


def _family() -> list[PersonInput]:
    return [
        PersonInput(
            first_names="Pieter",
            last_name="Janssen",
            date_of_birth=datetime.date(1980, 3, 14),
            gender="m",
            role=PersonRole.PLEGER,
            own_view="Vindt dat het wel meevalt.",
        ),
        PersonInput(
            first_names="Sandra",
            last_name="Janssen",
            birth_last_name="Bakker",
            date_of_birth=datetime.date(1982, 7, 1),
            gender="v",
            role=PersonRole.SLACHTOFFER,
            own_view="Wil vooral rust voor de kinderen.",
        ),
        PersonInput(
            first_names="Lotte", last_name="Janssen", date_of_birth=datetime.date(2012, 1, 5), role=PersonRole.KIND
        ),
        PersonInput(first_names="Henk", last_name="Bakker", role=PersonRole.OUDER),
        PersonInput(first_names="Ans", last_name="de Wit", role=PersonRole.BETROKKENE),
        PersonInput(first_names="Kees", last_name="Buur", role=PersonRole.GETUIGE),
    ]


def _counts() -> dict[str, int]:
    return {
        "case": Case.objects.count(),
        "person": Person.objects.count(),
        "aanmelding": Aanmelding.objects.count(),
        # A refused id is itself audited (issue 10, finding 11); nothing else may be written.
        "audit": AuditEvent.objects.exclude(event_type=CoreEvent.ACCESS_DENIED).count(),
        "case_person": CasePerson.objects.count(),
        "participation": CaseOrganisation.objects.count(),
    }


def _make_active(case: Case, regisseur) -> Case:
    triage_decide(actor=regisseur, case=case, data=triage_input("zvh_com"))
    case.refresh_from_db()
    return case


# --- creating a case -----------------------------------------------------------------------------------


def test_aanmelding_creates_case_awaiting_triage(professional, municipality):
    result = aanmelding_create(actor=professional, data=aanmelding_input(municipality))

    case = result.case
    assert result.joined_existing is False
    assert case.status == CaseStatus.AANGEMELD
    assert case.municipality == municipality
    assert case.closed_at is None
    assert result.aanmelding.case == case
    assert result.aanmelding.status == AanmeldingStatus.INGEDIEND
    assert result.aanmelding.supplied_by_org_id == professional.organisation_id
    assert result.aanmelding.created_by == professional
    first = CaseStatusChange.objects.get(case=case)
    assert (first.from_status, first.to_status, first.actor) == ("", CaseStatus.AANGEMELD, professional)


def test_references_are_sequential_per_year(professional, municipality):
    first = aanmelding_create(actor=professional, data=aanmelding_input(municipality)).case
    second = aanmelding_create(actor=professional, data=aanmelding_input(municipality)).case

    year = timezone.localdate().year
    assert first.reference == f"ZVH-{year}-000001"
    assert second.reference == f"ZVH-{year}-000002"


def test_reference_continues_after_highest_number_of_the_year(professional, municipality):
    year = timezone.localdate().year
    first = aanmelding_create(actor=professional, data=aanmelding_input(municipality)).case
    Case.objects.filter(pk=first.pk).update(reference=f"ZVH-{year}-000041")
    last_year = aanmelding_create(actor=professional, data=aanmelding_input(municipality)).case
    Case.objects.filter(pk=last_year.pk).update(reference=f"ZVH-{year - 1}-000999")

    third = aanmelding_create(actor=professional, data=aanmelding_input(municipality)).case

    assert third.reference == f"ZVH-{year}-000042"


def test_reference_taken_by_a_concurrent_intake_is_retried(professional, municipality, monkeypatch):
    from tafel.cases import services

    taken = aanmelding_create(actor=professional, data=aanmelding_input(municipality)).case.reference
    year = timezone.localdate().year
    answers = iter([taken, f"ZVH-{year}-000002"])
    monkeypatch.setattr(services, "_next_reference", lambda now: next(answers))

    case = aanmelding_create(actor=professional, data=aanmelding_input(municipality)).case

    assert case.reference == f"ZVH-{year}-000002"
    assert Case.objects.count() == 2


def test_submitting_organisation_participates_in_new_case(professional, municipality):
    case = aanmelding_create(actor=professional, data=aanmelding_input(municipality)).case

    participation = CaseOrganisation.objects.get(case=case)
    assert participation.organisation_id == professional.organisation_id
    assert participation.added_by == professional


def test_persons_are_linked_with_several_roles_without_forcing_dader_slachtoffer(professional, municipality):
    result = aanmelding_create(actor=professional, data=aanmelding_input(municipality, persons=_family()))

    roles = sorted(CasePerson.objects.filter(case=result.case).values_list("role", flat=True))
    assert roles == sorted(
        [
            PersonRole.PLEGER,
            PersonRole.SLACHTOFFER,
            PersonRole.KIND,
            PersonRole.OUDER,
            PersonRole.BETROKKENE,
            PersonRole.GETUIGE,
        ]
    )


def test_case_without_pleger_or_slachtoffer_is_accepted(professional, municipality):
    persons = [
        PersonInput(first_names="Ria", last_name="Veldman", role=PersonRole.BETROKKENE),
        PersonInput(first_names="Tom", last_name="Veldman", role=PersonRole.BETROKKENE),
    ]
    result = aanmelding_create(actor=professional, data=aanmelding_input(municipality, persons=persons))

    assert CasePerson.objects.filter(case=result.case, role=PersonRole.BETROKKENE).count() == 2


def test_aanmelding_person_keeps_own_view_per_person(professional, municipality):
    result = aanmelding_create(actor=professional, data=aanmelding_input(municipality, persons=_family()))

    views = dict(
        AanmeldingPerson.objects.filter(aanmelding=result.aanmelding).values_list("person__first_names", "own_view")
    )
    assert views["Pieter"] == "Vindt dat het wel meevalt."
    assert views["Sandra"] == "Wil vooral rust voor de kinderen."
    assert views["Lotte"] == ""


def test_linking_an_existing_person_does_not_create_a_new_person(professional, municipality):
    existing = aanmelding_create(actor=professional, data=aanmelding_input(municipality)).case
    person = existing.case_persons.get().person
    case_transition(actor=professional, case=existing, to_status=CaseStatus.NIET_GEACCEPTEERD, reason="Test.")
    persons_before = Person.objects.count()

    result = aanmelding_create(
        actor=professional,
        data=aanmelding_input(
            municipality,
            persons=[PersonInput(existing_person_id=person.pk, role=PersonRole.SLACHTOFFER, match_score=92.0)],
        ),
    )

    assert Person.objects.count() == persons_before
    link = AanmeldingPerson.objects.get(aanmelding=result.aanmelding)
    assert link.person == person
    assert link.match_score == 92.0
    assert CasePerson.objects.get(case=result.case).person == person


def test_aanmelding_create_writes_audit_events(professional, municipality):
    result = aanmelding_create(actor=professional, data=aanmelding_input(municipality))

    events = AuditEvent.objects.filter(actor=professional)
    person = result.case.case_persons.get().person
    assert events.filter(event_type=CaseEvent.CASE_CREATE, case_id=result.case.pk).exists()
    assert events.filter(event_type=CaseEvent.AANMELDING_CREATE, case_id=result.case.pk).exists()
    assert events.filter(event_type=PersonEvent.PERSON_CREATE, person_id=person.pk).exists()
    assert set(events.values_list("organisation_id", flat=True)) == {professional.organisation_id}


def test_user_without_submit_role_may_not_submit(analyst, municipality):
    before = _counts()
    with pytest.raises(AccessDenied):
        aanmelding_create(actor=analyst, data=aanmelding_input(municipality))
    assert _counts() == before


# --- duplicate meldingen join one case (SPEC §3.2, §5.3) -----------------------------------------------


def _about(person: Person, role: str = PersonRole.PLEGER) -> list[PersonInput]:
    return [PersonInput(existing_person_id=person.pk, role=role)]


@pytest.mark.parametrize("status", [CaseStatus.AANGEMELD, CaseStatus.VERRIJKEN, CaseStatus.ACTIEF])
def test_new_melding_about_person_in_open_case_joins_that_case(
    case, professional, outsider, procesregisseur, municipality, status
):
    Case.objects.filter(pk=case.pk).update(status=status)
    person = case.case_persons.get().person
    cases_before = Case.objects.count()

    screen(outsider, person)
    result = aanmelding_create(actor=outsider, data=aanmelding_input(municipality, persons=_about(person)))

    assert result.joined_existing is True
    assert result.case.pk == case.pk
    assert Case.objects.count() == cases_before
    assert result.aanmelding.status == AanmeldingStatus.GEKOPPELD
    assert result.aanmelding.case_id == case.pk
    # The submitting organisation does not get access to the running case by sending a melding.
    assert not CaseOrganisation.objects.filter(case=case, organisation=outsider.organisation).exists()
    assert AuditEvent.objects.filter(event_type=CaseEvent.AANMELDING_JOINED, case_id=case.pk, actor=outsider).exists()
    case.refresh_from_db()
    assert case.status == status


def test_joining_melding_adds_its_new_persons_to_the_case(case, outsider, municipality):
    person = case.case_persons.get().person
    persons = [
        *_about(person),
        PersonInput(first_names="Mila", last_name="Janssen", role=PersonRole.KIND),
    ]

    screen(outsider, person)
    result = aanmelding_create(actor=outsider, data=aanmelding_input(municipality, persons=persons))

    assert result.joined_existing
    assert sorted(CasePerson.objects.filter(case=case).values_list("role", flat=True)) == [
        PersonRole.KIND,
        PersonRole.PLEGER,
    ]


def test_joining_bumps_version_of_returned_case(case, outsider, municipality):
    person = case.case_persons.get().person
    version_before = case.version

    screen(outsider, person)
    result = aanmelding_create(actor=outsider, data=aanmelding_input(municipality, persons=_about(person)))

    stored = Case.objects.get(pk=case.pk)
    assert stored.version == version_before + 1
    assert result.case.version == stored.version


def test_new_melding_about_person_under_follow_up_joins_and_reopens(case, outsider, procesregisseur, municipality):
    case = _make_active(case, procesregisseur)
    case_transition(actor=procesregisseur, case=case, to_status=CaseStatus.VOLGEN, reason="Stabiel, volgen.")
    person = case.case_persons.get().person

    screen(outsider, person)
    result = aanmelding_create(actor=outsider, data=aanmelding_input(municipality, persons=_about(person)))

    assert result.joined_existing
    assert result.case.pk == case.pk
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF
    history = list(CaseStatusChange.objects.filter(case=case).values_list("from_status", "to_status"))
    assert history == [
        ("", CaseStatus.AANGEMELD),
        (CaseStatus.AANGEMELD, CaseStatus.ACTIEF),
        (CaseStatus.ACTIEF, CaseStatus.VOLGEN),
        (CaseStatus.VOLGEN, CaseStatus.ACTIEF),
    ]
    assert CaseStatusChange.objects.filter(case=case).last().actor == outsider


@pytest.mark.parametrize("closed", [CaseStatus.AFGESLOTEN, CaseStatus.LOKAAL])
def test_new_melding_about_person_in_closed_case_starts_a_new_case(case, outsider, municipality, closed):
    Case.objects.filter(pk=case.pk).update(status=closed)
    person = case.case_persons.get().person

    screen(outsider, person)
    result = aanmelding_create(actor=outsider, data=aanmelding_input(municipality, persons=_about(person)))

    assert result.joined_existing is False
    assert result.case.pk != case.pk
    assert result.case.status == CaseStatus.AANGEMELD
    assert CaseOrganisation.objects.filter(case=result.case, organisation=outsider.organisation).exists()
    case.refresh_from_db()
    assert case.status == closed


# --- bad input is refused and nothing is half-saved ----------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"summary": ""}, "summary"),
        ({"route": ""}, "route"),
        ({"theme": "onbekend"}, "theme"),
        ({"municipality_id": None}, "municipality"),
        ({"municipality_id": 987654}, "municipality"),
        ({"client_knows": False, "client_knows_reason": ""}, "client_knows_reason"),
        ({"urgency": "morgen"}, "urgency"),
        ({"desired_response_days": 400}, "desired_response_days"),
        ({"life_domains": {"astrologie": "x"}}, "life_domains"),
        ({"predictive_factors": ["onbekend"]}, "predictive_factors"),
    ],
)
def test_invalid_aanmelding_is_refused_with_dutch_field_error(professional, municipality, overrides, field):
    before = _counts()

    with pytest.raises(ValidationFailed) as exc:
        aanmelding_create(actor=professional, data=aanmelding_input(municipality, **overrides))

    assert field in exc.value.field_errors
    assert exc.value.message == "De aanmelding is niet volledig of bevat fouten."
    assert _counts() == before


def test_aanmelding_without_persons_is_refused(professional, municipality):
    data = aanmelding_input(municipality)
    data.persons = []
    with pytest.raises(ValidationFailed) as exc:
        aanmelding_create(actor=professional, data=data)
    assert "persons" in exc.value.field_errors


def _person(**kw) -> PersonInput:
    values = {"first_names": "Eva", "last_name": "Smit", "role": PersonRole.SLACHTOFFER}
    values.update(kw)
    return PersonInput(**values)


@pytest.mark.parametrize(
    ("bad_person", "field", "fragment"),
    [
        (_person(last_name=""), "persons.1.last_name", "achternaam"),
        (
            _person(date_of_birth=datetime.date.today() + datetime.timedelta(days=2)),
            "persons.1.date_of_birth",
            "toekomst",
        ),
        (_person(bsn=INVALID_BSN), "persons.1.bsn", "elfproef"),
        (_person(bsn="12ab"), "persons.1.bsn", "BSN"),
        (_person(bsn="11122233²"), "persons.1.bsn", "BSN"),
        (_person(role="dader"), "persons.1.role", "rol"),
        (_person(gender="q"), "persons.1.gender", "geslacht"),
        (_person(municipality_id=987654), "persons.1.municipality_id", "gemeente"),
        (PersonInput(existing_person_id=987654, role=PersonRole.KIND), "persons.1.existing_person_id", "bestaat niet"),
    ],
)
def test_invalid_person_is_refused_and_nothing_is_half_saved(professional, municipality, bad_person, field, fragment):
    good = PersonInput(first_names="Jan", last_name="Smit", role=PersonRole.PLEGER, bsn=VALID_BSN)
    before = _counts()

    with pytest.raises(ValidationFailed) as exc:
        aanmelding_create(actor=professional, data=aanmelding_input(municipality, persons=[good, bad_person]))

    assert field in exc.value.field_errors, exc.value.field_errors
    assert any(fragment.lower() in msg.lower() for msg in exc.value.field_errors[field])
    assert _counts() == before


def test_first_person_with_future_birth_date_is_keyed_persons_0(professional, municipality):
    person = _person(date_of_birth=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationFailed) as exc:
        aanmelding_create(actor=professional, data=aanmelding_input(municipality, persons=[person]))
    assert list(exc.value.field_errors) == ["persons.0.date_of_birth"]


def test_same_existing_person_twice_is_refused(case, professional, municipality):
    person = case.case_persons.get().person
    persons = [*_about(person), *_about(person, PersonRole.SLACHTOFFER)]
    before = _counts()

    with pytest.raises(ValidationFailed) as exc:
        aanmelding_create(actor=professional, data=aanmelding_input(municipality, persons=persons))

    assert "persons.1.existing_person_id" in exc.value.field_errors
    assert _counts() == before


def test_several_errors_are_reported_together(professional, municipality):
    data = aanmelding_input(
        municipality,
        reason="",
        client_knows=False,
        persons=[_person(bsn=INVALID_BSN, date_of_birth=datetime.date(2999, 1, 1))],
    )
    with pytest.raises(ValidationFailed) as exc:
        aanmelding_create(actor=professional, data=data)

    assert {"reason", "client_knows_reason", "persons.0.bsn", "persons.0.date_of_birth"} <= set(exc.value.field_errors)
    body = exc.value.as_dict()
    assert body["code"] == "validation_failed"
    assert {e["field"] for e in body["errors"]} >= {"reason", "persons.0.bsn"}


def test_client_not_knowing_with_reason_is_accepted(professional, municipality):
    data = aanmelding_input(municipality, client_knows=False, client_knows_reason="Veiligheid van moeder.")
    result = aanmelding_create(actor=professional, data=data)
    assert result.aanmelding.client_knows_reason == "Veiligheid van moeder."


# --- BSN at rest ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [VALID_BSN, "111 222 333", "111.222.333"])
def test_bsn_is_stored_encrypted_with_keyed_hash(professional, municipality, typed):
    result = aanmelding_create(actor=professional, data=aanmelding_input(municipality, persons=[_person(bsn=typed)]))

    person = Person.objects.get(pk=result.case.case_persons.get().person_id)
    assert person.bsn_encrypted
    assert VALID_BSN not in person.bsn_encrypted
    assert person.bsn_hash == crypto.keyed_hash(VALID_BSN)
    assert person.bsn == VALID_BSN
    assert person.bsn_masked == "*****2333"
    assert Person.objects.filter(bsn_hash=crypto.keyed_hash(VALID_BSN)).count() == 1


def test_person_without_bsn_has_no_hash(professional, municipality):
    result = aanmelding_create(actor=professional, data=aanmelding_input(municipality))
    person = result.case.case_persons.get().person
    assert (person.bsn_encrypted, person.bsn_hash, person.bsn, person.bsn_masked) == ("", "", "", "")


# --- supplying missing information ---------------------------------------------------------------------


def _ask_for_info(case: Case, regisseur) -> Aanmelding:
    triage_decide(
        actor=regisseur, case=case, data=triage_input("verrijken", e_met=False, missing_info="Verslag wijkagent?")
    )
    return case.aanmeldingen.get()


def test_supplying_info_returns_case_from_verrijken_to_aangemeld(case, professional, procesregisseur):
    aanmelding = _ask_for_info(case, procesregisseur)
    assert aanmelding.status == AanmeldingStatus.INFO_GEVRAAGD

    aanmelding_supply_info(actor=professional, aanmelding=aanmelding, text="Verslag wijkagent bijgevoegd.")

    aanmelding.refresh_from_db()
    case.refresh_from_db()
    assert aanmelding.status == AanmeldingStatus.INGEDIEND
    assert "Verslag wijkagent bijgevoegd." in aanmelding.info_supplied
    assert case.status == CaseStatus.AANGEMELD
    last = CaseStatusChange.objects.filter(case=case).last()
    assert (last.from_status, last.to_status, last.actor) == (CaseStatus.VERRIJKEN, CaseStatus.AANGEMELD, professional)
    assert AuditEvent.objects.filter(
        event_type=CaseEvent.AANMELDING_INFO_ADDED, case_id=case.pk, actor=professional
    ).exists()


def test_supplying_info_twice_is_refused(case, professional, procesregisseur):
    aanmelding = _ask_for_info(case, procesregisseur)
    stale_copy = Aanmelding.objects.get(pk=aanmelding.pk)
    aanmelding_supply_info(actor=professional, aanmelding=aanmelding, text="Eerste antwoord.")

    with pytest.raises(TransitionNotAllowed):
        aanmelding_supply_info(actor=professional, aanmelding=stale_copy, text="Tweede antwoord.")

    aanmelding.refresh_from_db()
    assert "Tweede antwoord." not in aanmelding.info_supplied


def test_only_submitting_organisation_supplies_info(case, outsider, procesregisseur):
    aanmelding = _ask_for_info(case, procesregisseur)
    with pytest.raises(AccessDenied):
        aanmelding_supply_info(actor=outsider, aanmelding=aanmelding, text="Ik weet er meer van.")


def test_supplying_info_needs_active_submitting_user(case, police, procesregisseur):
    aanmelding = _ask_for_info(case, procesregisseur)
    gone = make_user(police, Role.AANMELDER, username="vertrokken", is_active=False)
    with pytest.raises(AccessDenied):
        aanmelding_supply_info(actor=gone, aanmelding=aanmelding, text="Antwoord.")


def test_supplying_empty_info_is_refused(case, professional, procesregisseur):
    aanmelding = _ask_for_info(case, procesregisseur)
    with pytest.raises(ValidationFailed) as exc:
        aanmelding_supply_info(actor=professional, aanmelding=aanmelding, text="   ")
    assert "text" in exc.value.field_errors


def test_supplying_info_without_request_is_refused(case, professional):
    with pytest.raises(TransitionNotAllowed):
        aanmelding_supply_info(actor=professional, aanmelding=case.aanmeldingen.get(), text="Extra.")


def test_case_in_other_municipality_does_not_matter_for_joining(case, outsider):
    other = make_municipality("Huizen")
    person = case.case_persons.get().person
    screen(outsider, person)
    result = aanmelding_create(actor=outsider, data=aanmelding_input(other, persons=_about(person)))
    assert result.case.pk == case.pk
