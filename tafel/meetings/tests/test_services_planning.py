import datetime

import pytest
from django.core import mail
from django.utils import timezone

from tafel.cases.models import PersonRole
from tafel.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.meetings import services
from tafel.meetings.audit_events import MeetingEvent
from tafel.meetings.models import (
    AgendaKind,
    Attendance,
    AttendMode,
    DeferReason,
    Invitation,
    MeetingStatus,
    OverlegType,
    SafetyMarker,
    SessionPart,
)
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import make_case, make_user

from .factories import family_case, join_case, om_user, overleg_type, plan_meeting, publish_plan, triaged


@pytest.fixture
def stalking_case(professional, municipality, procesregisseur):
    case = family_case(professional, municipality, procesregisseur)
    services.safety_marker_set(
        actor=procesregisseur,
        case=case,
        marker=SafetyMarker.STALKING,
        reason="Ex-partner stalkt na scheiding.",
        person_ids=[_person(case, PersonRole.PLEGER), _person(case, PersonRole.SLACHTOFFER)],
    )
    return case


def _person(case, role):
    return case.case_persons.get(role=role).person_id


def test_the_seven_overleg_types_ship_with_defaults(db):
    codes = set(OverlegType.objects.values_list("code", flat=True))
    assert codes == {"triage", "com", "mda", "actieoverleg", "justitieel", "virtueel", "casusevaluatie"}
    com = OverlegType.objects.get(code="com")
    assert com.clients_invited_by_default and com.split_om_part and com.max_at_table == 8
    assert "{naam}" in com.invitation_text


def test_only_the_house_plans_a_meeting(professional):
    with pytest.raises(AccessDenied):
        services.meeting_plan(
            actor=professional,
            overleg_type=overleg_type("com"),
            starts_at=timezone.now() + datetime.timedelta(days=7),
            place="Zaal 1",
        )


