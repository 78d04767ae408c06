import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tafel.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from tafel.lifecycle import services
from tafel.lifecycle.models import EscalationStep, Notification, NotificationKind

from .factories import running_case

pytestmark = pytest.mark.django_db


def _to_step_5(escalation, procesregisseur):
    services.escalation_advance(actor=procesregisseur, escalation=escalation, note="Gesprekken gevoerd")
    services.escalation_advance(
        actor=procesregisseur,
        escalation=escalation,
        proposal="Politie neemt de casusregie",
        proposal_until=timezone.localdate() + datetime.timedelta(days=90),
        subtasks_in="Contact gezin",
        subtasks_out="Schuldhulp",
    )
    services.escalation_advance(actor=procesregisseur, escalation=escalation, note="GGZ maakt bezwaar")
    assert escalation.house_holds_casusregie
    return services.escalation_advance(actor=procesregisseur, escalation=escalation, note="Directeuren geïnformeerd")


def test_any_professional_in_the_case_starts_an_escalation_with_a_reason(case, procesregisseur, professional, outsider):
    case, _ = running_case(case, procesregisseur, professional)
    with pytest.raises(AccessDenied):
        services.escalation_start(actor=outsider, case=case, reason="vast")
    with pytest.raises(ValidationFailed):
        services.escalation_start(actor=professional, case=case, reason=" ")
    escalation = services.escalation_start(
        actor=professional, case=case, reason="We zitten vast", candidate_org_ids=[professional.organisation_id]
    )
    assert escalation.step == EscalationStep.REPORTED
    assert Notification.objects.filter(kind=NotificationKind.ESCALATION, user=procesregisseur).exists()
    with pytest.raises(AccessDenied):
        services.escalation_advance(actor=professional, escalation=escalation)
    services.escalation_add_argument(actor=professional, escalation=escalation, text="Wij kennen het gezin het best.")


def test_escalation_clocks_directors_then_openbaar_bestuur_with_reminders_once(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    start = timezone.now()
    escalation = services.escalation_start(actor=professional, case=case, reason="Onenigheid over casusregie")
    _to_step_5(escalation, procesregisseur)
    assert escalation.step == EscalationStep.DIRECTORS
    assert escalation.directors_deadline - escalation.directors_informed_at == datetime.timedelta(days=10)
    assert escalation.bestuur_informed_at is not None  # informed in parallel
    with pytest.raises(TransitionNotAllowed):
        services.escalation_advance(actor=procesregisseur, escalation=escalation)

    def clock_notes():
        return Notification.objects.filter(kind=NotificationKind.ESCALATION_CLOCK, user=procesregisseur).count()

    with time_machine.travel(start + datetime.timedelta(days=7), tick=False):
        services.tick()
    assert clock_notes() == 0
    with time_machine.travel(start + datetime.timedelta(days=8, hours=1), tick=False):
        services.tick()
        services.tick()
    assert clock_notes() == 1  # two days before
    with time_machine.travel(start + datetime.timedelta(days=10, hours=1), tick=False):
        services.tick()
        services.tick()
    assert clock_notes() == 2  # at expiry
    escalation.refresh_from_db()
    assert escalation.step == EscalationStep.BESTUUR
    assert escalation.bestuur_deadline == escalation.directors_deadline + datetime.timedelta(days=10)
    with time_machine.travel(start + datetime.timedelta(days=18, hours=1), tick=False):
        services.tick()
        services.tick()
    assert clock_notes() == 3
    with time_machine.travel(start + datetime.timedelta(days=20, hours=1), tick=False):
        services.tick()
        services.tick()
    assert clock_notes() == 4
    services.escalation_resolve(actor=procesregisseur, escalation=escalation, resolution="Bestuur: politie regisseert.")
    assert not escalation.house_holds_casusregie


def test_escalation_page_shows_the_ten_day_clock_at_step_5(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    escalation = services.escalation_start(actor=professional, case=case, reason="Vast")
    _to_step_5(escalation, procesregisseur)
    client = Client()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3), tick=False):
        client.force_login(professional)
        response = client.get(reverse("lifecycle:escalation", args=[escalation.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="escalation-clock"' in html
    assert "nog 7 dagen" in html
    assert "De kandidaten moeten" in html


def test_escalation_page_is_404_for_outsiders(case, procesregisseur, professional, outsider):
    case, _ = running_case(case, procesregisseur, professional)
    escalation = services.escalation_start(actor=professional, case=case, reason="Vast")
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("lifecycle:escalation", args=[escalation.pk])).status_code == 404
