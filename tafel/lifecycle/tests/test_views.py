import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tafel.cases.models import CaseStatus
from tafel.lifecycle import services
from tafel.lifecycle.models import Notification
from tafel.meetings.models import AgendaItem, Bodemeis

from .factories import plan_meeting, running_case

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_journey_breach_on_the_page_notifies_and_agendas(case, procesregisseur, professional):
    case, guard = running_case(case, procesregisseur, professional)
    meeting = plan_meeting(procesregisseur, days=7)
    client = login(professional)
    page = client.get(reverse("lifecycle:case", args=[case.pk]))
    assert page.status_code == 200
    bodemeis = Bodemeis.objects.get(plan__case=case)
    response = client.post(
        reverse("lifecycle:case_action", args=[case.pk, "bodemeis"]),
        {"bodemeis": bodemeis.pk, "description": "Vader was dronken thuis"},
    )
    assert response.status_code == 302
    assert AgendaItem.objects.filter(case=case, meeting=meeting).exists()
    guard_page = login(guard).get(reverse("lifecycle:notifications"))
    assert "bodemeis niet nagekomen" in guard_page.content.decode().lower()
    bell = login(procesregisseur).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="notification-bell"' in bell
    assert '<span class="tafel-bell__count">1</span>' in bell


def test_invalid_post_keeps_the_user_on_the_page_with_a_message(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    client = login(professional)
    response = client.post(reverse("lifecycle:case_action", args=[case.pk, "escalatie"]), {"reason": ""}, follow=True)
    assert response.status_code == 200
    assert "Beschrijf waarom het vastzit." in response.content.decode()


def test_close_on_the_page_then_follow_up_and_reentry(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    response = login(procesregisseur).post(
        reverse("lifecycle:case_action", args=[case.pk, "afsluiten"]),
        {
            "criteria": ["care_started"],
            "afsluitingsplan": "Terugval: direct bellen",
            "reason": "Doelen bereikt",
            "goal_reached": "bereikt",
            "confirm_reason": "De open actie gaat lokaal verder.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.VOLGEN
    page = login(procesregisseur).get(reverse("lifecycle:case", args=[case.pk])).content.decode()
    assert "(doel: bereikt)" in page
    login(professional).post(reverse("lifecycle:case_action", args=[case.pk, "heropenen"]), {"reason": "Nieuwe zorg"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF


@pytest.mark.parametrize("name", ["lifecycle:case", "lifecycle:timeline", "lifecycle:timeline_pdf"])
def test_outsider_gets_404_on_case_pages(case, outsider, name):
    assert login(outsider).get(reverse(name, args=[case.pk])).status_code == 404


def test_outsider_gets_404_on_case_actions(case, outsider):
    response = login(outsider).post(reverse("lifecycle:case_action", args=[case.pk, "escalatie"]), {"reason": "x"})
    assert response.status_code == 404


def test_notifications_mark_read(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    services.escalation_start(actor=professional, case=case, reason="Vast")
    client = login(procesregisseur)
    client.post(reverse("lifecycle:notifications"))
    assert not Notification.objects.filter(user=procesregisseur, read_at__isnull=True).exists()


def test_enrichment_inbox_answers_only_own_requests(case, procesregisseur, professional, outsider, ggz):
    from tafel.lifecycle.models import EnrichmentRequest

    request = EnrichmentRequest.objects.create(
        case=case, organisation=ggz, requested_by=procesregisseur, requested_at=timezone.now()
    )
    page = login(outsider).get(reverse("lifecycle:enrichment_inbox"))
    assert case.reference in page.content.decode()
    login(outsider).post(reverse("lifecycle:enrichment_inbox"), {"request": request.pk, "known": "nee"})
    request.refresh_from_db()
    assert request.answer.known is False
    assert login(professional).post(reverse("lifecycle:enrichment_inbox"), {"request": request.pk}).status_code == 404


# --- escalation actions write only their own audit events -------------------------------------------------


def _events_after(last_id: int) -> list[int]:
    from tafel.core.models import AuditEvent

    return list(AuditEvent.objects.filter(pk__gt=last_id).order_by("pk").values_list("event_type", flat=True))


def _last_event_id() -> int:
    from tafel.core.models import AuditEvent

    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize(
    ("action", "data", "event"),
    [
        ("volgende-stap", {"note": "Gesprekken gevoerd"}, "ESCALATION_STEP"),
        ("besluit", {"resolution": "GGZ neemt de casusregie"}, "ESCALATION_RESOLVE"),
    ],
)
def test_an_escalation_post_writes_exactly_its_write_event_and_no_read(
    case, procesregisseur, professional, action, data, event
):
    from tafel.lifecycle.audit_events import LifecycleEvent

    case, _ = running_case(case, procesregisseur, professional)
    escalation = services.escalation_start(actor=professional, case=case, reason="Vast")
    before = _last_event_id()
    response = login(procesregisseur).post(reverse("lifecycle:escalation_action", args=[escalation.pk, action]), data)
    assert response.status_code == 302
    assert _events_after(before) == [getattr(LifecycleEvent, event)]


def test_an_escalation_argument_post_writes_only_the_argument_event(case, procesregisseur, professional):
    from tafel.lifecycle.audit_events import LifecycleEvent

    case, _ = running_case(case, procesregisseur, professional)
    escalation = services.escalation_start(
        actor=professional, case=case, reason="Vast", candidate_org_ids=[professional.organisation_id]
    )
    services.escalation_advance(actor=procesregisseur, escalation=escalation, note="Argumenten gevraagd")
    before = _last_event_id()
    response = login(professional).post(
        reverse("lifecycle:escalation_action", args=[escalation.pk, "argument"]), {"text": "Wij zijn niet de partij"}
    )
    assert response.status_code == 302
    assert _events_after(before) == [LifecycleEvent.ESCALATION_ARGUMENT]


def test_the_escalation_page_itself_is_still_audited_as_a_read(case, procesregisseur, professional):
    from tafel.cases.audit_events import CaseEvent

    case, _ = running_case(case, procesregisseur, professional)
    escalation = services.escalation_start(actor=professional, case=case, reason="Vast")
    before = _last_event_id()
    assert login(procesregisseur).get(reverse("lifecycle:escalation", args=[escalation.pk])).status_code == 200
    assert _events_after(before) == [CaseEvent.CASE_VIEW]


def test_outsider_gets_404_on_escalation_actions(case, procesregisseur, professional, outsider):
    case, _ = running_case(case, procesregisseur, professional)
    escalation = services.escalation_start(actor=professional, case=case, reason="Vast")
    url = reverse("lifecycle:escalation_action", args=[escalation.pk, "argument"])
    assert login(outsider).post(url, {"text": "x"}).status_code == 404


# --- refused forms keep what the user typed ---------------------------------------------------------------


def test_a_refused_rappel_shows_the_page_again_with_what_was_typed(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    past = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    response = login(professional).post(
        reverse("lifecycle:case_action", args=[case.pk, "rappel"]), {"due_on": past, "note": "Na de vakantie bellen"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een rappeldatum ligt niet in het verleden." in html
    assert 'name="note" value="Na de vakantie bellen"' in html
    assert f'name="due_on" value="{past}"' in html


def test_a_refused_close_keeps_the_ticked_criteria_and_the_texts(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    response = login(procesregisseur).post(
        reverse("lifecycle:case_action", args=[case.pk, "afsluiten"]),
        {"criteria": ["care_started"], "afsluitingsplan": "", "reason": "Doelen bereikt", "follow_up_months": "6"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF
    assert 'value="care_started" checked' in html
    assert 'id="close-reason" name="reason" value="Doelen bereikt"' in html
    assert 'name="follow_up_months" value="6"' in html
    # The goal question was not answered: its error stands at the field.
    assert 'id="close-goal_error"' in html and "Geef aan of het gezamenlijke doel is bereikt" in html


def test_a_refused_escalation_start_keeps_the_chosen_candidates(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    org = professional.organisation_id
    response = login(professional).post(
        reverse("lifecycle:case_action", args=[case.pk, "escalatie"]), {"reason": "", "candidates": [str(org)]}
    )
    assert response.status_code == 200
    assert f'name="candidates" value="{org}" checked' in response.content.decode()


def test_a_refused_escalation_step_keeps_the_proposal_typed(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    escalation = services.escalation_start(actor=professional, case=case, reason="Vast")
    services.escalation_advance(actor=procesregisseur, escalation=escalation, note="Gesprekken gevoerd")
    response = login(procesregisseur).post(
        reverse("lifecycle:escalation_action", args=[escalation.pk, "volgende-stap"]),
        {"proposal": "", "subtasks_in": "Contact gezin", "note": "Voorstel volgt"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="subtasks_in" value="Contact gezin"' in html
    assert 'name="note" value="Voorstel volgt"' in html


def test_a_refused_enrichment_answer_keeps_the_choice(case, procesregisseur, outsider, ggz):
    from tafel.lifecycle.models import EnrichmentRequest

    request = EnrichmentRequest.objects.create(
        case=case, organisation=ggz, requested_by=procesregisseur, requested_at=timezone.now()
    )
    response = login(outsider).post(
        reverse("lifecycle:enrichment_inbox"), {"request": request.pk, "known": "ja", "contact": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Noem een contactpersoon." in html
    assert 'value="ja" checked' in html
    request.refresh_from_db()
    assert not hasattr(request, "answer") or request.answer is None