def test_meeting_needs_a_place_or_a_video_link(procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        services.meeting_plan(
            actor=procesregisseur,
            overleg_type=overleg_type("com"),
            starts_at=timezone.now() + datetime.timedelta(days=7),
        )
    assert "place" in exc.value.field_errors


# --- the stalking rule (SPEC §4.5) -------------------------------------------------------------------------


def test_planner_refuses_pleger_and_slachtoffer_in_one_session_for_stalking_case(procesregisseur, stalking_case):
    meeting = plan_meeting(procesregisseur, code="mda", cases=[stalking_case])
    item = meeting.agenda_items.get()
    victim = _person(stalking_case, PersonRole.SLACHTOFFER)
    perpetrator = _person(stalking_case, PersonRole.PLEGER)
    parts = dict(Invitation.objects.filter(agenda_item=item, is_client=True).values_list("person_id", "session_part"))
    # Inviting both by default put them in different sessions.
    assert parts[perpetrator] != parts[victim]

    with pytest.raises(ValidationFailed) as exc:
        services.client_invite(
            actor=procesregisseur, agenda_item=item, person_id=victim, session_part=parts[perpetrator]
        )
    assert "nooit in dezelfde sessie" in exc.value.message
    # Nothing changed.
    assert Invitation.objects.get(agenda_item=item, person_id=victim).session_part == parts[victim]


def test_without_the_marker_pleger_and_slachtoffer_may_share_a_session(professional, municipality, procesregisseur):
    case = family_case(professional, municipality, procesregisseur)
    meeting = plan_meeting(procesregisseur, code="mda", cases=[case])
    item = meeting.agenda_items.get()
    parts = set(Invitation.objects.filter(agenda_item=item, is_client=True).values_list("session_part", flat=True))
    assert parts == {SessionPart.CLIENTS}


def test_marking_stalking_is_refused_while_both_sit_in_one_session(professional, municipality, procesregisseur):
    case = family_case(professional, municipality, procesregisseur)
    plan_meeting(procesregisseur, code="mda", cases=[case])
    with pytest.raises(ValidationFailed) as exc:
        services.safety_marker_set(
            actor=procesregisseur,
            case=case,
            marker=SafetyMarker.INTIMATE_TERRORISM,
            reason="Dwingende controle.",
            person_ids=[_person(case, PersonRole.PLEGER), _person(case, PersonRole.SLACHTOFFER)],
        )
    assert "dezelfde sessie" in exc.value.message


def test_marker_names_at_least_two_persons_of_the_case(professional, municipality, procesregisseur):
    case = family_case(professional, municipality, procesregisseur)
    other = make_case(professional, municipality)
    for person_ids in (
        [],
        [_person(case, PersonRole.PLEGER)],
        [_person(case, PersonRole.PLEGER), _person(other, PersonRole.PLEGER)],
    ):
        with pytest.raises(ValidationFailed) as exc:
            services.safety_marker_set(
                actor=procesregisseur,
                case=case,
                marker=SafetyMarker.STALKING,
                reason="Stalking.",
                person_ids=person_ids,
            )
        assert "persons" in exc.value.field_errors


def test_marker_protects_persons_whatever_their_roles(professional, municipality, procesregisseur):
    """Issue 11: a stalking case where neither party has the role pleger or slachtoffer (both betrokkene, as
    in the first melding of a ZSM case): the named persons still never share a session."""
    case = family_case(professional, municipality, procesregisseur)
    ex = _person(case, PersonRole.PLEGER)
    victim = _person(case, PersonRole.SLACHTOFFER)
    case.case_persons.filter(person_id__in=[ex, victim]).update(role=PersonRole.BETROKKENE)
    services.safety_marker_set(
        actor=procesregisseur, case=case, marker=SafetyMarker.STALKING, reason="Stalking.", person_ids=[ex, victim]
    )
    meeting = plan_meeting(procesregisseur, code="mda", cases=[case])
    item = meeting.agenda_items.get()
    parts = dict(Invitation.objects.filter(agenda_item=item, is_client=True).values_list("person_id", "session_part"))
    assert parts[ex] != parts[victim]
    with pytest.raises(ValidationFailed) as exc:
        services.client_invite(actor=procesregisseur, agenda_item=item, person_id=ex, session_part=parts[victim])
    assert "nooit in dezelfde sessie" in exc.value.message


# --- the OM split ------------------------------------------------------------------------------------------


def test_om_takes_part_without_clients_and_clients_without_om(procesregisseur, case):
    case = triaged(case, procesregisseur)
    officier = om_user(case, procesregisseur)
    meeting = plan_meeting(procesregisseur, code="com", cases=[case])
    item = meeting.agenda_items.get()
    client = Invitation.objects.get(agenda_item=item, is_client=True)
    assert client.session_part == SessionPart.CLIENTS
    assert not item.split_session

    result = services.invitation_add(actor=procesregisseur, meeting=meeting, user=officier)

    item.refresh_from_db()
    assert item.split_session
    assert result.invitation.session_part == SessionPart.PROFESSIONALS
    client.refresh_from_db()
    assert client.session_part == SessionPart.CLIENTS
    # The OM is never in a client part, and no client in the OM part.
    om_parts = set(
        Invitation.objects.filter(meeting=meeting, organisation__type="om").values_list("session_part", flat=True)
    )
    client_parts = set(
        Invitation.objects.filter(meeting=meeting, is_client=True).values_list("session_part", flat=True)
    )
    assert om_parts == {SessionPart.PROFESSIONALS}
    assert not client_parts & om_parts


def test_without_clients_the_om_attends_the_whole_discussion(procesregisseur, case):
    case = triaged(case, procesregisseur)
    officier = om_user(case, procesregisseur)
    meeting = plan_meeting(procesregisseur, code="justitieel", cases=[case])
    result = services.invitation_add(actor=procesregisseur, meeting=meeting, user=officier)
    assert result.invitation.session_part == SessionPart.ALL
    assert not meeting.agenda_items.get().split_session


def test_type_without_split_refuses_om_and_client_on_the_same_case(procesregisseur, case):
    case = triaged(case, procesregisseur)
    officier = om_user(case, procesregisseur)
    meeting = plan_meeting(procesregisseur, code="actieoverleg", cases=[case])
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=officier)
    with pytest.raises(ValidationFailed):
        services.client_invite(
            actor=procesregisseur, agenda_item=meeting.agenda_items.get(), person_id=_person(case, PersonRole.PLEGER)
        )


