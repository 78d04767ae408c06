"""Small helpers shared by the meeting services."""

from __future__ import annotations

from django.db.models import F

from tafel.access.policy import active_users
from tafel.cases.access import user_get_for_cases, users_eligible_for_cases
from tafel.core.errors import AccessDenied, ConcurrentEdit, NotFound, TransitionNotAllowed, ValidationFailed
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


NOT_TAKING_PART = "Kies iemand van het huis of van een organisatie die als partner deelneemt aan de casus."


def user_may_take_part(user: User, case_ids: list[int]) -> bool:
    """Only people of organisations that take part in the case as a partner (or the house itself) sit at
    its table: need-to-know (SPEC §6). The same rule as `tafel.cases.access.users_eligible_for_cases`."""
    return users_eligible_for_cases(case_ids).filter(pk=user.pk).exists()


def load_user(user_or_id, *, actor=None, case_ids=None, field: str = "user") -> User | None:
    """A user named in a request. With `case_ids`, through the one fetch-and-check for users named in a
    case's work (`tafel.cases.access.user_get_for_cases`); otherwise any active account. An unknown id and an id of
    someone who may not be named give the same field error, which names nobody (issue 10, finding 2)."""
    if user_or_id is None or user_or_id == "":
        return None
    if isinstance(user_or_id, User):
        if case_ids is None:
            return user_or_id
        # A user object is checked as its id is: who hands one in does not decide who may be named.
        user_or_id = user_or_id.pk
    if case_ids is not None:
        try:
            return user_get_for_cases(actor=actor, user_id=user_or_id, case_ids=case_ids, action=field)
        except NotFound:
            raise fail(NOT_TAKING_PART, field) from None
    try:
        pk = int(user_or_id)
    except (TypeError, ValueError):
        raise fail("Onbekende gebruiker.", field) from None
    user = active_users().select_related("organisation").filter(pk=pk).first()
    if user is None:
        raise fail("Onbekende gebruiker.", field)
    return user
