"""Partners are told and can answer (issue 11).

In-app notifications (the `tick` digest mails what is unread) when someone is invited, given an action or
appointed casusregisseur, when a plan is published and when a verslag is sent; and the invitee's own answer:
accept, decline with a reason, or send a colleague in their place. Notifications carry references and links,
never case content (the e-mail digest leaves the house).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tafel.access.policy import refuse_unseen
from tafel.core.audit import audit
from tafel.core.dates import nl_date, nl_datetime
from tafel.core.errors import AccessDenied, NotFound, TransitionNotAllowed
from tafel.core.notifications import NotificationKind, notify
from tafel.meetings.audit_events import MeetingEvent
from tafel.organisations.models import User

from ..models import Action, Attendance, Invitation, InvitationResponse, Meeting, MeetingStatus, Plan
from ._common import clean, fail, fail_many, user_may_take_part


def _notify(users: Iterable, *, case, kind: str, text: str, url: str) -> int:
    return notify(users, case=case, kind=kind, text=text, url=url)


def _my_work_url() -> str:
    return reverse("meetings:my_work")


def _when(meeting: Meeting) -> str:
    return f"{nl_datetime(timezone.localtime(meeting.starts_at))}"


# --- telling partners -----------------------------------------------------------------------------------


def tell_invited(meeting: Meeting, invitations: list[Invitation]) -> int:
    """Each invited professional gets a notification to answer from "Mijn werk"."""
    count = 0
    for inv in invitations:
        if inv.is_client or inv.user_id is None:
            continue
        case = inv.agenda_item.case if inv.agenda_item_id else None
        what = f"casus {case.reference}" if case else "het hele overleg"
        count += _notify(
            [inv.user],
            case=case,
            kind=NotificationKind.INVITATION,
            text=f"U bent uitgenodigd voor het {meeting.overleg_type.name} van {_when(meeting)} ({what}). "
            "Laat in Mijn werk weten of u komt, of stuur een collega.",
            url=_my_work_url(),
        )
    return count


def tell_plan_published(plan: Plan, actions: list[Action], *, previous_casusregisseur_id: int | None) -> None:
    """After publishing: the new casusregisseur, every owner of an action that is new to them, and the
    professionals invited to the plan's meeting are told (issue 11)."""
    case = plan.case
    plan_url = reverse("meetings:plan", args=[plan.pk])
    if plan.casusregisseur_id and plan.casusregisseur_id != previous_casusregisseur_id:
        _notify(
            [plan.casusregisseur],
            case=case,
            kind=NotificationKind.CASUSREGISSEUR,
            text=f"U bent benoemd tot casusregisseur van casus {case.reference} (plan van aanpak versie "
            f"{plan.number}).",
            url=plan_url,
        )
    for action in actions:
        source = action.carried_from
        for who in (action.owner, action.co_owner):
            if who is None:
                continue
            if source is not None and who.pk in (source.owner_id, source.co_owner_id):
                continue  # the same agreement carried into a new version: not news to its owner
            _notify(
                [who],
                case=case,
                kind=NotificationKind.ACTION_ASSIGNED,
                text=f"Casus {case.reference}: u heeft een actie"
                + (f" met termijn {nl_date(action.deadline)}" if action.deadline else "")
                + ". Werk haar bij in Mijn werk.",
                url=_my_work_url(),
            )
    if plan.meeting_id:
        invitees = [
            inv.user
            for inv in Invitation.objects.filter(meeting_id=plan.meeting_id, is_client=False)
            .filter(agenda_item__isnull=True)
            .select_related("user")
        ] + [
            inv.user
            for inv in Invitation.objects.filter(
                meeting_id=plan.meeting_id, is_client=False, agenda_item__case_id=plan.case_id
            ).select_related("user")
        ]
        from tafel.cases.access import can_view_case

        _notify(
            [u for u in invitees if u is not None and can_view_case(u, case)],
            case=case,
            kind=NotificationKind.PLAN_PUBLISHED,
            text=f"Het plan van aanpak van casus {case.reference} (versie {plan.number}) is gepubliceerd.",
            url=plan_url,
        )


def tell_verslag_sent(meeting: Meeting, users: Iterable[User]) -> None:
    _notify(
        users,
        case=None,
        kind=NotificationKind.VERSLAG,
        text=f"Het verslag van het {meeting.overleg_type.name} van {_when(meeting)} is vastgesteld.",
        url=reverse("meetings:verslag", args=[meeting.pk]),
    )


# --- the invitee answers ----------------------------------------------------------------------------------


