""" "Mijn werk" (issue 11): what a professional has to do across all cases, on one page and in the API —
the invitations to answer, their actions (owner or second owner) with their status, and the agenda items of
coming meetings that wait for their pre-meeting update. Always scoped by the viewer through the policy."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tafel.access.policy import sees_case_content
from tafel.cases.access import cases_visible_to
from tafel.core.audit import audit_many
from tafel.meetings.audit_events import MeetingEvent
from tafel.organisations.models import User

from .models import AgendaItem, Invitation, InvitationResponse, MeetingStatus, PreMeetingUpdate
from .selectors import my_actions
from .services import police_checks


@dataclass
class MyWork:
    invitations: list[Invitation]
    actions: list
    awaiting_update: list[AgendaItem]
    colleagues: list[User]
    # The DIK-checks of the viewer's police organisation for coming meetings (SPEC §4.2); empty for others.
    police_checks: list = field(default_factory=list)


def my_work(*, viewer) -> MyWork:
    if not sees_case_content(viewer):
        return MyWork(invitations=[], actions=[], awaiting_update=[], colleagues=[])
    now = timezone.now()
    invitations = list(
        Invitation.objects.filter(
            user=viewer, is_client=False, meeting__status=MeetingStatus.PLANNED, meeting__starts_at__gte=now
        )
        .select_related("meeting", "meeting__overleg_type", "meeting__chair", "agenda_item__case", "substitute_for")
        .order_by("meeting__starts_at", "id")
    )
    actions = list(my_actions(viewer=viewer))
    # Open first (by deadline), then the rest; an action waiting for the other owner's confirmation is open.
    actions.sort(key=lambda a: (a.status != "open", a.deadline is None, a.deadline or now.date(), a.pk))
    attending = [
        inv for inv in invitations if inv.response in (InvitationResponse.PENDING, InvitationResponse.ACCEPTED)
    ]
    whole = [inv.meeting_id for inv in attending if inv.agenda_item_id is None]
    single = [inv.agenda_item_id for inv in attending if inv.agenda_item_id is not None]
    awaiting = list(
        AgendaItem.objects.filter(Q(meeting_id__in=whole) | Q(pk__in=single), deferred=False)
        .filter(case__in=cases_visible_to(viewer))
        .annotate(mine=Exists(PreMeetingUpdate.objects.filter(agenda_item=OuterRef("pk"), created_by=viewer)))
        .filter(mine=False)
        .select_related("case", "meeting", "meeting__overleg_type")
        .order_by("meeting__starts_at", "order", "id")
    )
    colleagues = list(
        User.objects.filter(organisation_id=viewer.organisation_id, is_active=True)
        .exclude(pk=viewer.pk)
        .order_by("first_name", "last_name", "id")
    )
    case_ids = {a.case_id for a in actions} | {i.case_id for i in awaiting}
    case_ids |= {inv.agenda_item.case_id for inv in invitations if inv.agenda_item_id}
    audit_many(actor=viewer, event=MeetingEvent.PLAN_VIEW, case_ids=sorted(case_ids))
    return MyWork(
        invitations=invitations,
        actions=actions,
        awaiting_update=awaiting,
        colleagues=colleagues,
        police_checks=police_checks.checks_for_police(viewer=viewer),
    )
