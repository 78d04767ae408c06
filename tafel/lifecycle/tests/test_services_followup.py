import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tafel.cases.models import Phase
from tafel.core.errors import AccessDenied, ValidationFailed
from tafel.lifecycle import services
from tafel.lifecycle.models import Notification, NotificationKind, SentReminder
from tafel.meetings.models import AgendaItem, AgendaKind, Bodemeis, PhaseChange

from .factories import plan_meeting, running_case

pytestmark = pytest.mark.django_db


def test_broken_bodemeis_notifies_guard_and_procesregisseur_and_puts_case_on_next_agenda(
    case, procesregisseur, professional
):
    case, guard = running_case(case, procesregisseur, professional)
    later = plan_meeting(procesregisseur, days=21)
    next_meeting = plan_meeting(procesregisseur, days=7)
    bodemeis = Bodemeis.objects.get(plan__case=case)

    services.breach_report(actor=professional, case=case, bodemeis_id=bodemeis.pk, description="Vader sloeg opnieuw.")

    notified = set(Notification.objects.filter(kind=NotificationKind.BREACH).values_list("user_id", flat=True))
    assert notified == {guard.pk, procesregisseur.pk}
    item = AgendaItem.objects.get(case=case, meeting=next_meeting)
    assert item.kind == AgendaKind.FOLLOW_UP
    assert not AgendaItem.objects.filter(case=case, meeting=later).exists()


def test_breach_report_refuses_outsider_and_foreign_bodemeis(case, procesregisseur, professional, outsider):
    case, _ = running_case(case, procesregisseur, professional)
    bodemeis = Bodemeis.objects.get(plan__case=case)
    with pytest.raises(AccessDenied):
        services.breach_report(actor=outsider, case=case, bodemeis_id=bodemeis.pk, description="x")
    with pytest.raises(ValidationFailed):
        services.breach_report(actor=professional, case=case, bodemeis_id=999999, description="x")


def test_rappel_date_reminds_once_and_agendas_the_case_even_when_tick_runs_twice(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    due = timezone.localdate() + datetime.timedelta(days=10)
    services.rappel_set(actor=procesregisseur, case=case, due_on=due, note="Evaluatie huisbezoek")
    meeting = plan_meeting(procesregisseur, days=12)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=9), tick=False):
        services.tick()
        assert not Notification.objects.filter(kind=NotificationKind.RAPPEL).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10, hours=1), tick=False):
        services.tick()
        services.tick()
    assert Notification.objects.filter(kind=NotificationKind.RAPPEL, user=procesregisseur).count() == 1
    assert AgendaItem.objects.filter(case=case, meeting=meeting).count() == 1


def test_overdue_action_reminder_fires_exactly_once(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=16), tick=False):
        first = services.tick()
        second = services.tick()
    assert first.counts["actions"] == 1
    assert second.counts.get("actions", 0) == 0
    assert Notification.objects.filter(kind=NotificationKind.ACTION_DUE, user=professional).count() == 1
    assert SentReminder.objects.filter(kind="action_due").count() == 1


def test_notifications_go_out_as_one_digest_per_user_per_run(case, procesregisseur, professional):
    case, guard = running_case(case, procesregisseur, professional)
    bodemeis = Bodemeis.objects.get(plan__case=case)
    # Publishing the plan told its owners (issue 11); this test is about the breach notifications only.
    Notification.objects.update(emailed_at=timezone.now())
    services.breach_report(actor=professional, case=case, bodemeis_id=bodemeis.pk, description="Eerste")
    services.breach_report(actor=professional, case=case, bodemeis_id=bodemeis.pk, description="Tweede")
    mail.outbox.clear()
    services.tick()
    services.tick()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([guard.email, procesregisseur.email])
    assert "Tweede" not in mail.outbox[0].body  # content stays in Tafel