# --- invitations -------------------------------------------------------------------------------------------


def test_invitations_go_only_to_people_of_organisations_in_the_case(procesregisseur, professional, outsider, case):
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    with pytest.raises(ValidationFailed) as exc:
        services.invitation_add(actor=procesregisseur, meeting=meeting, user=outsider)
    assert "user" in exc.value.field_errors
    assert not Invitation.objects.filter(meeting=meeting, user=outsider).exists()

    services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional)
    assert Invitation.objects.filter(
        meeting=meeting, user=professional, organisation=professional.organisation
    ).exists()


def test_invitation_for_one_case_needs_that_case(procesregisseur, professional, outsider, ggz, case, municipality):
    other = triaged(make_case(outsider, municipality), procesregisseur)  # a GGZ case
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur), other])
    police_item = meeting.agenda_items.get(case=case)
    ggz_item = meeting.agenda_items.get(case=other)
    # The GGZ professional may come for the GGZ case, not for the police case.
    with pytest.raises(ValidationFailed):
        services.invitation_add(actor=procesregisseur, meeting=meeting, user=outsider, agenda_item=police_item)
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=outsider, agenda_item=ggz_item)


def test_people_who_know_the_client_are_proposed_first(procesregisseur, professional, police, case):
    stranger = make_user(police, Role.PROFESSIONAL, username="collega", first_name="Aad")
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    from tafel.meetings.selectors import invitation_proposals

    proposals = invitation_proposals(meeting=meeting)
    names = [p.user.pk for p in proposals]
    assert names.index(professional.pk) < names.index(stranger.pk)
    first = next(p for p in proposals if p.user == professional)
    assert first.knows_client and "meldde de casus aan" in first.reason


def test_more_people_than_the_cap_gives_a_warning(procesregisseur, police, case):
    meeting = plan_meeting(procesregisseur, code="actieoverleg", cases=[triaged(case, procesregisseur)])
    result = None
    for i in range(9):
        user = make_user(police, Role.PROFESSIONAL, username=f"agent{i}")
        result = services.invitation_add(actor=procesregisseur, meeting=meeting, user=user)
        if i < 7:
            assert result.warnings == []
    assert result.warnings and "maximum 8" in result.warnings[0]


def test_substitute_is_recorded_and_the_original_excused(procesregisseur, professional, police, case):
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional)
    colleague = make_user(police, Role.PROFESSIONAL, username="vervanger")
    result = services.invitation_add(
        actor=procesregisseur, meeting=meeting, user=colleague, substitute_for=professional.pk
    )
    assert result.invitation.substitute_for == professional
    assert Invitation.objects.get(meeting=meeting, user=professional).attendance == Attendance.EXCUSED


def test_client_not_invited_needs_a_reason_and_online_needs_a_professional(procesregisseur, case):
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    item = meeting.agenda_items.get()
    person = _person(case, PersonRole.PLEGER)
    with pytest.raises(ValidationFailed) as exc:
        services.client_invite(actor=procesregisseur, agenda_item=item, person_id=person, invited=False)
    assert "not_invited_reason" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        services.client_invite(actor=procesregisseur, agenda_item=item, person_id=person, attend_mode=AttendMode.ONLINE)
    assert "accompanied_by" in exc.value.field_errors

    result = services.client_invite(
        actor=procesregisseur,
        agenda_item=item,
        person_id=person,
        invited=False,
        not_invited_reason="Acute psychose; wensen opgehaald in voorbereidend gesprek.",
    )
    assert not result.invitation.invited
    assert AuditEvent.objects.filter(event_type=MeetingEvent.CLIENT_INVITE, person_id=person).exists()


