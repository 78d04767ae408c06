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
    # At expiry the escalation moves to step 6; that step change is the notice (kind "escalation").
    assert clock_notes() == 1
    assert (
        Notification.objects.filter(
            kind=NotificationKind.ESCALATION,
            user=procesregisseur,
            text__contains="termijn van de directeuren is verstreken",
        ).count()
        == 1
    )
    escalation.refresh_from_db()
    assert escalation.step == EscalationStep.BESTUUR
    assert escalation.bestuur_deadline == escalation.directors_deadline + datetime.timedelta(days=10)
    with time_machine.travel(start + datetime.timedelta(days=18, hours=1), tick=False):
        services.tick()
        services.tick()
    assert clock_notes() == 2
    with time_machine.travel(start + datetime.timedelta(days=20, hours=1), tick=False):
        services.tick()
        services.tick()
    assert clock_notes() == 3
    services.escalation_resolve(actor=procesregisseur, escalation=escalation, resolution="Bestuur: politie regisseert.")
    assert not escalation.house_holds_casusregie


def _drive_through_steps_5_and_6(case, procesregisseur, professional, guard, *, by_tick: bool, start):
    """Steps 1-5 by the procesregisseur, a tick two days before the directors' deadline, then step 6 after
    it — by hand or by `tick` — and a tick after that in both runs. Returns what the two runs must share."""
    from tafel.core.models import AuditEvent

    with time_machine.travel(start, tick=False):
        case, _ = running_case(case, procesregisseur, professional, guard=guard)
        escalation = services.escalation_start(actor=professional, case=case, reason="Onenigheid over casusregie")
        _to_step_5(escalation, procesregisseur)
    with time_machine.travel(start + datetime.timedelta(days=8, hours=1), tick=False):
        services.tick(send_mail=False)
    with time_machine.travel(start + datetime.timedelta(days=10, hours=1), tick=False):
        if by_tick:
            services.tick(send_mail=False)
        else:
            services.escalation_advance(actor=procesregisseur, escalation=escalation, note="Directeuren besloten niet")
        services.tick(send_mail=False)
    escalation.refresh_from_db()
    ref, pk = case.reference, str(escalation.pk)

    def rel(moment):
        return moment - start if moment else None

    clocks = {
        name: rel(getattr(escalation, name))
        for name in ("directors_informed_at", "directors_deadline", "bestuur_informed_at", "bestuur_deadline")
    }
    audit_rows = [
        (e.event_type, e.reason, {k: ("E" if k == "escalation" else v) for k, v in e.details.items()}, e.actor_id)
        for e in AuditEvent.objects.filter(case_id=case.pk, event_type__in=[511]).order_by("id")
    ]
    notes = sorted(
        (n.user_id, n.kind, n.text.replace(ref, "REF"), n.url.replace(pk, "E"))
        for n in Notification.objects.filter(
            case=case, kind__in=[NotificationKind.ESCALATION, NotificationKind.ESCALATION_CLOCK]
        )
    )
    return escalation, clocks, audit_rows, notes


def test_steps_5_and_6_by_hand_and_by_tick_start_the_same_clocks_audit_and_notifications(
    procesregisseur, professional, municipality
):
    """Issue 13 item 1 (must hold): one service for the escalation's steps. The automatic step 6 writes the
    same audit row as the manual one — in the name of the named system actor — and the same notifications."""
    from tafel.core.models import AuditEvent
    from tafel.core.system import SYSTEM_LABEL, system_actor
    from tafel.organisations.models import Role
    from tafel.testing import make_case, make_user

    guard = make_user(professional.organisation, Role.PROFESSIONAL, Role.CASUSREGISSEUR, username="bewaker")
    start = timezone.now().replace(microsecond=0)
    by_hand = _drive_through_steps_5_and_6(
        make_case(professional, municipality), procesregisseur, professional, guard, by_tick=False, start=start
    )
    by_tick = _drive_through_steps_5_and_6(
        make_case(professional, municipality), procesregisseur, professional, guard, by_tick=True, start=start
    )
    hand_escalation, hand_clocks, hand_audit, hand_notes = by_hand
    tick_escalation, tick_clocks, tick_audit, tick_notes = by_tick

    assert hand_escalation.step == tick_escalation.step == EscalationStep.BESTUUR
    assert hand_clocks == tick_clocks
    assert hand_clocks["directors_deadline"] == datetime.timedelta(days=10)
    assert hand_clocks["bestuur_deadline"] == datetime.timedelta(days=20)
    # Same audit rows, step for step; only the actor of step 6 differs: the person, or the system actor.
    system = system_actor()
    assert [row[:3] for row in hand_audit] == [row[:3] for row in tick_audit]
    assert [row[3] for row in hand_audit] == [procesregisseur.pk] * 5
    assert [row[3] for row in tick_audit] == [procesregisseur.pk] * 4 + [system.pk]
    assert hand_audit[-1][1] == "escalation.directors_clock_expired"
    step6 = AuditEvent.objects.filter(case_id=tick_escalation.case_id, event_type=511).order_by("-id").first()
    assert step6.actor_label == SYSTEM_LABEL
    assert hand_notes == tick_notes
    # The system actor, not the case's procesregisseur, is in the escalation's own log for step 6.
    assert tick_escalation.log.order_by("-id").first().actor_id == system.pk
    assert not system.is_active and not system.has_usable_password()


@pytest.mark.parametrize("days", [14])
def test_the_escalation_periods_come_from_one_setting(settings, days, case, procesregisseur, professional):
    settings.TAFEL_ESCALATION_CLOCK_DAYS = days
    case, _ = running_case(case, procesregisseur, professional)
    start = timezone.now()
    escalation = services.escalation_start(actor=professional, case=case, reason="Vast")
    _to_step_5(escalation, procesregisseur)
    assert escalation.directors_deadline - escalation.directors_informed_at == datetime.timedelta(days=days)
    with time_machine.travel(start + datetime.timedelta(days=days - 1), tick=False):
        services.tick(send_mail=False)
    escalation.refresh_from_db()
    assert escalation.step == EscalationStep.DIRECTORS
    with time_machine.travel(start + datetime.timedelta(days=days, hours=1), tick=False):
        services.tick(send_mail=False)
    escalation.refresh_from_db()
    assert escalation.step == EscalationStep.BESTUUR
    assert escalation.bestuur_deadline == escalation.directors_deadline + datetime.timedelta(days=days)


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
