"""The worker of the database queue (`manage.py worker`): django-tasks' database backend holds the tasks;
this loop claims them, runs them, keeps a heartbeat, hands on the tasks of workers that died, and enqueues the
periodic work.

- **Claiming**: one task at a time, `SELECT … FOR UPDATE SKIP LOCKED` then marked running, in one transaction
  (exclusive on SQLite): two workers never run the same task.
- **Surviving a killed worker**: each worker updates its `WorkerHeartbeat` from a small thread of its own
  process every few seconds. A running task whose worker has not been seen for TAFEL_WORKER_LEASE_SECONDS is
  set back to ready (conditionally: only if nothing changed it meanwhile), and another worker runs it again;
  after TAFEL_WORKER_MAX_ATTEMPTS runs it is marked failed. Tasks are written to start over safely.
- **Schedule**: see tafel/jobs/schedule.py; idempotent across workers.
- **Audit**: a task's audit events carry channel "task" and a request id of their own; they act as the named
  system actor unless the task acts for a user.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid

from django.conf import settings
from django.db import close_old_connections, connections
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DbWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from tafel.core.audit import new_request_id, reset_channel, reset_request_context, set_channel, set_request_context
from tafel.jobs.models import WorkerHeartbeat
from tafel.jobs.schedule import enqueue_due

log = logging.getLogger("tafel.jobs")

LOST = "tafel.jobs.worker.WorkerLost"


def lease_seconds() -> int:
    return int(getattr(settings, "TAFEL_WORKER_LEASE_SECONDS", 60))


def max_attempts() -> int:
    return int(getattr(settings, "TAFEL_WORKER_MAX_ATTEMPTS", 3))


def requeue_abandoned(now=None) -> tuple[int, int]:
    """Running tasks whose worker stopped beating: back to ready, or failed after the last attempt. Returns
    (requeued, failed)."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=lease_seconds())
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued = failed = 0
    for row in DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "worker_ids", "started_at"):
        if row.worker_ids and row.worker_ids[-1] in alive:
            continue
        claim = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
        if len(row.worker_ids) >= max_attempts():
            failed += claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=LOST,
                traceback=f"Worker {row.worker_ids[-1] if row.worker_ids else '?'} stopped during attempt "
                f"{len(row.worker_ids)} of {max_attempts()}.",
            )
        else:
            requeued += claim.update(status=TaskResultStatus.READY, started_at=None)
    if requeued or failed:
        log.warning("requeued %s task(s) of stopped workers, gave up on %s", requeued, failed)
    return requeued, failed


class Heartbeat:
    """A thread of the worker process that says every few seconds that the worker is alive."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{worker_id}", daemon=True)

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": now, "hostname": socket.gethostname()[:200], "pid": os.getpid()},
            create_defaults={
                "seen_at": now,
                "started_at": now,
                "hostname": socket.gethostname()[:200],
                "pid": os.getpid(),
            },
        )

    def _run(self) -> None:
        interval = max(1.0, lease_seconds() / 4)
        try:
            while not self.stop.wait(interval):
                try:
                    self.beat()
                except OperationalError as exc:  # a locked SQLite file: the next beat comes soon
                    log.warning("heartbeat: %s", exc)
        finally:
            connections.close_all()

    def start(self) -> None:
        self.beat()
        self.thread.start()

    def end(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


class Worker(DbWorker):
    """django-tasks-db's worker (its signal handling and `run_task`), with Tafel's loop around it."""

    def __init__(self, *, schedule: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.schedule = schedule
        self._next_maintenance = 0.0

    def _maintenance(self) -> None:
        """Every few seconds: hand on abandoned tasks, enqueue what the schedule says is due."""
        if time.monotonic() < self._next_maintenance:
            return
        self._next_maintenance = time.monotonic() + max(1.0, min(5.0, lease_seconds() / 4))
        try:
            requeue_abandoned()
            if self.schedule:
                enqueue_due()
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise

    def claim_next(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                return task_result
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None
            raise

    def run_task(self, db_task_result: DBTaskResult) -> None:
        channel = set_channel("task")
        context = set_request_context(request_id=new_request_id(), origin="")
        try:
            super().run_task(db_task_result)
        finally:
            reset_request_context(context)
            reset_channel(channel)

    def run(self) -> None:
        log.info("worker %s: queues %s", self.worker_id, ",".join(self.queue_names))
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            while self.running:
                close_old_connections()
                self._maintenance()
                task_result = self.claim_next()
                if task_result is not None:
                    self.run_task(task_result)
                elif self.batch:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if self.running and task_result is None:
                    time.sleep(self.interval)
        finally:
            heartbeat.end()
            close_old_connections()


def run_pending(*, queues: str = "*", max_tasks: int | None = None) -> int:
    """Run the ready tasks here and now, in this process (tests, `manage.py worker --batch`). Returns how many."""
    worker = Worker(
        queue_names=queues.split(","),
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"inline-{uuid.uuid4().hex[:12]}",
        excluded_queue_names=[],
        schedule=False,
    )
    done = 0
    while max_tasks is None or done < max_tasks:
        task_result = worker.claim_next()
        if task_result is None:
            break
        worker.run_task(task_result)
        done += 1
    return done
