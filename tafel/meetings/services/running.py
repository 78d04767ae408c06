"""Running a meeting after it opened (issue 12, item 5): attendance of all invitees in one write, and the
chair's explicit close that makes the meeting "gehouden". Opening is in planning.py (`meeting_open`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, TransitionNotAllowed
from tafel.meetings.audit_events import MeetingEvent

from ..access import may_approve_verslag
from ..models import Attendance, Invitation, Meeting, MeetingStatus
from ._common import bump, fail_many, require_run


@dataclass(frozen=True)
class AttendanceRow:
    invitation_id: int
    attendance: str


def attendance_save(
    *, actor, meeting: Meeting, rows: list[AttendanceRow], visible_ids: set[int], expected_version: int | None
) -> list[Invitation]:
    """Attendance of every invitee in one write (issue 12, item 5): all rows are checked first, each refusal
    named at its own row (field `attendance-<invitation id>`), and nothing is saved unless every row is right.
    The meeting's version guards against two people saving the sheet at once (the second is told, keeps
    what was chosen and reloads). `visible_ids` are the invitations the actor may see (the page's rows);
    any other id is refused like an unknown one. Open or held meetings only: before opening nobody has
    attended yet, and after the verslag is approved the record is fixed."""
    require_run(actor, meeting)
    if meeting.status == MeetingStatus.PLANNED:
        raise TransitionNotAllowed("Aanwezigheid leggen we vast als het overleg geopend is.")
    if meeting.status == MeetingStatus.CLOSED:
        raise TransitionNotAllowed("Dit overleg is afgerond; het verslag is vastgesteld.")
    wanted = {row.invitation_id: row.attendance for row in rows}
    invitations = {
        inv.pk: inv
        for inv in Invitation.objects.filter(meeting=meeting, pk__in=[i for i in wanted if i in visible_ids])
    }
    errors: dict[str, list[str]] = {}
    for invitation_id, value in wanted.items():
        key = f"attendance-{invitation_id}"
        inv = invitations.get(invitation_id)
        if inv is None:
            errors[key] = ["Deze uitnodiging hoort niet bij dit overleg."]
        elif value not in Attendance.values:
            errors[key] = ["Kies aanwezig, afwezig of afgemeld."]
        elif inv.is_client and not inv.invited and value != Attendance.UNKNOWN:
            errors[key] = ["Deze cliënt is niet uitgenodigd."]
    if errors:
        raise fail_many("Controleer de aanwezigheid bij de gemarkeerde regels.", errors)
    changed = [inv for inv in invitations.values() if inv.attendance != wanted[inv.pk]]
    with transaction.atomic():
        bump(Meeting, meeting, expected_version)
        for inv in changed:
            inv.attendance = wanted[inv.pk]
        Invitation.objects.bulk_update(changed, ["attendance"])
        for inv in changed:
            audit(
                actor=actor,
                event=MeetingEvent.ATTENDANCE_RECORD,
                case_id=inv.agenda_item.case_id if inv.agenda_item_id else None,
                person_id=inv.person_id,
                details={"meeting": meeting.pk, "invitation": inv.pk, "attendance": inv.attendance},
            )
    return changed


def meeting_close(*, actor, meeting: Meeting, expected_version: int | None = None) -> Meeting:
    """The chair closes an open meeting: from now on it is "gehouden" (issue 12, item 5). The page asks for a
    confirmation first. Discussions, attendance and the verslag stay editable until the verslag is approved,
    which makes the meeting "afgerond"."""
    if not may_approve_verslag(actor, meeting):
        raise AccessDenied("Alleen de voorzitter sluit het overleg.")
    if meeting.status != MeetingStatus.OPEN:
        raise TransitionNotAllowed(
            "Dit overleg is nog niet geopend."
            if meeting.status == MeetingStatus.PLANNED
            else "Dit overleg is al gesloten."
        )
    with transaction.atomic():
        bump(Meeting, meeting, expected_version, status=MeetingStatus.HELD, held_at=timezone.now(), held_by=actor)
        audit(actor=actor, event=MeetingEvent.MEETING_CLOSE, details={"meeting": meeting.pk})
    return meeting
