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
    services.vt_decide(
        actor=vt_worker,
        case=case,
        risk_level=RiskLevel.LAAG,
        route=VtRoute.OVERDRACHT_VT,
        reason="Gezin werkt mee",
        handover_to="Wijkteam Zuid",
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