def test_progress_update_only_by_regisseur(case, procesregisseur, professional, outsider):
    case, guard = running_case(case, procesregisseur, professional)
    with pytest.raises(AccessDenied):
        services.progress_update_submit(actor=outsider, case=case, problem="x")
    update = services.progress_update_submit(
        actor=professional, case=case, problem="Stabiel", waiting_for_information=True, waiting_note="GGZ-rapport"
    )
    assert update.waiting_for_information
    assert Notification.objects.filter(kind=NotificationKind.PROGRESS, user=procesregisseur).exists()


def test_phase_changes_between_meetings_forward_and_back_with_reason(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    services.phase_change(actor=procesregisseur, case=case, to_phase=Phase.RISICOGESTUURDE_ZORG, reason="Stabiel")
    services.phase_change(actor=procesregisseur, case=case, to_phase=Phase.DIRECTE_VEILIGHEID, reason="Nieuw incident")
    changes = list(PhaseChange.objects.filter(case=case, discussion__isnull=True).order_by("id"))
    assert [(c.from_phase, c.to_phase) for c in changes] == [
        (Phase.DIRECTE_VEILIGHEID, Phase.RISICOGESTUURDE_ZORG),
        (Phase.RISICOGESTUURDE_ZORG, Phase.DIRECTE_VEILIGHEID),
    ]
    assert changes[1].reason == "Nieuw incident"
    with pytest.raises(ValidationFailed):
        services.phase_change(actor=procesregisseur, case=case, to_phase=Phase.HERSTELGERICHTE_ZORG, reason="")


def test_tick_command_with_now_is_idempotent(case, procesregisseur, professional):
    from io import StringIO

    from django.core.management import call_command

    case, _ = running_case(case, procesregisseur, professional)
    moment = (timezone.now() + datetime.timedelta(days=16)).isoformat()
    out = StringIO()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=16), tick=False):
        call_command("tick", "--now", moment, "--no-mail", stdout=out)
        call_command("tick", "--now", moment, "--no-mail", stdout=out)
    assert "actions=1" in out.getvalue()
    assert Notification.objects.filter(kind=NotificationKind.ACTION_DUE, user=professional).count() == 1


def _tick_at(moment: datetime.datetime) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("tick", "--now", moment.isoformat(), "--no-mail", stdout=StringIO())


def test_tick_with_now_in_the_future_agendas_the_meeting_that_is_next_at_that_moment(
    case, procesregisseur, professional
):
    case, _ = running_case(case, procesregisseur, professional)
    next_by_the_real_clock = plan_meeting(procesregisseur, days=5)
    next_at_now = plan_meeting(procesregisseur, days=30)
    # The real clock stays today: only --now says it is three weeks later (the action is then overdue).
    _tick_at(timezone.now() + datetime.timedelta(days=20))
    assert list(AgendaItem.objects.filter(case=case, kind=AgendaKind.FOLLOW_UP).values_list("meeting", flat=True)) == [
        next_at_now.pk
    ]
    assert not AgendaItem.objects.filter(case=case, meeting=next_by_the_real_clock).exists()


def test_tick_with_now_in_the_past_agendas_the_meeting_that_was_next_then(case, procesregisseur, professional):
    from tafel.lifecycle.models import CaseRappel
    from tafel.meetings.models import Meeting

    case, _ = running_case(case, procesregisseur, professional)
    was_next = plan_meeting(procesregisseur, days=5)
    # A catch-up run for a week ago: the meeting three days ago (still planned, never held) was next then.
    Meeting.objects.filter(pk=was_next.pk).update(starts_at=timezone.now() - datetime.timedelta(days=3))
    next_by_the_real_clock = plan_meeting(procesregisseur, days=10)
    CaseRappel.objects.create(
        case=case,
        due_on=timezone.localdate() - datetime.timedelta(days=10),
        note="Bellen",
        set_by=procesregisseur,
        set_at=timezone.now() - datetime.timedelta(days=20),
    )
    _tick_at(timezone.now() - datetime.timedelta(days=7))
    assert AgendaItem.objects.filter(case=case, meeting=was_next, kind=AgendaKind.FOLLOW_UP).exists()
    assert not AgendaItem.objects.filter(case=case, meeting=next_by_the_real_clock).exists()
