"""What stands in the way of taking an organisation out of a case, as the meetings app sees it: open actions
it owns or co-owns and its people invited to a coming meeting about the case (issue 11 item 6). Registered with
`tafel.cases.participants` at start-up (MeetingsConfig.ready)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from tafel.core.dates import nl_date, nl_datetime

from .models import Action, ActionStatus, Invitation, InvitationResponse, MeetingStatus


def removal_obstacles(*, case, organisation) -> list[str]:
    org = organisation.pk
    blockers: list[str] = []
    actions = (
        Action.objects.filter(case=case, status=ActionStatus.OPEN)
        .filter(
            Q(organisation_id=organisation.pk)
            | Q(owner__organisation_id=organisation.pk)
            | Q(co_owner__organisation_id=organisation.pk)
        )
        .select_related("owner")
        .order_by("deadline", "pk")
    )
    for a in actions:
        deadline = f", termijn {nl_date(a.deadline)}" if a.deadline else ""
        blockers.append(f"Open actie ‘{a.what[:80]}’ ({a.owner or 'geen eigenaar'}{deadline}): wijs haar eerst toe.")
    invitations = (
        Invitation.objects.filter(
            meeting__status=MeetingStatus.PLANNED,
            meeting__starts_at__gte=timezone.now(),
            is_client=False,
        )
        .filter(Q(agenda_item__case=case) | Q(agenda_item__isnull=True, meeting__agenda_items__case=case))
        .filter(Q(user__organisation_id=org) | Q(organisation_id=org))
        .exclude(response=InvitationResponse.DECLINED)
        .select_related("user", "meeting")
        .distinct()
        .order_by("meeting__starts_at", "pk")
    )
    for inv in invitations:
        when = timezone.localtime(inv.meeting.starts_at)
        who = inv.user or organisation
        blockers.append(f"Uitnodiging van {who} voor het overleg van {nl_datetime(when)}: trek haar eerst in.")
    return blockers
