"""Writing audit events. Only services (and the access layer for denials) call this."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar, Token

from django.utils import timezone

from tafel.core.models import AuditEvent, AuditEventType
from tafel.core.system import SYSTEM_LABEL, is_system_actor

_channel: ContextVar[str] = ContextVar("audit_channel", default="web")


def set_channel(channel: str) -> Token:
    """The API marks its requests so the FG can tell system access from browser access. Returns the token
    that `reset_channel` takes to restore the previous channel when the request ends."""
    return _channel.set(channel)


def reset_channel(token: Token) -> None:
    _channel.reset(token)


def _label(actor) -> str:
    if actor is None or is_system_actor(actor):
        return SYSTEM_LABEL
    return f"{actor.get_full_name() or actor.username} ({actor.username})"


def audit(
    *,
    actor,
    event: AuditEventType,
    case_id: int | None = None,
    person_id: int | None = None,
    reason: str = "",
    details: dict | None = None,
    channel: str | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=_label(actor),
        organisation_id=getattr(actor, "organisation_id", None),
        event_type=event,
        case_id=case_id,
        person_id=person_id,
        reason=reason[:500],
        details=details or {},
        channel=channel or _channel.get(),
    )


def audit_many(
    *, actor, event: AuditEventType, case_ids: Iterable[int] = (), person_ids: Iterable[int] = (), reason=""
) -> None:
    """One event per case/person in a single insert (list pages show many records at once)."""
    now = timezone.now()
    rows = [
        AuditEvent(
            at=now,
            actor=actor,
            actor_label=_label(actor),
            organisation_id=getattr(actor, "organisation_id", None),
            event_type=event,
            case_id=cid,
            reason=reason,
            channel=_channel.get(),
        )
        for cid in case_ids
    ] + [
        AuditEvent(
            at=now,
            actor=actor,
            actor_label=_label(actor),
            organisation_id=getattr(actor, "organisation_id", None),
            event_type=event,
            person_id=pid,
            reason=reason,
            channel=_channel.get(),
        )
        for pid in person_ids
    ]
    if rows:
        AuditEvent.objects.bulk_create(rows)