def test_client_must_be_a_person_of_the_case(procesregisseur, case, municipality, outsider):
    other = make_case(outsider, municipality)
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    with pytest.raises(ValidationFailed):
        services.client_invite(
            actor=procesregisseur,
            agenda_item=meeting.agenda_items.get(),
            person_id=other.case_persons.get().person_id,
        )


# --- agenda ------------------------------------------------------------------------------------------------


def test_agenda_puts_new_cases_first_then_follow_up(procesregisseur, professional, municipality, case):
    follow_up = triaged(case, procesregisseur)
    first = plan_meeting(procesregisseur, cases=[follow_up], days=1)
    publish_plan(procesregisseur, follow_up, first, owner=professional)
    new = triaged(make_case(professional, municipality, title="Nieuw gezin"), procesregisseur)

    meeting = plan_meeting(procesregisseur, code="mda", cases=[follow_up, new], days=20)
    items = list(meeting.agenda_items.order_by("order"))
    assert [(i.case_id, i.kind) for i in items] == [(new.pk, AgendaKind.NEW), (follow_up.pk, AgendaKind.FOLLOW_UP)]


def test_deferring_records_why(procesregisseur, case):
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    item = meeting.agenda_items.get()
    with pytest.raises(ValidationFailed):
        services.agenda_defer(actor=procesregisseur, item=item, reason="weet niet")
    services.agenda_defer(actor=procesregisseur, item=item, reason=DeferReason.MISSING_PERSON)
    item.refresh_from_db()
    assert item.deferred and item.defer_reason == DeferReason.MISSING_PERSON
    event = AuditEvent.objects.get(event_type=MeetingEvent.AGENDA_DEFER)
    assert event.case_id == case.pk and event.reason == "defer.missing_person"


def test_closed_case_is_refused_except_in_a_casusevaluatie(procesregisseur, case):
    from tafel.cases.services import case_transition

    case = triaged(case, procesregisseur)
    case_transition(actor=procesregisseur, case=case, to_status="afgesloten", reason="Doelen bereikt.")
    meeting = plan_meeting(procesregisseur)
    with pytest.raises(TransitionNotAllowed):
        services.agenda_add_case(actor=procesregisseur, meeting=meeting, case=case)
    evaluation = plan_meeting(procesregisseur, code="casusevaluatie")
    services.agenda_add_case(actor=procesregisseur, meeting=evaluation, case=case)


# --- e-mail ------------------------------------------------------------------------------------------------


def test_invitations_are_mailed_after_commit_by_name_with_only_visible_cases(
    procesregisseur, professional, outsider, municipality, case, django_capture_on_commit_callbacks
):
    police_case = triaged(case, procesregisseur)
    ggz_case = triaged(make_case(outsider, municipality), procesregisseur)
    meeting = plan_meeting(procesregisseur, code="mda", cases=[police_case, ggz_case])
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = services.meeting_send_invitations(
            actor=procesregisseur, meeting=meeting, text="Beste {naam}, graag tot {datum}.\n{agenda}"
        )
    assert result.sent == 1
    assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.startswith(f"Beste {professional.get_full_name()}")
    assert police_case.reference in body
    assert ggz_case.reference not in body
    meeting.refresh_from_db()
    assert meeting.invitation_text.startswith("Beste {naam}")
    assert Invitation.objects.get(meeting=meeting, user=professional).email_sent_at is not None


def test_placeholders_are_replaced_not_evaluated():
    text = services.render_invitation_text("Hallo {naam} {naam.__class__} {0}", {"naam": "Els"})
    assert text == "Hallo Els {naam.__class__} {0}"


# --- the meeting itself ------------------------------------------------------------------------------------


