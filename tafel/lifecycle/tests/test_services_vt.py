import datetime

import pytest
import time_machine
from django.utils import timezone

from tafel.cases.models import Aanmelding, CaseStatus, InfoCategory
from tafel.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from tafel.lifecycle import services
from tafel.lifecycle.models import (
    CaseIntervention,
    InterventionType,
    Notification,
    NotificationKind,
    RiskLevel,
    VtOrigin,
    VtRoute,
)
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import aanmelding_input, make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def vt(db):
    return make_org("Veilig Thuis Test", OrganisationType.VEILIG_THUIS)


@pytest.fixture
def vt_worker(vt):
    return make_user(vt, Role.PROFESSIONAL, username="vtmedewerker")


@pytest.fixture
def melding(professional, municipality, vt):
    return services.vt_melding_create(actor=professional, origin=VtOrigin.POLITIE, data=aanmelding_input(municipality))


def test_melding_by_origin_uses_the_politie_vt_route_and_reaches_veilig_thuis(melding, vt, vt_worker):
    aanmelding = Aanmelding.objects.get(case=melding.case)
    assert aanmelding.route == "politie_vt" and aanmelding.origin == VtOrigin.POLITIE
    assert melding.case.participations.filter(organisation=vt).exists()
    with pytest.raises(ValidationFailed):
        services.vt_melding_create(actor=vt_worker, origin="roddel", data=aanmelding_input(melding.case.municipality))


def test_high_risk_case_is_refused_on_the_waiting_list_or_without_a_named_worker(melding, vt_worker):
    case = melding.case
    with pytest.raises(ValidationFailed) as exc:
        services.vt_decide(
            actor=vt_worker, case=case, risk_level=RiskLevel.HOOG, route=VtRoute.ONDERZOEK, reason="Wapens in huis"
        )
    assert "responsible_worker" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        services.vt_decide(
            actor=vt_worker,
            case=case,
            risk_level=RiskLevel.HOOG,
            route=VtRoute.ONDERZOEK,
            reason="Wapens in huis",
            responsible_worker_id=vt_worker.pk,
            waiting_list=True,
        )
    assert "waiting_list" in exc.value.field_errors
    decision = services.vt_decide(
        actor=vt_worker,
        case=case,
        risk_level=RiskLevel.HOOG,
        route=VtRoute.ONDERZOEK,
        reason="Wapens in huis",
        responsible_worker_id=vt_worker.pk,
        feedback_police="Veilig Thuis start onderzoek.",
    )
    assert decision.responsible_worker == vt_worker and not decision.waiting_list
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF


def test_only_veilig_thuis_decides(melding, professional):
    with pytest.raises(AccessDenied):
        services.vt_decide(
            actor=professional, case=melding.case, risk_level=RiskLevel.LAAG, route=VtRoute.OVERDRACHT, reason="x"
        )