def invitation_get_for_invitee(*, user, invitation_id) -> Invitation:
    """One's own invitation (a professional's, not a client's). Anyone else's reads as absent (404)."""
    try:
        invitation_id = int(invitation_id)
    except (TypeError, ValueError):
        raise NotFound("Deze uitnodiging bestaat niet.") from None
    invitation = (
        Invitation.objects.filter(pk=invitation_id, user=user, is_client=False)
        .select_related("meeting", "meeting__overleg_type", "meeting__chair", "agenda_item__case", "user")
        .first()
    )
    if invitation is None:
        raise NotFound("Deze uitnodiging bestaat niet.")
    return invitation


def invitation_respond(
    *, actor, invitation: Invitation, response: str, reason: str = "", substitute_id=None
) -> Invitation:
    """Accept, decline (with a reason) or name a colleague of one's own organisation as substitute, who is
    then invited in one's place and told (issue 11). The chair is told of a decline or a substitute."""
    if invitation.user_id != actor.pk or invitation.is_client:
        raise AccessDenied("Alleen de genodigde zelf beantwoordt deze uitnodiging.")
    meeting = invitation.meeting
    if meeting.status != MeetingStatus.PLANNED:
        raise TransitionNotAllowed("Het overleg is al begonnen; u kunt de uitnodiging niet meer beantwoorden.")
    if response not in (InvitationResponse.ACCEPTED, InvitationResponse.DECLINED, InvitationResponse.SUBSTITUTED):
        raise fail("Kies of u komt, niet komt of een vervanger stuurt.", "response")
    reason = clean(reason)
    errors: dict[str, list[str]] = {}
    substitute = None
    if response == InvitationResponse.DECLINED and not reason:
        errors["reason"] = ["Laat weten waarom u niet komt."]
    if response == InvitationResponse.SUBSTITUTED:
        try:
            substitute_pk = int(substitute_id) if substitute_id not in (None, "") else None
        except (TypeError, ValueError):
            substitute_pk = None
        # A substitute is a colleague of the invitee's own organisation (the same need-to-know); any other id
        # reads as "not a colleague", naming nobody.
        substitute = (
            User.objects.filter(pk=substitute_pk, organisation_id=actor.organisation_id, is_active=True)
            .exclude(pk=actor.pk)
            .first()
            if substitute_pk
            else None
        )
        case_ids = (
            [invitation.agenda_item.case_id]
            if invitation.agenda_item_id
            else list(meeting.agenda_items.values_list("case_id", flat=True))
        )
        if substitute is None:
            if substitute_pk:
                refuse_unseen(
                    actor, kind="user", object_id=substitute_pk, action="substitute", model=User, case_field=None
                )
            errors["substitute"] = ["Kies een collega van uw eigen organisatie."]
        elif not user_may_take_part(substitute, case_ids):
            errors["substitute"] = ["Deze collega kan niet aan deze casus deelnemen."]
        elif Invitation.objects.filter(meeting=meeting, user=substitute).exists():
            errors["substitute"] = [f"{substitute} is al uitgenodigd."]
    if errors:
        raise fail_many("Uw antwoord is niet volledig.", errors)
    with transaction.atomic():
        now = timezone.now()
        invitation.response, invitation.response_reason, invitation.responded_at = response, reason, now
        fields = ["response", "response_reason", "responded_at"]
        if response in (InvitationResponse.DECLINED, InvitationResponse.SUBSTITUTED):
            invitation.attendance = Attendance.EXCUSED
            fields.append("attendance")
        elif invitation.attendance == Attendance.EXCUSED:
            invitation.attendance = Attendance.UNKNOWN
            fields.append("attendance")
        invitation.save(update_fields=fields)
        created = None
        if substitute is not None:
            created = Invitation.objects.create(
                meeting=meeting,
                agenda_item=invitation.agenda_item,
                user=substitute,
                organisation_id=substitute.organisation_id,
                substitute_for=actor,
                session_part=invitation.session_part,
                invited_by=actor,
                invited_at=now,
            )
            tell_invited(meeting, [created])
        audit(
            actor=actor,
            event=MeetingEvent.INVITATION_RESPOND,
            case_id=invitation.agenda_item.case_id if invitation.agenda_item_id else None,
            reason=response,
            details={"meeting": meeting.pk, "invitation": invitation.pk, "substitute": created.pk if created else None},
        )
        if response != InvitationResponse.ACCEPTED:
            text = f"{actor} komt niet naar het {meeting.overleg_type.name} van {_when(meeting)}" + (
                f"; {substitute} komt in de plaats." if substitute else "."
            )
            _notify(
                [meeting.chair],
                case=None,
                kind=NotificationKind.INVITATION_REPLY,
                text=text,
                url=reverse("meetings:detail", args=[meeting.pk]),
            )
    return invitation
