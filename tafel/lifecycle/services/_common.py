"""Shared pieces of the lifecycle services: who may do what, notifications, putting a case on an agenda."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tafel.access.policy import is_house_procesregisseur, sees_case_content
from tafel.cases.access import can_view_case
from tafel.cases.models import Case, CaseStatus
from tafel.cases.selectors import case_regisseurs  # noqa: F401 - the cases app's rule, imported from here
from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, TafelError, ValidationFailed
from tafel.lifecycle.audit_events import LifecycleEvent
from tafel.organisations.models import User

from ..models import Notification, SentReminder


def fail(message: str, field: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]} if field else None)


def clean(text: str | None) -> str:
    return (text or "").strip()


def require_in_case(user, case: Case) -> None:
    """Any professional of an organisation in the case (or the house) may report, escalate or re-enter."""
    if not (sees_case_content(user) and can_view_case(user, case)):
        raise AccessDenied("U neemt geen deel aan deze casus.")


def require_procesregisseur(user, message: str = "Alleen de procesregisseur van het huis doet dit.") -> None:
    if not is_house_procesregisseur(user):
        raise AccessDenied(message)


def require_regie(user, case: Case) -> None:
    """The procesregisseur of the house or the case's casusregisseur."""
    if is_house_procesregisseur(user):
        return
    if case.casusregisseur_id and case.casusregisseur_id == user.pk and can_view_case(user, case):
        return
    raise AccessDenied("Alleen de procesregisseur of de casusregisseur van deze casus doet dit.")


def case_url(case: Case, name: str = "lifecycle:case", **kwargs) -> str:
    return reverse(name, args=[case.pk]) if not kwargs else reverse(name, kwargs=kwargs)


def notify(users: Iterable[User | None], *, case: Case | None, kind: str, text: str, url: str = "") -> int:
    """One in-app notification per distinct user; the e-mail goes out batched with the next `tick`."""
    now = timezone.now()
    seen: set[int] = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, case=case, kind=kind, text=text[:500], url=url[:300], created_at=now))
    Notification.objects.bulk_create(rows)
    return len(rows)


def as_moment(value: datetime.date | datetime.datetime) -> datetime.datetime:
    """A due date as an aware moment (start of that day in the house's time zone)."""
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def reminder_once(kind: str, object_key: str, due) -> bool:
    """Claim a reminder. True exactly once per (kind, object, due moment), however often `tick` runs."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(kind=kind, object_key=object_key, due=as_moment(due), sent_at=timezone.now())
    except IntegrityError:
        return False
    return True


def schedule_follow_up(case: Case, *, reason: str, now: datetime.datetime | None = None) -> object | None:
    """Put a running case on the next planned meeting of a suitable overleg type, as a follow-up case
    (SPEC §4.2: rappel cases are put on the agenda from rappel dates and open actions). Returns the agenda
    item, or None when the case is already on a coming agenda or no suitable meeting is planned. `now` is the
    moment "coming" is measured from: the periodic run passes its own clock (`tick --now`), so a catch-up run
    picks the meeting that was next at that moment."""
    from tafel.meetings.models import AgendaItem, AgendaKind, Meeting, MeetingStatus
    from tafel.meetings.services import agenda_add_case

    from ..conf import follow_up_overleg_types

    if case.status not in (CaseStatus.ACTIEF, CaseStatus.VOLGEN):
        return None
    now = now or timezone.now()
    coming = Meeting.objects.filter(status=MeetingStatus.PLANNED, starts_at__gt=now)
    if AgendaItem.objects.filter(case=case, meeting__in=coming).exists():
        return None
    last = (
        AgendaItem.objects.filter(case=case, meeting__overleg_type__active=True)
        .exclude(meeting__overleg_type__code="casusevaluatie")
        .select_related("meeting__overleg_type")
        .order_by("-meeting__starts_at")
        .first()
    )
    codes = follow_up_overleg_types()
    if last is not None:
        codes = [last.meeting.overleg_type.code, *[c for c in codes if c != last.meeting.overleg_type.code]]
    meetings = {
        m.overleg_type.code: m
        for m in coming.filter(overleg_type__code__in=codes)
        .select_related("overleg_type", "chair")
        .order_by("-starts_at")
    }
    meeting = next((meetings[c] for c in codes if c in meetings), None)
    if meeting is None:
        return None
    # The chair plans their own meeting's agenda; the audit record says it was automatic.
    try:
        with transaction.atomic():
            item = agenda_add_case(actor=meeting.chair, meeting=meeting, case=case, kind=AgendaKind.FOLLOW_UP)
    except TafelError:
        # A chair who may not see this case, or a status the meetings app refuses: the procesregisseur
        # still sees the case on the dashboard and agendas it by hand.
        return None
    audit(
        actor=meeting.chair,
        event=LifecycleEvent.FOLLOW_UP_AGENDA,
        case_id=case.pk,
        # Why (a rappel date, an evaluation date, actions past their deadline) is on the agenda item's kind
        # and in the notification; the audit log keeps the code.
        reason="follow_up.auto",
        details={"meeting": meeting.pk, "agenda_item": item.pk},
    )
    return item
