"""Triage (weegoverleg): criteria a–e, routing outcomes, caseload cap (SPEC §3.3)."""

from __future__ import annotations

import pytest

from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import (
    AanmeldingStatus,
    Case,
    CaseStatus,
    CaseStatusChange,
    Phase,
    Triage,
    TriageCriterion,
    TriageMode,
    TriageOutcome,
)
from tafel.cases.services import CriterionInput, TriageInput, case_transition, triage_decide
from tafel.core.errors import AccessDenied, CaseloadFull, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.organisations.models import Role
from tafel.testing import make_case, make_municipality, make_user


def triage_input(outcome: str, *, failing: str = "", e_met: bool = True, **overrides) -> TriageInput:
    """A complete triage input: every criterion judged with an argument; `failing` lists criteria a–d
    that do not hold."""
    criteria = [
        CriterionInput(criterion=code, met=code not in failing, argument=f"Argument bij {code}.") for code in "abcd"
    ]
    criteria.append(CriterionInput(criterion="e", met=e_met, argument="Argument bij e."))
    data = TriageInput(criteria=criteria, outcome=outcome)
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def _unchanged(case: Case) -> None:
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == case.status
    assert stored.version == case.version
    assert not Triage.objects.filter(case=case).exists()


# --- criteria -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", list("abcde"))
def test_each_criterion_must_be_judged(case, procesregisseur, code):
    data = triage_input("zvh_com")
    data.criteria = [c for c in data.criteria if c.criterion != code]

    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=data)

    assert f"criterion_{code}" in exc.value.field_errors
    _unchanged(case)


@pytest.mark.parametrize("code", list("abcde"))
def test_each_criterion_needs_a_verdict(case, procesregisseur, code):
    data = triage_input("zvh_com")
    next(c for c in data.criteria if c.criterion == code).met = None

    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=data)

    assert f"criterion_{code}" in exc.value.field_errors


@pytest.mark.parametrize("code", list("abcde"))
def test_each_criterion_needs_an_argument(case, procesregisseur, code):
    data = triage_input("zvh_com")
    next(c for c in data.criteria if c.criterion == code).argument = "  "

    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=data)

    assert f"criterion_{code}_argument" in exc.value.field_errors
    assert "argument" in exc.value.field_errors[f"criterion_{code}_argument"][0]
    _unchanged(case)


def test_unknown_criterion_is_refused(case, procesregisseur):
    data = triage_input("zvh_com")
    data.criteria.append(CriterionInput(criterion="z", met=True, argument="?"))
    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=data)
    assert "criteria" in exc.value.field_errors


def test_criterion_given_twice_is_refused(case, procesregisseur):
    data = triage_input("zvh_com")
    data.criteria.append(CriterionInput(criterion="a", met=False, argument="Toch niet."))
    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=data)
    assert "criteria" in exc.value.field_errors
    _unchanged(case)


def test_criteria_are_recorded_with_verdict_and_argument(case, procesregisseur):
    triage = triage_decide(
        actor=procesregisseur, case=case, data=triage_input("lokaal", failing="b", lokaal_reason="a")
    )

    recorded = {c.criterion: (c.met, c.argument) for c in TriageCriterion.objects.filter(triage=triage)}
    assert recorded == {
        "a": (True, "Argument bij a."),
        "b": (False, "Argument bij b."),
        "c": (True, "Argument bij c."),
        "d": (True, "Argument bij d."),
        "e": (True, "Argument bij e."),
    }


@pytest.mark.parametrize("outcome", ["zvh_com", "zvh_mda"])
@pytest.mark.parametrize("code", list("abcd"))
def test_zvh_outcome_needs_all_of_a_to_d(case, procesregisseur, outcome, code):
    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=triage_input(outcome, failing=code))

    assert "override_reason" in exc.value.field_errors
    assert f"Criterium {code} voldoet niet" in exc.value.field_errors["override_reason"][0]
    _unchanged(case)


