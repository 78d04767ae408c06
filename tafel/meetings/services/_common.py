"""Small helpers shared by the meeting services."""

from __future__ import annotations

from django.db.models import F

from tafel.cases.models import CaseOrganisation
from tafel.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed, ValidationFailed
from tafel.core.policy import sees_case_content
from tafel.organisations.models import User

from ..access import may_plan_meetings, may_run_meeting
from ..models import Meeting, MeetingStatus


def fail(message: str, field: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]} if field else None)


def fail_many(message: str, errors: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed(message, field_errors=errors)


def clean(text: str | None) -> str:
    return (text or "").strip()


def require_plan(actor, meeting: Meeting) -> None:
    if not (may_plan_meetings(actor) or may_run_meeting(actor, meeting)):
        raise AccessDenied("Alleen de voorzitter of het huis plant dit overleg.")


def require_run(actor, meeting: Meeting) -> None:
    if not may_run_meeting(actor, meeting):
        raise AccessDenied("Alleen de voorzitter of een procesregisseur leidt dit overleg.")


def require_not_closed(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise TransitionNotAllowed("Dit overleg is afgerond; het verslag is vastgesteld.")


def require_planned(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise TransitionNotAllowed("Dit overleg is al gehouden; de planning ligt vast.")


def bump(model, obj, expected_version: int | None, **values) -> None:
    """Optimistic concurrency: write only when nobody changed the row since the form was loaded."""
    if expected_version is not None and expected_version != obj.version:
        raise ConcurrentEdit("Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw.")
    updated = model.objects.filter(pk=obj.pk, version=obj.version).update(version=F("version") + 1, **values)
    if updated != 1:
        raise ConcurrentEdit("Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw.")
    for key, value in values.items():
        setattr(obj, key, value)
    obj.version += 1


def user_may_take_part(user: User, case_ids: list[int]) -> bool:
    """Only people of organisations that take part in the case (or the house itself) sit at its table:
    need-to-know (SPEC §6)."""
    if not sees_case_content(user):
        return False
    if user.in_house:
        return True
    return CaseOrganisation.objects.filter(case_id__in=case_ids, organisation_id=user.organisation_id).exists()


def load_user(user_or_id) -> User | None:
    if user_or_id is None or user_or_id == "":
        return None
    if isinstance(user_or_id, User):
        return user_or_id
    try:
        pk = int(user_or_id)
    except (TypeError, ValueError):
        raise fail("Onbekende gebruiker.") from None
    user = User.objects.select_related("organisation").filter(pk=pk, is_active=True).first()
    if user is None:
        raise fail("Onbekende gebruiker.")
    return user
