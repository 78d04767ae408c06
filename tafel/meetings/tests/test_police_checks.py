"""The police check before the meeting (SPEC §4.2 "DIK-check", issue 11 item 7): putting a case on an agenda
gives the police in the case one task per person; they answer known / not known with attention points from
"Mijn werk" or the API; the chair sees per person whether it is done. Nobody else sees or answers them."""

import pytest
from django.test import Client
from django.urls import reverse

from tafel.api.tests.conftest import ApiClient, make_key
from tafel.cases.models import CasePerson
from tafel.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.lifecycle.models import Notification
from tafel.meetings import services
from tafel.meetings.audit_events import MeetingEvent
from tafel.meetings.models import PoliceCheck
from tafel.meetings.services import police_checks
from tafel.meetings.tests.factories import join_case, plan_meeting, triaged
from tafel.organisations.models import Role
from tafel.testing import make_user

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> ApiClient:
    return ApiClient(Client(), {"Authorization": f"Bearer {make_key(user)}"})


@pytest.fixture
def on_agenda(case, procesregisseur, outsider, ggz):
    """The police's case (with a GGZ partner too) put on a coming meeting's agenda."""
    case = triaged(case, procesregisseur)
    join_case(case, ggz, procesregisseur)
    meeting = plan_meeting(procesregisseur, cases=[case], days=5)
    return case, meeting


def test_agenda_gives_the_police_one_check_per_person_and_tells_them(on_agenda, professional):
    case, meeting = on_agenda
    persons = set(CasePerson.objects.filter(case=case).values_list("person_id", flat=True))
    checks = PoliceCheck.objects.filter(case=case)
    assert persons and set(checks.values_list("person_id", flat=True)) == persons
    assert set(checks.values_list("organisation_id", flat=True)) == {professional.organisation_id}
    assert AuditEvent.objects.filter(event_type=MeetingEvent.POLICE_CHECK_REQUEST, case_id=case.pk).exists()
    assert Notification.objects.filter(user=professional, text__startswith="DIK-check gevraagd").exists()


def test_no_police_in_the_case_no_check(procesregisseur, outsider, municipality):
    from tafel.testing import make_case

    case = triaged(make_case(outsider, municipality), procesregisseur)
    plan_meeting(procesregisseur, cases=[case], days=5)
    assert not PoliceCheck.objects.filter(case=case).exists()


def test_police_answer_and_only_they(on_agenda, professional, procesregisseur, outsider):
    case, meeting = on_agenda
    check = PoliceCheck.objects.filter(case=case).first()
    for stranger in (procesregisseur, outsider):
        with pytest.raises(NotFound):
            police_checks.police_check_get_for_user(user=stranger, check_id=check.pk)
    found = police_checks.police_check_get_for_user(user=professional, check_id=check.pk)
    with pytest.raises(ValidationFailed):
        police_checks.police_check_answer(actor=professional, check=found, known=None)
    police_checks.police_check_answer(
        actor=professional, check=found, known=True, attention_points="Wapenvergunning; niet alleen op huisbezoek"
    )
    check.refresh_from_db()
    assert check.done and check.known is True and check.answered_by == professional
    event = AuditEvent.objects.get(event_type=MeetingEvent.POLICE_CHECK_ANSWER, case_id=case.pk)
    assert event.details == {"check": check.pk, "known": True}
    services.meeting_open(actor=procesregisseur, meeting=meeting)
    found = police_checks.police_check_get_for_user(user=professional, check_id=check.pk)
    with pytest.raises(TransitionNotAllowed):
        police_checks.police_check_answer(actor=professional, check=found, known=False)


def test_an_account_without_a_case_role_at_the_police_sees_nothing(on_agenda, police):
    case, _ = on_agenda
    analyst = make_user(police, Role.ANALIST, username="politie_analist")
    check = PoliceCheck.objects.filter(case=case).first()
    with pytest.raises(NotFound):
        police_checks.police_check_get_for_user(user=analyst, check_id=check.pk)
    assert api(analyst).get("/police-checks").status_code == 403
    assert api(analyst).post(f"/police-checks/{check.pk}/answer", {"known": False}).status_code == 404


def test_pages_mijn_werk_answer_then_the_chair_sees_it_done(on_agenda, professional, procesregisseur, outsider):
    case, meeting = on_agenda
    checks = list(PoliceCheck.objects.filter(case=case).select_related("person"))
    police = login(professional)
    page = police.get(reverse("meetings:my_work")).content.decode()
    assert "DIK-check voor het overleg" in page and str(checks[0].person) in page
    url = reverse("meetings:police_check_answer", args=[checks[0].pk])
    missing = police.post(url, {f"c{checks[0].pk}-attention_points": "x"})
    assert missing.status_code == 422
    assert "Geef aan of deze persoon bij de politie bekend is." in missing.content.decode()
    done = police.post(url, {f"c{checks[0].pk}-known": "ja", f"c{checks[0].pk}-attention_points": "Hond in huis"})
    assert done.status_code == 302
    chair = login(procesregisseur).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "DIK-check politie" in chair
    assert "gedaan" in chair and "bekend bij de politie; aandachtspunten: Hond in huis" in chair
    if len(checks) > 1:
        assert "nog niet gedaan door Politie Test" in chair
    # GGZ is in the case too, but the check is not theirs: 404, and nothing on their Mijn werk.
    assert login(outsider).post(url, {f"c{checks[0].pk}-known": "nee"}).status_code == 404
    assert "DIK-check voor het overleg" not in login(outsider).get(reverse("meetings:my_work")).content.decode()


def test_api_list_answer_and_meeting_overview(on_agenda, professional, procesregisseur, outsider):
    case, meeting = on_agenda
    listed = api(professional).get("/police-checks")
    assert listed.status_code == 200
    body = listed.json()
    assert body["open"] == len(body["items"]) >= 1
    first = body["items"][0]
    answered = api(professional).post(
        f"/police-checks/{first['id']}/answer", {"known": False, "attention_points": "Geen bijzonderheden"}
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["done"] is True and answered.json()["known"] is False
    assert api(outsider).post(f"/police-checks/{first['id']}/answer", {"known": True}).status_code == 404
    assert api(procesregisseur).get("/police-checks").status_code == 403
    overview = api(procesregisseur).get(f"/police-checks/meetings/{meeting.pk}")
    assert overview.status_code == 200
    assert {c["id"]: c["done"] for c in overview.json()}[first["id"]] is True
    assert api(professional).get(f"/police-checks/meetings/{meeting.pk}").status_code in (403, 404)
    assert api(outsider).get(f"/police-checks/meetings/{meeting.pk}").status_code in (403, 404)
    too_long = api(professional).post(
        f"/police-checks/{first['id']}/answer", {"known": True, "attention_points": "x" * 501}
    )
    assert too_long.status_code == 400