def test_chair_opens_with_privacy_reminder_and_records_attendance(procesregisseur, professional, case):
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    invitation = services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional).invitation
    with pytest.raises(AccessDenied):
        services.meeting_open(actor=professional, meeting=meeting)
    services.meeting_open(actor=procesregisseur, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.OPEN  # opened, not yet "gehouden" (issue 12)
    assert meeting.privacy_reminder_given and "convenant" in meeting.privacy_reminder_text
    services.attendance_record(actor=procesregisseur, invitation=invitation, attendance=Attendance.PRESENT)
    invitation.refresh_from_db()
    assert invitation.attendance == Attendance.PRESENT


def test_non_house_organisation_user_cannot_join_by_being_in_house_type(db, procesregisseur, case):
    """A user without a content role (an analyst) is never invited, even from the house."""
    house = procesregisseur.organisation
    assert house.type == OrganisationType.ZVH
    analyst = make_user(house, Role.ANALIST, username="stuur")
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    with pytest.raises(ValidationFailed):
        services.invitation_add(actor=procesregisseur, meeting=meeting, user=analyst)


def test_organisation_that_joins_the_case_can_then_be_invited(procesregisseur, outsider, ggz, case):
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    with pytest.raises(ValidationFailed):
        services.invitation_add(actor=procesregisseur, meeting=meeting, user=outsider)
    join_case(case, ggz, procesregisseur)
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=outsider)


def test_agenda_suggests_cases_whose_rappel_date_is_due_or_whose_actions_are_overdue(
    procesregisseur, professional, municipality, case
):
    from tafel.meetings.models import Action, Plan
    from tafel.meetings.selectors import agenda_suggestions

    due = triaged(case, procesregisseur)
    overdue = triaged(make_case(professional, municipality, title="Over tijd"), procesregisseur)
    quiet = triaged(make_case(professional, municipality, title="Rustig"), procesregisseur)
    for c in (due, overdue, quiet):
        first = plan_meeting(procesregisseur, cases=[c], days=1)
        publish_plan(procesregisseur, c, first, owner=professional)
    far = timezone.localdate() + datetime.timedelta(days=90)
    Plan.objects.filter(case__in=[overdue, quiet]).update(next_meeting_date=far)
    Plan.objects.filter(case=due).update(next_meeting_date=timezone.localdate() + datetime.timedelta(days=20))
    Action.objects.filter(case__in=[due, quiet]).update(deadline=far)
    # Still open at the meeting date: over the term by the time the meeting is held.
    Action.objects.filter(case=overdue).update(deadline=timezone.localdate() + datetime.timedelta(days=3))

    meeting = plan_meeting(procesregisseur, code="mda", days=21)
    suggestions = {s.case.pk: s.reason for s in agenda_suggestions(viewer=procesregisseur, meeting=meeting)}
    assert set(suggestions) == {due.pk, overdue.pk}
    assert "volgend overleg" in suggestions[due.pk]
    assert "over de termijn" in suggestions[overdue.pk]


def test_preparation_talk_records_the_clients_wishes(procesregisseur, professional, case):
    meeting = plan_meeting(procesregisseur, cases=[triaged(case, procesregisseur)])
    invitation = Invitation.objects.get(meeting=meeting, is_client=True)
    assert invitation.preparation_by == procesregisseur
    with pytest.raises(AccessDenied):
        services.client_task_done(actor=professional, invitation=invitation, task="preparation")
    services.client_task_done(
        actor=procesregisseur, invitation=invitation, task="preparation", wishes="Wil niet naast zijn ex zitten."
    )
    invitation.refresh_from_db()
    assert invitation.preparation_done and invitation.client_wishes == "Wil niet naast zijn ex zitten."


def test_video_link_must_be_a_web_link(procesregisseur):
    with pytest.raises(ValidationFailed) as exc:
        services.meeting_plan(
            actor=procesregisseur,
            overleg_type=overleg_type("com"),
            starts_at=timezone.now() + datetime.timedelta(days=7),
            video_link="javascript:alert(1)",
        )
    assert "video_link" in exc.value.field_errors
