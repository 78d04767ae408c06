"""Adding and removing a partner organisation (issue 11 item 6): the house decides, with a reason; removing
is refused for the house itself, the last partner, and an organisation with open actions or invitations
(listed); a removed organisation loses the case at once, on the pages and in the API."""

import pytest
from django.test import Client
from django.urls import reverse

from tafel.api.tests.conftest import ApiClient, make_key
from tafel.cases import participants
from tafel.cases.audit_events import CaseEvent
from tafel.cases.models import CaseChange, CaseChangeField, CaseOrganisation
from tafel.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.lifecycle.tests.factories import running_case
from tafel.meetings import services as meeting_services
from tafel.meetings.models import Invitation
from tafel.meetings.tests.factories import join_case, plan_meeting, triaged

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> ApiClient:
    return ApiClient(Client(), {"Authorization": f"Bearer {make_key(user)}"})


def test_removed_organisation_loses_the_case_at_once_page_and_api(case, procesregisseur, outsider, ggz):
    join_case(case, ggz, procesregisseur)
    assert login(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert api(outsider).get(f"/cases/{case.pk}").status_code == 200

    participants.case_participation_remove(
        actor=procesregisseur, case=case, organisation_id=ggz.pk, reason="GGZ is niet meer betrokken"
    )

    assert not CaseOrganisation.objects.filter(case=case, organisation=ggz).exists()
    assert login(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert api(outsider).get(f"/cases/{case.pk}").status_code == 404
    event = AuditEvent.objects.get(event_type=CaseEvent.CASE_PARTICIPANT_REMOVE, case_id=case.pk)
    assert event.details == {"organisation": ggz.pk, "kind": "partner"}
    change = CaseChange.objects.get(case=case, field=CaseChangeField.ORGANISATION)
    assert (change.old_value, change.reason) == ("GGZ Test", "GGZ is niet meer betrokken")


def test_removal_needs_the_house_and_a_reason(case, procesregisseur, professional, ggz):
    join_case(case, ggz, procesregisseur)
    with pytest.raises(AccessDenied):
        participants.case_participation_remove(actor=professional, case=case, organisation_id=ggz.pk, reason="x")
    with pytest.raises(ValidationFailed) as exc:
        participants.case_participation_remove(actor=procesregisseur, case=case, organisation_id=ggz.pk, reason=" ")
    assert "reason" in exc.value.field_errors


def test_the_house_and_the_last_partner_stay(case, procesregisseur, police, house):
    with pytest.raises(TransitionNotAllowed, match="laatste partner"):
        participants.case_participation_remove(actor=procesregisseur, case=case, organisation_id=police.pk, reason="x")
    CaseOrganisation.objects.create(case=case, organisation=house, added_at=case.created_at)
    with pytest.raises(TransitionNotAllowed, match="Zorg- en Veiligheidshuis zelf"):
        participants.case_participation_remove(actor=procesregisseur, case=case, organisation_id=house.pk, reason="x")


def test_open_actions_and_invitations_are_listed_and_refuse_removal(case, procesregisseur, professional, ggz):
    case, _ = running_case(case, procesregisseur, professional)
    join_case(case, ggz, procesregisseur)
    meeting = plan_meeting(procesregisseur, cases=[case], days=5)
    meeting_services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional.pk)
    with pytest.raises(TransitionNotAllowed) as exc:
        participants.case_participation_remove(
            actor=procesregisseur, case=case, organisation_id=professional.organisation_id, reason="x"
        )
    message = exc.value.message
    assert "Open actie ‘Huisbezoek afleggen’" in message
    assert f"Uitnodiging van {professional}" in message
    assert "casusregisseur" in message
    assert CaseOrganisation.objects.filter(case=case, organisation_id=professional.organisation_id).exists()


def test_confirmation_page_then_removal_with_reason(case, procesregisseur, professional, outsider, ggz):
    join_case(case, ggz, procesregisseur)
    url = reverse("cases:participation_remove", args=[case.pk, ggz.pk])
    client = login(procesregisseur)
    page = client.get(url).content.decode()
    assert "GGZ Test uit de casus halen" in page and 'name="reason"' in page
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url in detail
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 422
    assert "Waarom neemt deze organisatie niet meer deel?" in empty.content.decode()
    done = client.post(url, {"reason": "Zorg loopt via het wijkteam"})
    assert done.status_code == 302
    assert login(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    # Someone in the case who is not of the house may not; someone outside it gets 404.
    assert login(professional).get(url).status_code == 403
    assert login(outsider).get(url).status_code == 404


def test_confirmation_page_lists_what_stands_in_the_way(case, procesregisseur, police):
    page = login(procesregisseur).get(reverse("cases:participation_remove", args=[case.pk, police.pk]))
    html = page.content.decode()
    assert "Dit moet eerst geregeld zijn" in html and "laatste partner" in html
    assert 'name="reason"' not in html


def test_api_adds_checks_and_removes(case, procesregisseur, professional, outsider, ggz):
    client = api(procesregisseur)
    police = professional.organisation_id
    # The police are the only partner: the check says why not, and removing is refused (409).
    police_check = client.get(f"/cases/{case.pk}/organisations/{police}/removal").json()
    assert police_check["allowed"] is False and "laatste partner" in police_check["blockers"][0]
    assert client.post(f"/cases/{case.pk}/organisations/{police}/remove", {"reason": "x"}).status_code == 409

    added = client.post(f"/cases/{case.pk}/organisations", {"organisation_id": ggz.pk, "reason": "Behandelaar"})
    assert added.status_code == 201, added.content
    assert added.json()["kind"] == "partner" and added.json()["reason"] == "Behandelaar"
    assert api(outsider).get(f"/cases/{case.pk}").status_code == 200
    again = client.post(f"/cases/{case.pk}/organisations", {"organisation_id": ggz.pk, "reason": "x"})
    assert again.status_code == 400
    check = client.get(f"/cases/{case.pk}/organisations/{ggz.pk}/removal").json()
    assert check["allowed"] is True and check["blockers"] == []
    removed = client.post(f"/cases/{case.pk}/organisations/{ggz.pk}/remove", {"reason": "Niet meer nodig"})
    assert removed.status_code == 200, removed.content
    assert api(outsider).get(f"/cases/{case.pk}").status_code == 404
    assert client.post(f"/cases/{case.pk}/organisations/{ggz.pk}/remove", {"reason": "x"}).status_code == 404
    member = api(professional).post(f"/cases/{case.pk}/organisations/{police}/remove", {"reason": "x"})
    assert member.status_code == 403
    stranger = api(outsider).post(f"/cases/{case.pk}/organisations", {"organisation_id": ggz.pk, "reason": "x"})
    assert stranger.status_code == 404


def test_invitation_form_adds_a_missing_organisation_then_invites(case, procesregisseur, outsider, ggz):
    case = triaged(case, procesregisseur)
    meeting = plan_meeting(procesregisseur, cases=[case], days=5)
    item = meeting.agenda_items.get()
    client = login(procesregisseur)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Voeg haar toe aan de casus en nodig uit" in page
    url = reverse("meetings:invite_with_organisation", args=[meeting.pk])
    missing = client.post(url, {"partner-agenda_item": item.pk, "partner-user": outsider.pk, "partner-reason": ""})
    assert missing.status_code == 422
    assert not CaseOrganisation.objects.filter(case=case, organisation=ggz).exists()
    response = client.post(
        url, {"partner-agenda_item": item.pk, "partner-user": outsider.pk, "partner-reason": "Behandelaar moeder"}
    )
    assert response.status_code == 302
    link = CaseOrganisation.objects.get(case=case, organisation=ggz)
    assert (link.kind, link.reason) == ("partner", "Behandelaar moeder")
    assert Invitation.objects.filter(meeting=meeting, user=outsider, agenda_item=item).exists()
