"""Issue 12, item 5: the agenda proposal offers the cases that are due (and only those, most urgent first),
attendance of all invitees is saved in one form, and a meeting goes planned → open → held, closed by the chair."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tafel.api.tests.conftest import ApiClient, make_key
from tafel.cases.models import Case, CaseStatus, Urgency
from tafel.core.audit_events import CoreEvent
from tafel.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.meetings import services
from tafel.meetings.audit_events import MeetingEvent
from tafel.meetings.models import Action, Attendance, Invitation, Meeting, MeetingStatus, Plan
from tafel.meetings.selectors import agenda_suggestions
from tafel.organisations.models import Role
from tafel.testing import make_case, make_user

from .factories import held_meeting, plan_meeting, publish_plan, triaged


def _proposed(viewer, meeting) -> dict[int, list[str]]:
    return {s.case.pk: s.codes for s in agenda_suggestions(viewer=viewer, meeting=meeting)}


# --- the agenda proposal ----------------------------------------------------------------------------------


def test_a_case_triaged_today_is_proposed_and_a_stale_or_closed_case_is_not(
    procesregisseur, professional, municipality
):
    new = triaged(make_case(professional, municipality, title="Vandaag aangenomen"), procesregisseur)
    stale = triaged(make_case(professional, municipality, title="Een jaar stil"), procesregisseur)
    Case.objects.filter(pk=stale.pk).update(status_changed_at=timezone.now() - datetime.timedelta(days=365))
    closed = triaged(make_case(professional, municipality, title="Afgesloten"), procesregisseur)
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.AFGESLOTEN)
    waiting = make_case(professional, municipality, title="Wacht op triage")

    meeting = plan_meeting(procesregisseur, code="mda", days=7)
    proposed = _proposed(procesregisseur, meeting)
    assert proposed == {new.pk: ["triaged"]}
    assert stale.pk not in proposed and closed.pk not in proposed and waiting.pk not in proposed
    reason = agenda_suggestions(viewer=procesregisseur, meeting=meeting)[0].reason
    assert "nieuw aangenomen op" in reason and "nog niet besproken" in reason


def test_a_case_already_on_an_agenda_is_not_proposed_as_new(procesregisseur, professional, municipality):
    case = triaged(make_case(professional, municipality), procesregisseur)
    plan_meeting(procesregisseur, days=3, cases=[case])
    assert case.pk not in _proposed(procesregisseur, plan_meeting(procesregisseur, code="mda", days=10))


def test_a_deferred_case_is_proposed_for_the_next_meeting_until_it_is_on_one(
    procesregisseur, professional, municipality
):
    case = triaged(make_case(professional, municipality), procesregisseur)
    first = plan_meeting(procesregisseur, days=2, cases=[case])
    services.agenda_defer(actor=procesregisseur, item=first.agenda_items.get(), reason="missing_info", note="Rapport")
    nxt = plan_meeting(procesregisseur, code="mda", days=9)
    assert "deferred" in _proposed(procesregisseur, nxt)[case.pk]
    services.agenda_add_case(actor=procesregisseur, meeting=nxt, case=case)
    assert case.pk not in _proposed(procesregisseur, plan_meeting(procesregisseur, code="mda", days=16))


def test_a_rappel_is_due_until_a_meeting_on_or_after_its_date_has_the_case(
    procesregisseur, professional, municipality, case
):
    case = triaged(case, procesregisseur)
    meeting, _ = held_meeting(procesregisseur, case)
    publish_plan(procesregisseur, case, meeting, owner=professional)
    far = timezone.localdate() + datetime.timedelta(days=200)
    Action.objects.filter(case=case).update(deadline=far)
    Plan.objects.filter(case=case).update(next_meeting_date=timezone.localdate() + datetime.timedelta(days=20))
    target = plan_meeting(procesregisseur, code="mda", days=21)
    assert _proposed(procesregisseur, target)[case.pk] == ["rappel"]
    # Put on a meeting on the rappel date: the rappel is honoured, a later meeting is not offered it.
    plan_meeting(procesregisseur, days=20, cases=[case])
    assert case.pk not in _proposed(procesregisseur, target)
    # A rappel long past (a stale plan) is no proposal either.
    Plan.objects.filter(case=case).update(next_meeting_date=timezone.localdate() - datetime.timedelta(days=300))
    assert case.pk not in _proposed(procesregisseur, target)


def test_proposals_come_most_urgent_first_then_by_due_date(procesregisseur, professional, municipality):
    older = triaged(make_case(professional, municipality, title="Normaal, eerder"), procesregisseur)
    Case.objects.filter(pk=older.pk).update(status_changed_at=timezone.now() - datetime.timedelta(days=10))
    newer = triaged(make_case(professional, municipality, title="Normaal, later"), procesregisseur)
    acute = triaged(make_case(professional, municipality, title="Acuut"), procesregisseur)
    Case.objects.filter(pk=acute.pk).update(urgency=Urgency.ACUUT)
    meeting = plan_meeting(procesregisseur, code="mda", days=7)
    order = [s.case.pk for s in agenda_suggestions(viewer=procesregisseur, meeting=meeting)]
    assert order == [acute.pk, older.pk, newer.pk]


def test_the_proposal_is_audited_as_a_read_of_the_cases_it_names(procesregisseur, professional, municipality):
    case = triaged(make_case(professional, municipality), procesregisseur)
    agenda_suggestions(viewer=procesregisseur, meeting=plan_meeting(procesregisseur, code="mda", days=7))
    assert AuditEvent.objects.filter(
        event_type=CoreEvent.CASE_LIST, case_id=case.pk, reason="list.agendavoorstel"
    ).exists()


# --- planned → open → held --------------------------------------------------------------------------------


@pytest.fixture
def opened(procesregisseur, professional, case):
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional)
    services.meeting_open(actor=procesregisseur, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


def test_opening_does_not_make_the_meeting_held_the_chair_closes_it(opened, procesregisseur, house):
    assert opened.status == MeetingStatus.OPEN and opened.held_at is None
    other_regisseur = make_user(house, Role.PROCESREGISSEUR, username="tweede")
    with pytest.raises(AccessDenied):
        services.meeting_close(actor=other_regisseur, meeting=opened, expected_version=opened.version)
    with pytest.raises(ConcurrentEdit):
        services.meeting_close(actor=procesregisseur, meeting=opened, expected_version=opened.version - 1)
    services.meeting_close(actor=procesregisseur, meeting=opened, expected_version=opened.version)
    opened.refresh_from_db()
    assert opened.status == MeetingStatus.HELD and opened.held_by == procesregisseur and opened.held_at
    assert AuditEvent.objects.filter(event_type=MeetingEvent.MEETING_CLOSE, actor=procesregisseur).count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.meeting_close(actor=procesregisseur, meeting=opened, expected_version=opened.version)


def test_a_planned_meeting_cannot_be_closed(procesregisseur, case):
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    with pytest.raises(TransitionNotAllowed):
        services.meeting_close(actor=procesregisseur, meeting=meeting, expected_version=meeting.version)


def test_verslag_and_guide_work_in_an_open_and_a_held_meeting(opened, procesregisseur):
    item = opened.agenda_items.get()
    services.discussion_start(actor=procesregisseur, agenda_item=item)
    services.verslag_generate(actor=procesregisseur, meeting=opened)
    services.meeting_close(actor=procesregisseur, meeting=opened, expected_version=opened.version)
    verslag = services.verslag_generate(actor=procesregisseur, meeting=opened)
    services.verslag_approve(actor=procesregisseur, verslag=verslag)
    opened.refresh_from_db()
    assert opened.status == MeetingStatus.CLOSED


def test_approving_the_verslag_of_an_open_meeting_records_it_as_held_by_the_chair(opened, procesregisseur):
    verslag = services.verslag_generate(actor=procesregisseur, meeting=opened)
    services.verslag_approve(actor=procesregisseur, verslag=verslag)
    opened.refresh_from_db()
    assert opened.status == MeetingStatus.CLOSED and opened.held_by == procesregisseur
    assert AuditEvent.objects.filter(event_type=MeetingEvent.MEETING_CLOSE).exists()


# --- attendance in one write ------------------------------------------------------------------------------


def _all(meeting) -> dict[int, str]:
    return dict(Invitation.objects.filter(meeting=meeting, invited=True).values_list("pk", "attendance"))


def test_attendance_of_all_invitees_is_saved_in_one_write(opened, procesregisseur):
    ids = list(_all(opened))
    assert len(ids) >= 2  # the professional and the client of the case
    rows = [services.AttendanceRow(i, Attendance.PRESENT) for i in ids]
    services.attendance_save(
        actor=procesregisseur, meeting=opened, rows=rows, visible_ids=set(ids), expected_version=opened.version
    )
    assert set(_all(opened).values()) == {Attendance.PRESENT}
    assert AuditEvent.objects.filter(event_type=MeetingEvent.ATTENDANCE_RECORD).count() == len(ids)


def test_one_wrong_row_names_its_field_and_saves_nothing(opened, procesregisseur):
    good, bad = list(_all(opened))[:2]
    rows = [services.AttendanceRow(good, Attendance.PRESENT), services.AttendanceRow(bad, "misschien")]
    with pytest.raises(ValidationFailed) as exc:
        services.attendance_save(
            actor=procesregisseur, meeting=opened, rows=rows, visible_ids={good, bad}, expected_version=opened.version
        )
    assert set(exc.value.field_errors) == {f"attendance-{bad}"}
    assert set(_all(opened).values()) == {Attendance.UNKNOWN}


def test_an_invitation_outside_the_sheet_is_refused_like_an_unknown_one(opened, procesregisseur):
    ids = list(_all(opened))
    with pytest.raises(ValidationFailed) as exc:
        services.attendance_save(
            actor=procesregisseur,
            meeting=opened,
            rows=[services.AttendanceRow(ids[0], Attendance.PRESENT)],
            visible_ids=set(ids[1:]),
            expected_version=opened.version,
        )
    assert f"attendance-{ids[0]}" in exc.value.field_errors


def test_two_people_saving_the_sheet_the_second_is_told(opened, procesregisseur):
    ids = list(_all(opened))
    loaded = opened.version
    row = [services.AttendanceRow(ids[0], Attendance.PRESENT)]
    services.attendance_save(
        actor=procesregisseur, meeting=opened, rows=row, visible_ids=set(ids), expected_version=loaded
    )
    stale = Meeting.objects.get(pk=opened.pk)
    with pytest.raises(ConcurrentEdit):
        services.attendance_save(
            actor=procesregisseur,
            meeting=stale,
            rows=[services.AttendanceRow(ids[0], Attendance.ABSENT)],
            visible_ids=set(ids),
            expected_version=loaded,
        )


def test_attendance_waits_for_the_opening(procesregisseur, case):
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    with pytest.raises(TransitionNotAllowed):
        services.attendance_save(
            actor=procesregisseur, meeting=meeting, rows=[], visible_ids=set(), expected_version=meeting.version
        )


# --- the page ---------------------------------------------------------------------------------------------


def test_attendance_sheet_page_saves_all_rows_and_keeps_choices_on_an_error(opened, procesregisseur):
    client = Client()
    client.force_login(procesregisseur)
    page = client.get(f"/overleggen/{opened.pk}/")
    assert 'id="aanwezigheid-form"' in page.content.decode()
    ids = list(_all(opened))
    data = {f"attendance-{i}": Attendance.PRESENT for i in ids} | {"version": opened.version}
    data[f"attendance-{ids[-1]}"] = "misschien"
    r = client.post(f"/overleggen/{opened.pk}/aanwezigheid/", data)
    assert r.status_code == 422
    html = r.content.decode()
    assert "Kies aanwezig, afwezig of afgemeld." in html and f'id="attendance-{ids[-1]}_error"' in html
    assert html.count('value="present" selected') == len(ids) - 1  # what was chosen is shown again
    data[f"attendance-{ids[-1]}"] = Attendance.EXCUSED
    r = client.post(f"/overleggen/{opened.pk}/aanwezigheid/", data)
    assert r.status_code == 302
    assert sorted(_all(opened).values()) == sorted([Attendance.PRESENT] * (len(ids) - 1) + [Attendance.EXCUSED])


def test_close_page_asks_for_a_confirmation(opened, procesregisseur):
    client = Client()
    client.force_login(procesregisseur)
    r = client.post(f"/overleggen/{opened.pk}/sluiten/", {"version": opened.version})
    assert r.status_code == 422 and "Bevestig dat u het overleg sluit." in r.content.decode()
    opened.refresh_from_db()
    assert opened.status == MeetingStatus.OPEN
    r = client.post(f"/overleggen/{opened.pk}/sluiten/", {"version": opened.version, "confirm": "on"})
    assert r.status_code == 302
    opened.refresh_from_db()
    assert opened.status == MeetingStatus.HELD


def test_outsider_gets_404_on_the_new_pages(opened, outsider):
    client = Client()
    client.force_login(outsider)
    assert client.post(f"/overleggen/{opened.pk}/sluiten/", {"confirm": "on"}).status_code == 404
    assert client.post(f"/overleggen/{opened.pk}/aanwezigheid/", {}).status_code == 404


# --- the API ----------------------------------------------------------------------------------------------


def test_api_runs_the_meeting_open_attendance_close(procesregisseur, professional, municipality, case):
    api = ApiClient(Client(), {"Authorization": f"Bearer {make_key(procesregisseur)}"})
    new = triaged(make_case(professional, municipality, title="Nieuw"), procesregisseur)
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    r = api.get(f"/meetings/{meeting.pk}/agenda-proposals")
    assert r.status_code == 200 and [(p["case_id"], p["reasons"]) for p in r.json()] == [(new.pk, ["triaged"])]

    r = api.post(f"/meetings/{meeting.pk}/open", {})
    assert r.status_code == 200 and r.json()["status"] == "open"
    version = r.json()["version"]
    ids = list(_all(meeting))
    r = api.post(
        f"/meetings/{meeting.pk}/attendance",
        {"version": version, "rows": [{"invitation_id": i, "attendance": "present"} for i in ids]},
    )
    assert r.status_code == 200, r.content
    assert sorted(r.json()["changed"]) == sorted(ids)
    r = api.post(f"/meetings/{meeting.pk}/close", {"version": version})
    assert r.status_code == 409  # the attendance changed the meeting since
    r = api.post(f"/meetings/{meeting.pk}/close", {"version": version + 1})
    assert r.status_code == 200 and r.json()["status"] == "held" and r.json()["held_at"]


def test_api_attendance_error_names_the_row(opened, procesregisseur, outsider):
    api = ApiClient(Client(), {"Authorization": f"Bearer {make_key(procesregisseur)}"})
    r = api.post(
        f"/meetings/{opened.pk}/attendance",
        {"version": opened.version, "rows": [{"invitation_id": 999999, "attendance": "present"}]},
    )
    assert r.status_code == 400
    assert "attendance-999999" in r.content.decode()
    stranger = ApiClient(Client(), {"Authorization": f"Bearer {make_key(outsider)}"})
    assert stranger.post(f"/meetings/{opened.pk}/close", {"version": opened.version}).status_code == 404
    assert stranger.get(f"/meetings/{opened.pk}/agenda-proposals").status_code == 404