def test_handover_gives_need_to_know_feedback_and_monitoring_fires_once(melding, vt_worker, professional):
    case = melding.case
    wijkteam = make_org("Wijkteam Zuid", OrganisationType.GEMEENTE)
    services.vt_decide(
        actor=vt_worker,
        case=case,
        risk_level=RiskLevel.LAAG,
        route=VtRoute.OVERDRACHT_VT,
        reason="Gezin werkt mee",
        handover_to="J. de Wit",
        handover_organisation_id=wijkteam.pk,
        handover_on=timezone.localdate(),
        handover_present="Moeder, J. de Wit (wijkteam), VT-medewerker",
        feedback_police="Overgedragen aan het lokale veld.",
        feedback_reporter="Niet voor de politie.",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.LOKAAL
    feedback = Notification.objects.get(user=professional, kind=NotificationKind.VT)
    assert "Overgedragen aan het lokale veld." in feedback.text
    assert "Gezin werkt mee" not in feedback.text  # the reasoning stays with Veilig Thuis
    with time_machine.travel(timezone.now() + datetime.timedelta(days=43), tick=False):
        services.tick()
        services.tick()
    assert (
        Notification.objects.filter(user=vt_worker, kind=NotificationKind.VT, text__contains="monitoren").count() == 1
    )


def test_enrichment_request_and_dat_informatie_answer(melding, vt_worker, ggz, outsider):
    case = melding.case
    [request] = services.enrichment_request(actor=vt_worker, case=case, organisation_ids=[ggz.pk])
    assert Notification.objects.filter(user=outsider, kind=NotificationKind.ENRICHMENT).exists()
    with pytest.raises(ValidationFailed):
        services.enrichment_answer(actor=outsider, request=request, known=True, contact="")
    services.enrichment_answer(actor=outsider, request=request, known=True, contact="J. Jansen, 06-12345678")
    with pytest.raises(TransitionNotAllowed):
        services.enrichment_answer(actor=outsider, request=request, known=False)
    assert Notification.objects.filter(user=vt_worker, kind=NotificationKind.ENRICHMENT).exists()


def test_escalation_to_the_house_needs_care_and_criminal_justice_both_running(melding, vt_worker, procesregisseur):
    case = melding.case
    services.vt_decide(
        actor=vt_worker,
        case=case,
        risk_level=RiskLevel.MIDDEN,
        route=VtRoute.ONDERZOEK,
        reason="Onderzoek",
        responsible_worker_id=vt_worker.pk,
    )
    with pytest.raises(ValidationFailed):
        services.vt_escalate_to_zvh(actor=vt_worker, case=case, reason="Zorg en straf")
    for code in ("mst", "reclasseringstoezicht"):
        CaseIntervention.objects.create(
            case=case,
            type=InterventionType.objects.get(code=code),
            organisation=vt_worker.organisation,
            started_on=timezone.localdate(),
            supplied_by_org_id=vt_worker.organisation_id,
            created_by=vt_worker,
            created_at=timezone.now(),
            category=InfoCategory.ALGEMEEN,
        )
    services.vt_escalate_to_zvh(actor=vt_worker, case=case, reason="Zorg en strafrecht lopen beide")
    assert Notification.objects.filter(user=procesregisseur, kind=NotificationKind.VT).exists()


# --- issue 11: the route end to end -------------------------------------------------------------------------


def test_a_police_melding_on_the_vt_route_reaches_veilig_thuis_through_the_ordinary_intake(
    professional, municipality, vt, vt_worker
):
    from tafel.cases.access import can_view_case
    from tafel.cases.models import EntryRoute
    from tafel.cases.services import aanmelding_create

    result = aanmelding_create(actor=professional, data=aanmelding_input(municipality, route=EntryRoute.POLITIE_VT))
    assert result.case.participations.filter(organisation=vt).exists()
    assert can_view_case(vt_worker, result.case)


def test_handover_needs_an_organisation_date_and_who_was_present(melding, vt_worker):
    with pytest.raises(ValidationFailed) as exc:
        services.vt_decide(
            actor=vt_worker,
            case=melding.case,
            risk_level=RiskLevel.LAAG,
            route=VtRoute.OVERDRACHT,
            reason="Gezin werkt mee",
            handover_to="Wijkteam (vrije tekst)",
        )
    assert {"handover_organisation", "handover_on", "handover_present"} <= set(exc.value.field_errors)


def test_handover_makes_the_organisation_a_participant_and_monitoring_repeats_until_closed(
    melding, vt_worker, settings
):
    from tafel.cases.access import can_view_case

    settings.TAFEL_VT_MONITOR_INTERVAL_DAYS = 14
    case = melding.case
    wijkteam = make_org("Wijkteam Noord", OrganisationType.GEMEENTE)
    coach = make_user(wijkteam, Role.PROFESSIONAL, username="coach")
    assert not can_view_case(coach, case)
    decision = services.vt_decide(
        actor=vt_worker,
        case=case,
        risk_level=RiskLevel.MIDDEN,
        route=VtRoute.OVERDRACHT,
        reason="Lokaal veld kan het dragen",
        handover_organisation_id=wijkteam.pk,
        handover_on=timezone.localdate(),
        handover_present="Ouders, gezinscoach, VT",
    )
    assert decision.handover_organisation == wijkteam and decision.handover_present
    assert can_view_case(coach, case)
    assert Notification.objects.filter(user=coach, kind=NotificationKind.VT).exists()

    def reminders() -> int:
        return Notification.objects.filter(user=vt_worker, text__contains="monitoren").count()

    start = timezone.now()
    for days, expected in ((43, 1), (50, 1), (57, 2), (71, 3)):
        with time_machine.travel(start + datetime.timedelta(days=days), tick=False):
            services.tick()
        assert reminders() == expected, days
    with pytest.raises(ValidationFailed):
        services.vt_monitoring_close(actor=vt_worker, case=case, reason="")
    services.vt_monitoring_close(actor=vt_worker, case=case, reason="Gezin stabiel, wijkteam heeft regie.")
    with time_machine.travel(start + datetime.timedelta(days=100), tick=False):
        services.tick()
    assert reminders() == 3
    with pytest.raises(TransitionNotAllowed):
        services.vt_monitoring_close(actor=vt_worker, case=case, reason="Nogmaals.")


def test_enrichment_answer_reaches_the_asker_on_the_case_and_in_the_timeline(melding, vt_worker, ggz, outsider):
    from tafel.lifecycle import selectors

    case = melding.case
    [request] = services.enrichment_request(actor=vt_worker, case=case, organisation_ids=[ggz.pk])
    services.enrichment_answer(
        actor=outsider, request=request, known=True, contact="J. Jansen, 06-12345678", note="Twee nachtelijke bezoeken."
    )
    view = selectors.case_lifecycle(viewer=vt_worker, case_id=case.pk)
    assert view.enrichment[0].answer.note == "Twee nachtelijke bezoeken."
    timeline = selectors.case_timeline(viewer=vt_worker, case_id=case.pk)
    texts = [(e.title, e.detail) for e in timeline.entries]
    assert any("bekend bij GGZ Test" in t and d == "Twee nachtelijke bezoeken." for t, d in texts), texts
