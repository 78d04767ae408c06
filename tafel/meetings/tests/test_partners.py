"""Issue 11: partners are told (in-app notifications, the digest) and can answer (accept, decline, substitute);
"Mijn werk" gathers invitations, actions and awaited updates; four-eyes actions need both confirmations."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tafel.api.tests.conftest import make_key
from tafel.core.errors import AccessDenied, NotFound, TransitionNotAllowed, ValidationFailed
from tafel.core.models import AuditEvent
from tafel.lifecycle.models import Notification, NotificationKind
from tafel.meetings import mywork, services
from tafel.meetings.audit_events import MeetingEvent
from tafel.meetings.models import Action, ActionStatus, ActionType, Attendance, Invitation, InvitationResponse
from tafel.meetings.services import partners
from tafel.organisations.models import Role
from tafel.testing import make_user

from .factories import held_meeting, join_case, plan_meeting, publish_plan, triaged


@pytest.fixture
def active_case(case, procesregisseur):
    return triaged(case, procesregisseur)


@pytest.fixture
def invited(procesregisseur, professional, active_case):
    meeting = plan_meeting(procesregisseur, code="com", cases=[active_case])
    services.invitation_add(actor=procesregisseur, meeting=meeting, user=professional)
    services.meeting_send_invitations(actor=procesregisseur, meeting=meeting)
    return meeting, Invitation.objects.get(meeting=meeting, user=professional)


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_sending_invitations_tells_each_invitee(invited, professional):
    meeting, _ = invited
    note = Notification.objects.get(user=professional, kind=NotificationKind.INVITATION)
    assert meeting.overleg_type.name in note.text and note.url == reverse("meetings:my_work")


def test_invitee_accepts_declines_with_reason_and_the_chair_is_told(invited, professional, procesregisseur):
    _, invitation = invited
    partners.invitation_respond(actor=professional, invitation=invitation, response=InvitationResponse.ACCEPTED)
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.ACCEPTED
    with pytest.raises(ValidationFailed) as exc:
        partners.invitation_respond(actor=professional, invitation=invitation, response=InvitationResponse.DECLINED)
    assert "reason" in exc.value.field_errors
    partners.invitation_respond(
        actor=professional, invitation=invitation, response=InvitationResponse.DECLINED, reason="Verlof."
    )
    invitation.refresh_from_db()
    assert (invitation.response, invitation.attendance) == (InvitationResponse.DECLINED, Attendance.EXCUSED)
    assert NotificationKind.INVITATION_REPLY in _kinds(procesregisseur)
    assert AuditEvent.objects.filter(event_type=MeetingEvent.INVITATION_RESPOND).count() == 2


def test_invitee_names_a_colleague_who_is_invited_and_told(invited, professional, procesregisseur, outsider):
    meeting, invitation = invited
    colleague = make_user(professional.organisation, Role.PROFESSIONAL, username="collega")
    with pytest.raises(ValidationFailed) as exc:
        partners.invitation_respond(
            actor=professional,
            invitation=invitation,
            response=InvitationResponse.SUBSTITUTED,
            substitute_id=outsider.pk,
        )
    assert "substitute" in exc.value.field_errors
    partners.invitation_respond(
        actor=professional, invitation=invitation, response=InvitationResponse.SUBSTITUTED, substitute_id=colleague.pk
    )
    substitute = Invitation.objects.get(meeting=meeting, user=colleague)
    assert substitute.substitute_for_id == professional.pk
    assert NotificationKind.INVITATION in _kinds(colleague)
    assert NotificationKind.INVITATION_REPLY in _kinds(procesregisseur)


def test_only_the_invitee_answers_and_only_before_the_meeting(invited, professional, procesregisseur, outsider):
    meeting, invitation = invited
    with pytest.raises(NotFound):
        partners.invitation_get_for_invitee(user=outsider, invitation_id=invitation.pk)
    with pytest.raises(AccessDenied):
        partners.invitation_respond(actor=outsider, invitation=invitation, response=InvitationResponse.ACCEPTED)
    services.meeting_open(actor=procesregisseur, meeting=meeting)
    invitation.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        partners.invitation_respond(
            actor=professional,
            invitation=Invitation.objects.select_related("meeting").get(pk=invitation.pk),
            response=InvitationResponse.ACCEPTED,
        )


def test_publishing_tells_casusregisseur_action_owners_and_invitees(procesregisseur, professional, active_case):
    meeting, _ = held_meeting(procesregisseur, active_case, invite=[professional])
    publish_plan(procesregisseur, active_case, meeting, owner=professional)
    kinds = _kinds(professional)
    assert NotificationKind.CASUSREGISSEUR in kinds
    assert NotificationKind.ACTION_ASSIGNED in kinds
    assert NotificationKind.PLAN_PUBLISHED in kinds


def test_verslag_approval_tells_the_participants(procesregisseur, professional, active_case):
    meeting, _ = held_meeting(procesregisseur, active_case, invite=[professional])
    verslag = services.verslag_generate(actor=procesregisseur, meeting=meeting)
    services.verslag_approve(actor=procesregisseur, verslag=verslag)
    assert NotificationKind.VERSLAG in _kinds(professional)


def _four_eyes_action(procesregisseur, professional, active_case, colleague) -> Action:
    meeting, _ = held_meeting(procesregisseur, active_case, invite=[professional])
    plan = services.plan_start(actor=procesregisseur, case=active_case, meeting=meeting)
    services.plan_action_add(
        actor=procesregisseur,
        plan=plan,
        data=services.ActionInput(
            what="Samen huisbezoek afleggen",
            type=ActionType.TOWARDS_FAMILY,
            owner=professional.pk,
            co_owner=colleague.pk,
            rationale="Vier ogen bij dreiging.",
        ),
    )
    services.plan_publish(actor=procesregisseur, plan=plan, quality_reason="Alleen het huisbezoek is nu afgesproken.")
    return Action.objects.select_related("plan").get(what="Samen huisbezoek afleggen")


def test_four_eyes_action_is_done_only_when_both_owners_confirm(procesregisseur, professional, active_case, ggz):
    join_case(active_case, ggz, procesregisseur)
    colleague = make_user(ggz, Role.PROFESSIONAL, username="vt")
    action = _four_eyes_action(procesregisseur, professional, active_case, colleague)
    assert NotificationKind.ACTION_ASSIGNED in _kinds(colleague)
    services.action_update(actor=professional, action=action, status=ActionStatus.GEDAAN, outcome_note="Bezocht.")
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.owner_confirmed_at and not action.co_owner_confirmed_at
    services.action_update(actor=colleague, action=action, status=ActionStatus.GEDAAN, outcome_note="Bevestigd.")
    action.refresh_from_db()
    assert action.status == ActionStatus.GEDAAN and action.done_at is not None
    outsider = make_user(ggz, Role.PROFESSIONAL, username="derde")
    with pytest.raises(AccessDenied):
        services.action_update(actor=outsider, action=action, status=ActionStatus.OPEN)


def test_second_owner_must_take_part_and_differ_from_the_first(procesregisseur, professional, active_case, outsider):
    meeting, _ = held_meeting(procesregisseur, active_case, invite=[professional])
    plan = services.plan_start(actor=procesregisseur, case=active_case, meeting=meeting)
    for co_owner in (outsider, professional):
        with pytest.raises(ValidationFailed) as exc:
            services.plan_action_add(
                actor=procesregisseur,
                plan=plan,
                data=services.ActionInput(
                    what="x", type=ActionType.TOWARDS_FAMILY, owner=professional.pk, co_owner=co_owner.pk
                ),
            )
        assert "co_owner" in exc.value.field_errors


def test_my_work_lists_invitations_actions_and_awaited_updates(invited, procesregisseur, professional, active_case):
    meeting, invitation = invited
    work = mywork.my_work(viewer=professional)
    assert [i.pk for i in work.invitations] == [invitation.pk]
    assert [i.case_id for i in work.awaiting_update] == [active_case.pk]
    # Reading one's work is a read of the cases it lists.
    assert AuditEvent.objects.filter(
        actor=professional, event_type=MeetingEvent.PLAN_VIEW, case_id=active_case.pk
    ).exists()
    services.pre_meeting_update_submit(
        actor=professional, agenda_item=meeting.agenda_items.get(), current_situation="Rustig."
    )
    assert mywork.my_work(viewer=professional).awaiting_update == []


def test_my_work_page_answer_and_action_update_in_place(client, invited, professional, procesregisseur, active_case):
    meeting, invitation = invited
    client.force_login(professional)
    page = client.get(reverse("meetings:my_work"))
    assert page.status_code == 200 and "Mijn uitnodigingen" in page.content.decode()
    url = reverse("meetings:invitation_respond", args=[invitation.pk])
    refused = client.post(url, {f"i{invitation.pk}-response": "declined", f"i{invitation.pk}-reason": ""})
    assert refused.status_code == 422 and "Laat weten waarom u niet komt." in refused.content.decode()
    ok = client.post(url, {f"i{invitation.pk}-response": "accepted"})
    assert ok.status_code == 302
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.ACCEPTED


def test_my_work_api(invited, professional, outsider):
    meeting, invitation = invited
    headers = {"Authorization": f"Bearer {make_key(professional)}"}
    api = Client()
    body = api.get("/api/v1/my-work", headers=headers).json()
    assert [i["id"] for i in body["invitations"]] == [invitation.pk]
    assert body["awaiting_update"][0]["case_reference"]
    r = api.post(
        f"/api/v1/my-work/invitations/{invitation.pk}/response",
        json.dumps({"response": "declined", "reason": "Ziek."}),
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 200 and r.json()["response"] == "declined"
    other = {"Authorization": f"Bearer {make_key(outsider)}"}
    r = api.post(
        f"/api/v1/my-work/invitations/{invitation.pk}/response",
        json.dumps({"response": "accepted"}),
        content_type="application/json",
        headers=other,
    )
    assert r.status_code == 404


def test_owners_are_told_shortly_before_the_deadline_once(procesregisseur, professional, active_case):
    import datetime

    import time_machine
    from django.utils import timezone

    from tafel.lifecycle.services import tick

    meeting, _ = held_meeting(procesregisseur, active_case, invite=[professional])
    publish_plan(procesregisseur, active_case, meeting, owner=professional)  # deadline in 14 days
    with time_machine.travel(timezone.now() + datetime.timedelta(days=13), tick=False):
        first = tick()
        second = tick()
    assert first.counts.get("actions_due_soon") == 1 and not second.counts.get("actions_due_soon")
    note = Notification.objects.get(user=professional, kind=NotificationKind.ACTION_DUE)
    assert note.url == reverse("meetings:my_work")
