"""Need-to-know for meetings: a non-participant gets 404 on the meeting, the plan and the verslag, in the pages
and in the API; inside a meeting each reader sees only the cases they may see."""

import json

import pytest
from django.test import Client

from tafel.core.audit_events import CoreEvent
from tafel.core.errors import AccessDenied, NotFound
from tafel.core.models import AuditEvent
from tafel.core.tests.pdfua import assert_pdf_ua
from tafel.meetings import access, services
from tafel.meetings.models import Action
from tafel.meetings.selectors import agenda, meeting_list
from tafel.organisations.models import Role
from tafel.testing import make_case, make_user

from .factories import held_meeting, plan_meeting, publish_plan, triaged


@pytest.fixture
def world(procesregisseur, professional, case):
    """A held meeting about the police's case with a published plan and a verslag; `professional` invited."""
    case = triaged(case, procesregisseur)
    meeting, _ = held_meeting(procesregisseur, case, invite=[professional], days=1)
    plan = publish_plan(procesregisseur, case, meeting, owner=professional, guard=professional).plan
    services.verslag_generate(actor=procesregisseur, meeting=meeting)
    return {"meeting": meeting, "plan": plan, "case": case, "action": Action.objects.get(plan=plan)}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- services/access layer ---------------------------------------------------------------------------------


def test_non_participant_gets_not_found_on_meeting_plan_verslag_and_action(outsider, world):
    with pytest.raises(NotFound):
        access.meeting_get_for_user(user=outsider, meeting_id=world["meeting"].pk)
    with pytest.raises(NotFound):
        access.plan_get_for_user(user=outsider, plan_id=world["plan"].pk)
    with pytest.raises(NotFound):
        access.verslag_get_for_user(user=outsider, meeting_id=world["meeting"].pk)
    with pytest.raises(NotFound):
        access.action_get_for_user(user=outsider, action_id=world["action"].pk)
    assert AuditEvent.objects.filter(event_type=CoreEvent.ACCESS_DENIED, actor=outsider).count() == 4


def test_an_action_is_fetched_with_its_case_checked_in_one_query(professional, world, django_assert_num_queries):
    with django_assert_num_queries(1):
        action = access.action_get_for_user(user=professional, action_id=world["action"].pk, action="update")
    assert action == world["action"] and action.case == world["case"]


def test_an_organisation_that_only_reported_the_case_gets_not_found_on_its_actions(outsider, world):
    from django.utils import timezone

    from tafel.cases.models import CaseOrganisation, ParticipationKind

    # Reporter-only participation opens no case content (issue 10 finding 4), so no action of the case either.
    CaseOrganisation.objects.create(
        case=world["case"], organisation=outsider.organisation, kind=ParticipationKind.REPORTER, added_at=timezone.now()
    )
    with pytest.raises(NotFound):
        access.action_get_for_user(user=outsider, action_id=world["action"].pk)
    with pytest.raises(NotFound):
        access.action_get_for_user(user=outsider, action_id=999_999_999)


def test_colleague_of_a_participating_organisation_who_is_not_invited_does_not_see_the_meeting(police, world):
    colleague = make_user(police, Role.PROFESSIONAL, username="collega")
    with pytest.raises(NotFound):
        access.meeting_get_for_user(user=colleague, meeting_id=world["meeting"].pk)
    # The plan is case content: whoever may see the case may read it.
    assert access.plan_get_for_user(user=colleague, plan_id=world["plan"].pk) == world["plan"]


def test_invited_person_sees_only_the_cases_of_their_organisation(
    procesregisseur, professional, outsider, municipality, case
):
    police_case = triaged(case, procesregisseur)
    ggz_case = triaged(make_case(outsider, municipality), procesregisseur)
    meeting = plan_meeting(procesregisseur, code="mda", cases=[police_case, ggz_case])
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional)
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=outsider)
    assert [i.case_id for i in agenda(viewer=professional, meeting=meeting)] == [police_case.pk]
    assert [i.case_id for i in agenda(viewer=outsider, meeting=meeting)] == [ggz_case.pk]
    assert {i.case_id for i in agenda(viewer=procesregisseur, meeting=meeting)} == {police_case.pk, ggz_case.pk}
    assert list(meeting_list(viewer=professional)) == [meeting]


def test_analyst_sees_no_meeting(analyst, world):
    with pytest.raises(NotFound):
        access.meeting_get_for_user(user=analyst, meeting_id=world["meeting"].pk)
    assert list(meeting_list(viewer=analyst)) == []


def test_visible_but_not_allowed_is_403(professional, world):
    with pytest.raises(AccessDenied):
        access.meeting_get_for_user(user=professional, meeting_id=world["meeting"].pk, action="run")
    with pytest.raises(AccessDenied):
        access.plan_get_for_user(user=professional, plan_id=world["plan"].pk, action="edit")


def test_a_chair_of_a_deactivated_organisation_no_longer_acts(procesregisseur, world):
    """The policy's one notion of an active account (issue 13): a deactivated organisation takes its users'
    rights with it, also the chair's."""
    meeting = world["meeting"]
    assert meeting.chair_id == procesregisseur.pk
    assert access.may_run_meeting(procesregisseur, meeting) and access.may_approve_verslag(procesregisseur, meeting)
    procesregisseur.organisation.active = False
    procesregisseur.organisation.save(update_fields=["active"])

    assert not access.may_run_meeting(procesregisseur, meeting)
    assert not access.may_approve_verslag(procesregisseur, meeting)
    assert not access.is_invited(procesregisseur, meeting)
    assert not access.may_edit_plan(procesregisseur, world["plan"])