def test_zvh_outcome_with_failing_criterion_and_override_reason_is_accepted(case, procesregisseur):
    triage = triage_decide(
        actor=procesregisseur,
        case=case,
        data=triage_input("zvh_com", failing="b", override_reason="Acuut: wapenbezit en escalerende dreiging."),
    )

    assert triage.override_reason == "Acuut: wapenbezit en escalerende dreiging."
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF


def test_zvh_outcome_with_failing_criterion_e_is_refused_even_with_override(case, procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        triage_decide(
            actor=procesregisseur,
            case=case,
            data=triage_input("zvh_com", e_met=False, override_reason="Urgent."),
        )

    assert "outcome" in exc.value.field_errors
    assert "verrijken" in exc.value.field_errors["outcome"][0]
    _unchanged(case)


# --- outcomes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["zvh_com", "zvh_mda"])
def test_zvh_outcome_activates_case_in_phase_directe_veiligheid_with_procesregisseur(case, procesregisseur, outcome):
    triage = triage_decide(actor=procesregisseur, case=case, data=triage_input(outcome))

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF
    assert case.phase == Phase.DIRECTE_VEILIGHEID
    assert case.procesregisseur == procesregisseur
    assert triage.outcome == outcome
    assert triage.decided_by == procesregisseur
    assert triage.aanmelding == case.aanmeldingen.get()


def test_zvh_outcome_can_name_another_procesregisseur(case, procesregisseur, house):
    colleague = make_user(house, Role.PROCESREGISSEUR, username="collega")

    triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com", procesregisseur_id=colleague.pk))

    case.refresh_from_db()
    assert case.procesregisseur == colleague


@pytest.mark.parametrize("who", ["professional", "nobody", "inactive"])
def test_procesregisseur_must_be_an_active_procesregisseur_of_the_house(
    case, procesregisseur, house, professional, who
):
    target = {
        "professional": lambda: professional.pk,
        "nobody": lambda: 987654,
        "inactive": lambda: make_user(house, Role.PROCESREGISSEUR, username="oud", is_active=False).pk,
    }[who]()

    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com", procesregisseur_id=target))

    assert "procesregisseur" in exc.value.field_errors
    _unchanged(case)


def test_triage_records_status_change_and_audit_event(case, procesregisseur):
    triage = triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_mda"))

    change = CaseStatusChange.objects.filter(case=case).last()
    assert (change.from_status, change.to_status, change.actor) == (
        CaseStatus.AANGEMELD,
        CaseStatus.ACTIEF,
        procesregisseur,
    )
    assert change.reason == TriageOutcome.ZVH_MDA.label
    event = AuditEvent.objects.get(event_type=CaseEvent.TRIAGE_DECIDE, case_id=case.pk)
    assert event.actor == procesregisseur
    assert event.organisation_id == procesregisseur.organisation_id
    assert event.details["triage"] == triage.pk
    assert event.details["outcome"] == "zvh_mda"


def test_verrijken_requires_missing_info(case, procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=triage_input("verrijken", e_met=False))
    assert "missing_info" in exc.value.field_errors
    _unchanged(case)


def test_verrijken_asks_the_aanmelder_for_the_missing_info(case, procesregisseur):
    triage_decide(
        actor=procesregisseur,
        case=case,
        data=triage_input("verrijken", e_met=False, missing_info="Recente politiemutaties ontbreken."),
    )

    case.refresh_from_db()
    aanmelding = case.aanmeldingen.get()
    assert case.status == CaseStatus.VERRIJKEN
    assert aanmelding.status == AanmeldingStatus.INFO_GEVRAAGD
    assert aanmelding.info_requested == "Recente politiemutaties ontbreken."
    assert "Recente politiemutaties ontbreken." in aanmelding.decision_text


def test_lokaal_requires_a_reason_a_to_g(case, procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=triage_input("lokaal"))
    assert "lokaal_reason" in exc.value.field_errors

    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=triage_input("lokaal", lokaal_reason="h"))
    assert "lokaal_reason" in exc.value.field_errors
    _unchanged(case)


