"""The periodic work, enqueued by the workers' scheduler: each entry once per slot of its interval, however
many workers run (the slot's `ScheduledRun` row is inserted by exactly one of them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from tafel.jobs.models import ScheduledRun


@dataclass(frozen=True)
class Periodic:
    name: str
    every: datetime.timedelta
    task: str  # dotted path of a django-tasks Task


SCHEDULE = (
    Periodic("tick", datetime.timedelta(minutes=5), "tafel.lifecycle.tasks.tick_task"),
    Periodic("digests", datetime.timedelta(minutes=15), "tafel.lifecycle.tasks.digest_task"),
    Periodic("audit_seal", datetime.timedelta(minutes=1), "tafel.core.tasks.audit_seal_task"),
    Periodic("audit_partitions", datetime.timedelta(days=1), "tafel.core.tasks.audit_partitions_task"),
    Periodic("retention", datetime.timedelta(days=1), "tafel.privacy.tasks.retention_task"),
    # Issue 15: new events → webhook deliveries (each delivery is a task of its own, retried with backoff).
    Periodic("webhooks", datetime.timedelta(minutes=1), "tafel.integrations.webhooks.webhook_dispatch_task"),
    # Issue 16: incremental publication to the federation hub; does nothing when the house is not federated.
    Periodic("federation_publish", datetime.timedelta(minutes=5), "tafel.federation.tasks.federation_publish_task"),
)

_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def slot_of(entry: Periodic, now: datetime.datetime) -> datetime.datetime:
    """The start of the slot `now` falls in (slots are counted from a fixed epoch, in UTC)."""
    periods = (now - _EPOCH) // entry.every
    return _EPOCH + periods * entry.every


def enqueue_due(now: datetime.datetime | None = None, schedule=SCHEDULE) -> list[str]:
    """Enqueue every entry whose current slot has no run yet. Returns the names enqueued (by this call)."""
    now = now or timezone.now()
    enqueued = []
    for entry in schedule:
        slot = slot_of(entry, now)
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=entry.name, slot=slot, enqueued_at=now)
                # The task row commits together with the slot's row: both or neither.
                import_string(entry.task).enqueue()
        except IntegrityError:
            continue
        enqueued.append(entry.name)
    return enqueued


def next_due(now: datetime.datetime, schedule=SCHEDULE) -> datetime.datetime:
    return min(slot_of(entry, now) + entry.every for entry in schedule)