# --- pages -------------------------------------------------------------------------------------------------


PAGES = [
    ("meeting", "/overleggen/{meeting}/"),
    ("plan", "/overleggen/plan/{plan}/"),
    ("family", "/overleggen/plan/{plan}/gezin/"),
    ("verslag", "/overleggen/{meeting}/verslag/"),
    ("verslag_pdf", "/overleggen/{meeting}/verslag/pdf/"),
    ("update", "/overleggen/agendapunt/{item}/update/"),
    ("guide", "/overleggen/agendapunt/{item}/leidraad/"),
]


def _url(template, world):
    return template.format(
        meeting=world["meeting"].pk, plan=world["plan"].pk, item=world["meeting"].agenda_items.get().pk
    )


@pytest.mark.parametrize(("name", "template"), PAGES)
def test_outsider_gets_404_on_every_meeting_page(outsider, world, name, template):
    assert _client(outsider).get(_url(template, world)).status_code == 404


@pytest.mark.parametrize(
    ("template", "data"),
    [
        ("/overleggen/{meeting}/uitnodigen/", {"user": "1"}),
        ("/overleggen/{meeting}/verslag/", {"step": "approve"}),
        ("/overleggen/plan/{plan}/bewerken/", {"step": "publish"}),
        ("/overleggen/agendapunt/{item}/update/", {"current_situation": "x"}),
    ],
)
def test_outsider_gets_404_on_every_meeting_form(outsider, world, template, data):
    assert _client(outsider).post(_url(template, world), data).status_code == 404


def test_participant_reads_meeting_plan_and_verslag_pages(professional, world):
    client = _client(professional)
    for name, template in PAGES:
        # A participant reads the guide of their case too; only the chair writes it.
        assert client.get(_url(template, world)).status_code == 200, name
    assert client.post(_url("/overleggen/agendapunt/{item}/leidraad/", world), {"step": "save"}).status_code == 403
    pdf = client.get(_url("/overleggen/{meeting}/verslag/pdf/", world))
    assert pdf["Content-Type"] == "application/pdf"
    assert_pdf_ua(pdf.content)


def test_login_is_required(world):
    response = Client().get(_url("/overleggen/{meeting}/", world))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- API ---------------------------------------------------------------------------------------------------


API = [
    "/api/v1/meetings/{meeting}",
    "/api/v1/meetings/{meeting}/agenda",
    "/api/v1/meetings/{meeting}/verslag",
    "/api/v1/meetings/plans/{plan}",
]


@pytest.mark.parametrize("template", API)
def test_outsider_gets_404_in_the_api(outsider, world, template):
    response = _client(outsider).get(_url(template, world))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_outsider_cannot_update_an_action_through_the_api(outsider, world):
    response = _client(outsider).post(
        f"/api/v1/meetings/actions/{world['action'].pk}/status",
        json.dumps({"status": "gedaan"}),
        content_type="application/json",
    )
    assert response.status_code == 404


def test_participant_reads_through_the_api(professional, world):
    client = _client(professional)
    meeting = client.get(_url("/api/v1/meetings/{meeting}", world)).json()
    assert [i["case_id"] for i in meeting["agenda"]] == [world["case"].pk]
    plan = client.get(_url("/api/v1/meetings/plans/{plan}", world)).json()
    assert plan["quality"] == {"meets_criteria": True, "missing": []}
    assert plan["actions"][0]["owner"]["id"] == professional.pk
    current = client.get(f"/api/v1/meetings/cases/{world['case'].pk}/plan").json()
    assert current["id"] == world["plan"].pk and current["current"] is True
    verslag = client.get(_url("/api/v1/meetings/{meeting}/verslag", world)).json()
    assert [s["case_id"] for s in verslag["sections"]] == [world["case"].pk]
    listed = client.get("/api/v1/meetings").json()
    assert listed["count"] == 1 and listed["items"][0]["agenda_items"] == 1


def test_only_the_owner_updates_an_action_through_the_api(procesregisseur, professional, world, police):
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    def post(user, body):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        request = RequestFactory().get("/")
        token = get_token(request)
        client.cookies["csrftoken"] = request.META["CSRF_COOKIE"]
        return client.post(
            f"/api/v1/meetings/actions/{world['action'].pk}/status",
            json.dumps(body),
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )

    assert post(procesregisseur, {"status": "gedaan"}).status_code == 403
    refused = post(professional, {"status": "niet_gedaan"})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "outcome_note"
    done = post(professional, {"status": "gedaan", "outcome_note": "Huisbezoek gedaan."})
    assert done.status_code == 200 and done.json()["status"] == "gedaan"
    assert done.json()["done_at"] is not None  # read-only: set by the service, not by the client
    mine = _client(professional).get("/api/v1/meetings/actions/mine").json()
    assert mine["items"][0]["status"] == "gedaan" and mine["items"][0]["done_at"] == done.json()["done_at"]


def test_meeting_list_shows_only_visible_meetings(procesregisseur, professional, outsider, world):
    page = _client(professional).get("/overleggen/")
    assert page.status_code == 200
    assert f"/overleggen/{world['meeting'].pk}/" in page.content.decode()
    other = _client(outsider).get("/overleggen/")
    assert other.status_code == 200
    assert f"/overleggen/{world['meeting'].pk}/" not in other.content.decode()
    assert _client(professional).get("/overleggen/nieuw/").status_code == 403
    assert _client(procesregisseur).get("/overleggen/nieuw/").status_code == 200
