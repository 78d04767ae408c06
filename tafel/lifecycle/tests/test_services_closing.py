import datetime

import pytest
import time_machine
from django.utils import timezone

from tafel.cases.models import CasePerson, CaseStatus, CaseStatusChange, PersonRole
from tafel.cases.services import PersonInput, aanmelding_create
from tafel.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from tafel.lifecycle import services
from tafel.lifecycle.models import (
    Closure,
    ClosureKind,
    ClosureProposal,
    GoalReached,
    InterventionType,
    ProposalStatus,
)
from tafel.lifecycle.selectors import case_timeline
from tafel.testing import aanmelding_input

from .factories import running_case

pytestmark = pytest.mark.django_db

CRITERIA = {"care_started": True, "partners_informed": True}
PLAN = "Bij nieuw geweld belt Veilig Thuis dezelfde dag de procesregisseur; casus direct terug op de agenda."


def test_a_partner_cannot_close_a_complex_case_alone_but_may_propose(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    with pytest.raises(AccessDenied):
        services.case_close(
            confirm_reason="De open acties gaan lokaal verder.",
            actor=professional,
            case=case,
            reason="klaar",
            criteria=CRITERIA,
            afsluitingsplan=PLAN,
            goal_reached="bereikt",
        )
    proposal = services.closure_propose(actor=professional, case=case, reason="Hulp loopt")
    services.case_close(
        confirm_reason="De open acties gaan lokaal verder.",
        actor=procesregisseur,
        case=case,
        reason="Doelen bereikt",
        criteria=CRITERIA,
        afsluitingsplan=PLAN,
        goal_reached="bereikt",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert ClosureProposal.objects.count() == 1


def test_closing_needs_a_criterion_and_an_afsluitingsplan(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    with pytest.raises(ValidationFailed) as exc:
        services.case_close(
            confirm_reason="De open acties gaan lokaal verder.",
            actor=procesregisseur,
            case=case,
            reason="x",
            criteria={"partners_informed": True},
            afsluitingsplan="",
        )
    assert {"criteria", "afsluitingsplan"} <= set(exc.value.field_errors)


def test_closing_asks_whether_the_joint_goal_was_reached(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    for goal, message in ((None, "Geef aan of het gezamenlijke doel is bereikt"), ("half", "Kies bereikt")):
        with pytest.raises(ValidationFailed) as exc:
            services.case_close(
                confirm_reason="De open acties gaan lokaal verder.",
                actor=procesregisseur,
                case=case,
                reason="x",
                criteria=CRITERIA,
                afsluitingsplan=PLAN,
                goal_reached=goal,
            )
        assert exc.value.field_errors["goal_reached"][0].startswith(message)
    closure = services.case_close(
        confirm_reason="De open acties gaan lokaal verder.",
        actor=procesregisseur,
        case=case,
        reason="Klaar",
        criteria=CRITERIA,
        afsluitingsplan=PLAN,
        goal_reached="niet",
    )
    assert closure.goal_reached == GoalReached.NIET
    timeline = case_timeline(viewer=procesregisseur, case_id=case.pk).entries
    assert any(e.kind == "afsluiting" and "doel: niet bereikt" in e.title for e in timeline)


def test_opschaling_to_the_riec_does_not_ask_the_goal(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    closure = services.case_opschalen_riec(actor=procesregisseur, case=case, reason="Ondermijning")
    assert closure.kind == ClosureKind.RIEC and closure.goal_reached is None


def test_closed_case_is_followed_and_a_new_melding_reopens_it_with_history(
    case, procesregisseur, professional, municipality
):
    case, _ = running_case(case, procesregisseur, professional)
    closure = services.case_close(
        confirm_reason="De open acties gaan lokaal verder.",
        actor=procesregisseur,
        case=case,
        reason="Doelen bereikt",
        criteria=CRITERIA,
        afsluitingsplan=PLAN,
        goal_reached="bereikt",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.VOLGEN
    assert closure.follow_up_until is not None
    person = CasePerson.objects.filter(case=case).first().person
    data = aanmelding_input(municipality, persons=[PersonInput(existing_person_id=person.pk, role=PersonRole.PLEGER)])
    result = aanmelding_create(actor=professional, data=data)
    assert result.joined_existing and result.case.pk == case.pk
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF
    assert Closure.objects.filter(case=case, afsluitingsplan=PLAN).exists()
    statuses = list(CaseStatusChange.objects.filter(case=case).values_list("to_status", flat=True))
    assert statuses[-3:] == [CaseStatus.ACTIEF, CaseStatus.VOLGEN, CaseStatus.ACTIEF]
    kinds = {e.kind for e in case_timeline(viewer=procesregisseur, case_id=case.pk).entries}
    assert {"melding", "plan", "actie", "afsluiting", "status", "overleg"} <= kinds


def test_follow_up_period_ends_by_tick_after_the_configured_months(case, procesregisseur, professional, settings):
    settings.TAFEL_FOLLOW_UP_MONTHS = 6
    case, _ = running_case(case, procesregisseur, professional)
    services.case_close(
        confirm_reason="De open acties gaan lokaal verder.",
        actor=procesregisseur,
        case=case,
        reason="Klaar",
        criteria=CRITERIA,
        afsluitingsplan=PLAN,
        goal_reached="bereikt",
    )
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(days=150), tick=False):
        services.tick()
    case.refresh_from_db()
    assert case.status == CaseStatus.VOLGEN
    with time_machine.travel(start + datetime.timedelta(days=186), tick=False):
        services.tick()
        services.tick()
    case.refresh_from_db()
    assert case.status == CaseStatus.AFGESLOTEN
    assert CaseStatusChange.objects.filter(case=case, to_status=CaseStatus.AFGESLOTEN).count() == 1


def test_reentry_by_any_professional_in_the_case(case, procesregisseur, professional, outsider):
    case, _ = running_case(case, procesregisseur, professional)
    services.case_close(
        confirm_reason="De open acties gaan lokaal verder.",
        actor=procesregisseur,
        case=case,
        reason="Klaar",
        criteria=CRITERIA,
        afsluitingsplan=PLAN,
        goal_reached="bereikt",
    )
    with pytest.raises(AccessDenied):
        services.case_reenter(actor=outsider, case=case, reason="zorgen")
    services.case_reenter(actor=professional, case=case, reason="Nieuwe zorgen")
    assert case.status == CaseStatus.ACTIEF
    with pytest.raises(TransitionNotAllowed):
        services.case_reenter(actor=professional, case=case, reason="nogmaals")


def test_afschaling_records_the_warm_handover(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    with pytest.raises(ValidationFailed) as exc:
        services.case_afschalen(
            confirm_reason="De open acties gaan lokaal verder.",
            actor=procesregisseur,
            case=case,
            reason="Lokaal",
            handover_to="Wijkteam",
            handover_on=None,
            family_present=False,
        )
    assert {"handover_on", "family_absent_reason", "goal_reached"} <= set(exc.value.field_errors)
    closure = services.case_afschalen(
        confirm_reason="De open acties gaan lokaal verder.",
        actor=procesregisseur,
        case=case,
        reason="Lokaal kan het",
        handover_to="Wijkteam Noord, J. de Vries",
        handover_on=timezone.localdate(),
        family_present=True,
        goal_reached="deels",
    )
    assert closure.kind == ClosureKind.AFSCHALING
    assert closure.goal_reached == GoalReached.DEELS
    assert case.status == CaseStatus.LOKAAL


def test_interventions_from_the_catalogue(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    assert InterventionType.objects.filter(code="huisverbod", track="civil").exists()
    huisverbod = InterventionType.objects.get(code="huisverbod")
    iv = services.intervention_add(
        actor=professional, case=case, type_id=huisverbod.pk, started_on=timezone.localdate(), result=""
    )
    assert iv.organisation_id == professional.organisation_id
    with pytest.raises(ValidationFailed):
        services.intervention_add(
            actor=professional,
            case=case,
            type_id=huisverbod.pk,
            organisation_id=procesregisseur.organisation_id,
            started_on=timezone.localdate(),
        )
    services.intervention_end(
        actor=professional, intervention=iv, ended_on=timezone.localdate(), result="Geen nieuw incident"
    )
