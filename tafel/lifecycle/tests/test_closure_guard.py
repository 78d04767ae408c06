"""Issue 12, item 4: the closure guard. Closing or stepping down with an open escalation is refused; a recent
bodemeis breach or open actions need an explicit confirmation with a reason; a closed case leaves the agendas
of meetings that have not started."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tafel.cases.models import CaseStatus
from tafel.core.errors import TransitionNotAllowed, ValidationFailed
from tafel.lifecycle import services
from tafel.lifecycle.models import Closure
from tafel.meetings.models import AgendaItem, Bodemeis

from .factories import plan_meeting, running_case

pytestmark = pytest.mark.django_db

CRITERIA = {"care_started": True}
PLAN = "Bij nieuw geweld belt Veilig Thuis dezelfde dag de procesregisseur."


def _close(actor, case, **extra):
    return services.case_close(
        actor=actor,
        case=case,
        reason="Doelen bereikt",
        criteria=CRITERIA,
        afsluitingsplan=PLAN,
        goal_reached="bereikt",
        **extra,
    )


def test_an_open_escalation_refuses_closing_and_stepping_down(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    services.escalation_start(actor=professional, case=case, reason="We zitten vast met de hulpverlening.")
    with pytest.raises(TransitionNotAllowed, match="escalatie"):
        _close(procesregisseur, case, confirm_reason="Toch sluiten.")
    with pytest.raises(TransitionNotAllowed, match="escalatie"):
        services.case_afschalen(
            actor=procesregisseur,
            case=case,
            reason="Lokaal verder",
            handover_to="Wijkteam",
            handover_on=timezone.localdate(),
            family_present=True,
            goal_reached="deels",
            confirm_reason="Toch afschalen.",
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF and not Closure.objects.exists()


def test_open_actions_and_a_recent_breach_need_a_confirmation_with_a_reason(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    bodemeis = Bodemeis.objects.get(plan__case=case)
    services.breach_report(actor=professional, case=case, bodemeis_id=bodemeis.pk, description="Vader was weer thuis.")
    guard = services.closure_guard(case)
    assert guard.recent_breaches == 1 and guard.open_actions == 1 and not guard.refused
    with pytest.raises(ValidationFailed) as refused:
        _close(procesregisseur, case)
    message = refused.value.field_errors["confirm_reason"][0]
    assert "bodemeis" in message and "1 open acties" in message
    closure = _close(procesregisseur, case, confirm_reason="Het gezin is verhuisd; het nieuwe team neemt het over.")
    assert closure.guard_override_reason == "Het gezin is verhuisd; het nieuwe team neemt het over."


def test_a_closed_case_leaves_the_agendas_of_meetings_that_have_not_started(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    held_item = AgendaItem.objects.get(case=case)
    future = plan_meeting(procesregisseur, cases=[case], days=14)
    assert AgendaItem.objects.filter(case=case, meeting=future).exists()
    _close(procesregisseur, case, confirm_reason="Open actie wordt lokaal opgepakt.")
    assert not AgendaItem.objects.filter(case=case, meeting=future).exists()
    assert AgendaItem.objects.filter(pk=held_item.pk).exists()  # the held meeting keeps its record


def test_the_page_shows_the_guard_and_refuses_with_an_open_escalation(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    client = Client()
    client.force_login(procesregisseur)
    page = client.get(reverse("lifecycle:case", args=[case.pk])).content.decode()
    assert "open acties" in page and 'name="confirm_reason"' in page
    data = {"criteria": ["care_started"], "afsluitingsplan": PLAN, "reason": "Klaar", "goal_reached": "bereikt"}
    response = client.post(reverse("lifecycle:case_action", args=[case.pk, "afsluiten"]), data)
    assert response.status_code == 200 and "Bevestig met een reden" in response.content.decode()
    services.escalation_start(actor=professional, case=case, reason="We zitten vast met de hulpverlening.")
    response = client.post(
        reverse("lifecycle:case_action", args=[case.pk, "afsluiten"]), {**data, "confirm_reason": "Toch."}
    )
    assert "Er loopt een escalatie" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF


def test_the_api_asks_for_the_confirmation_and_refuses_with_an_escalation(case, procesregisseur, professional):
    import json

    case, _ = running_case(case, procesregisseur, professional)
    client = Client()
    client.force_login(procesregisseur)
    body = {"reason": "Klaar", "criteria": CRITERIA, "afsluitingsplan": PLAN, "goal_reached": "bereikt"}
    url = f"/api/v1/lifecycle/cases/{case.pk}/close"
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert any(e["field"] == "confirm_reason" for e in response.json()["errors"])
    services.escalation_start(actor=professional, case=case, reason="We zitten vast met de hulpverlening.")
    response = client.post(url, json.dumps({**body, "confirm_reason": "Toch."}), content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "transition_not_allowed"


def test_closing_without_warnings_asks_nothing_extra(case, procesregisseur, professional):
    from tafel.meetings.models import Action, ActionStatus

    case, _ = running_case(case, procesregisseur, professional)
    Action.objects.filter(case=case).update(status=ActionStatus.GEDAAN, done_at=timezone.now())
    closure = _close(procesregisseur, case)
    assert closure.guard_override_reason == ""
    assert closure.follow_up_until is None or closure.follow_up_until > timezone.localdate() - datetime.timedelta(1)
