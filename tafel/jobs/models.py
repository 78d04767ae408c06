"""The queue's own bookkeeping beside django-tasks' task rows: which workers are alive, and which periodic
slot was already enqueued (docs/decisions/0005-background-tasks-on-the-database-queue.md)."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """A running worker says it is alive every few seconds. A task claimed by a worker that stopped saying so
    (killed, machine gone) is handed to another worker after the lease (TAFEL_WORKER_LEASE_SECONDS)."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class ScheduledRun(models.Model):
    """One slot of one periodic task (e.g. `tick` of 10:05). The unique pair makes scheduling idempotent: of
    all workers, exactly one inserts the row for a slot, and only that one enqueues the task."""

    name = models.CharField(max_length=50)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="scheduled_run_once_per_slot")]
        indexes = [models.Index(fields=["name", "-slot"])]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"