def test_lokaal_reason_only_belongs_to_lokaal(case, procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=triage_input("riec", lokaal_reason="a"))
    assert "lokaal_reason" in exc.value.field_errors


@pytest.mark.parametrize("reason", list("abcdefg"))
def test_lokaal_with_reason_closes_case_locally(case, procesregisseur, reason):
    triage = triage_decide(
        actor=procesregisseur, case=case, data=triage_input("lokaal", failing="a", lokaal_reason=reason)
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.LOKAAL
    assert case.closed_at is not None
    assert triage.lokaal_reason == reason


def test_aanmelder_is_told_the_decision_with_reason(case, procesregisseur):
    triage_decide(
        actor=procesregisseur,
        case=case,
        data=triage_input("lokaal", failing="a", lokaal_reason="d", feedback="Het wijkteam neemt contact op."),
    )

    aanmelding = case.aanmeldingen.get()
    assert aanmelding.status == AanmeldingStatus.BESLOTEN
    assert aanmelding.decided_at is not None
    assert "Lokaal oppakken" in aanmelding.decision_text
    assert "gemeente en zorg kunnen het oplossen" in aanmelding.decision_text
    assert "Het wijkteam neemt contact op." in aanmelding.decision_text


def test_not_accepting_requires_feedback_to_the_aanmelder(case, procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=triage_input("niet_geaccepteerd", failing="ab"))
    assert "feedback" in exc.value.field_errors

    triage_decide(
        actor=procesregisseur,
        case=case,
        data=triage_input("niet_geaccepteerd", failing="ab", feedback="Geen ketenoverstijgende problematiek."),
    )
    aanmelding = case.aanmeldingen.get()
    assert "Geen ketenoverstijgende problematiek." in aanmelding.decision_text
    assert aanmelding.decided_at is not None


def test_every_open_aanmelding_of_the_case_is_informed(case, procesregisseur, outsider, municipality):
    from tafel.cases.services import PersonInput, aanmelding_create
    from tafel.testing import aanmelding_input, screen

    person = case.case_persons.get().person
    screen(outsider, person)
    aanmelding_create(
        actor=outsider,
        data=aanmelding_input(municipality, persons=[PersonInput(existing_person_id=person.pk, role="pleger")]),
    )

    triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com"))

    aanmeldingen = list(case.aanmeldingen.all())
    assert len(aanmeldingen) == 2
    assert all(a.status == AanmeldingStatus.BESLOTEN and a.decided_at and a.decision_text for a in aanmeldingen)


# --- caseload cap (routing reason g) -------------------------------------------------------------------


@pytest.fixture
def full_municipality(professional, procesregisseur):
    """A municipality whose one ZVH place is taken by an active case."""
    small = make_municipality("Wijdemeren", max_caseload=1)
    running = make_case(professional, small)
    triage_decide(actor=procesregisseur, case=running, data=triage_input("zvh_com"))
    return small


def test_zvh_outcome_is_refused_when_municipality_caseload_is_full(full_municipality, professional, procesregisseur):
    case = make_case(professional, full_municipality)

    with pytest.raises(CaseloadFull) as exc:
        triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com"))

    assert "Wijdemeren" in exc.value.message
    assert "caseload" in exc.value.message
    assert "caseload_override_reason" in exc.value.field_errors
    _unchanged(case)


def test_caseload_can_be_passed_with_recorded_reason(full_municipality, professional, procesregisseur):
    case = make_case(professional, full_municipality)

    triage = triage_decide(
        actor=procesregisseur,
        case=case,
        data=triage_input("zvh_com", caseload_override_reason="Kinderen acuut onveilig."),
    )

    assert triage.caseload_override_reason == "Kinderen acuut onveilig."
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF
    assert AuditEvent.objects.get(event_type=CaseEvent.TRIAGE_DECIDE, case_id=case.pk).details["caseload_override"]


def test_lokaal_reason_g_is_allowed_when_caseload_is_full(full_municipality, professional, procesregisseur):
    case = make_case(professional, full_municipality)

    triage_decide(actor=procesregisseur, case=case, data=triage_input("lokaal", lokaal_reason="g"))

    case.refresh_from_db()
    assert case.status == CaseStatus.LOKAAL


def test_caseload_counts_only_active_cases_of_that_municipality(
    full_municipality, municipality, professional, procesregisseur
):
    running = Case.objects.get(municipality=full_municipality, status=CaseStatus.ACTIEF)
    case_transition(actor=procesregisseur, case=running, to_status=CaseStatus.VOLGEN, reason="Stabiel.")
    case = make_case(professional, full_municipality)

    triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com"))

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF


# --- team, access, state ------------------------------------------------------------------------------


def test_team_mode_requires_members(case, procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com", mode=TriageMode.TEAM))
    assert "team_members" in exc.value.field_errors
    _unchanged(case)


def test_team_mode_with_unknown_member_is_refused(case, procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        triage_decide(
            actor=procesregisseur,
            case=case,
            data=triage_input("zvh_com", mode=TriageMode.TEAM, team_member_ids=[987654]),
        )
    assert "team_members" in exc.value.field_errors


def test_team_mode_records_members(case, procesregisseur, professional):
    triage = triage_decide(
        actor=procesregisseur,
        case=case,
        data=triage_input(
            "zvh_com", mode=TriageMode.TEAM, team_member_ids=[procesregisseur.pk, professional.pk], team_others="OM"
        ),
    )
    assert set(triage.team_members.all()) == {procesregisseur, professional}
    assert triage.team_others == "OM"
    assert triage.mode == TriageMode.TEAM


def test_only_house_procesregisseur_may_triage(case, professional):
    with pytest.raises(AccessDenied):
        triage_decide(actor=professional, case=case, data=triage_input("zvh_com"))
    _unchanged(case)


def test_procesregisseur_outside_the_house_may_not_triage(case, police):
    wrong_house = make_user(police, Role.PROCESREGISSEUR, username="nep")
    with pytest.raises(AccessDenied):
        triage_decide(actor=wrong_house, case=case, data=triage_input("zvh_com"))


def test_triage_of_active_case_is_refused(case, procesregisseur):
    triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com"))
    case.refresh_from_db()

    with pytest.raises(TransitionNotAllowed):
        triage_decide(actor=procesregisseur, case=case, data=triage_input("lokaal", lokaal_reason="a"))

    assert Triage.objects.filter(case=case).count() == 1


def test_triage_on_outdated_case_object_that_was_triaged_meanwhile_is_refused(case, procesregisseur):
    other_copy = Case.objects.get(pk=case.pk)
    triage_decide(actor=procesregisseur, case=other_copy, data=triage_input("zvh_com"))

    with pytest.raises((TransitionNotAllowed, ConcurrentEdit)):
        triage_decide(actor=procesregisseur, case=case, data=triage_input("lokaal", lokaal_reason="a"))

    assert Triage.objects.filter(case=case).count() == 1


def test_triage_with_stale_expected_version_raises_concurrent_edit(case, procesregisseur):
    stale = case.version
    Case.objects.filter(pk=case.pk).update(version=stale + 1)

    with pytest.raises(ConcurrentEdit):
        triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com", expected_version=stale))

    assert not Triage.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.AANGEMELD


def test_triage_after_enrichment_is_allowed(case, procesregisseur, professional):
    from tafel.cases.services import aanmelding_supply_info

    triage_decide(actor=procesregisseur, case=case, data=triage_input("verrijken", e_met=False, missing_info="?"))
    aanmelding_supply_info(actor=professional, aanmelding=case.aanmeldingen.get(), text="Hier is het.")
    case.refresh_from_db()

    triage_decide(actor=procesregisseur, case=case, data=triage_input("zvh_com", expected_version=case.version))

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF
    assert Triage.objects.filter(case=case).count() == 2
