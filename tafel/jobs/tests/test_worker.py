"""Issue 13 item 4: background work on a database queue that survives a killed worker and never runs a task
twice at once, with an idempotent scheduler."""

from __future__ import annotations

import datetime
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tafel.jobs.models import ScheduledRun, WorkerHeartbeat
from tafel.jobs.schedule import SCHEDULE, enqueue_due, slot_of
from tafel.jobs.worker import Worker, requeue_abandoned, run_pending

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def ketenmanager(house):
    from tafel.organisations.models import Role
    from tafel.testing import make_user

    return make_user(house, Role.KETENMANAGER, username="ketenmanager")


def _worker(worker_id: str) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
        schedule=False,
    )


def _enqueue_reports(user, n: int) -> list[int]:
    from tafel.reports import services
    from tafel.reports.indicators import Params
    from tafel.reports.periods import parse_period

    params = Params(period=parse_period("2025Q2"))
    return [services.report_job_start(actor=user, params=params, fmt="csv").pk for _ in range(n)]


# --- the scheduler ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_scheduler_enqueues_each_periodic_task_once_per_slot_however_often_it_runs():
    # Midday, so that the five minutes below never cross a day's slot (the test failed when run at midnight).
    now = timezone.now().replace(hour=12, minute=2, second=0, microsecond=0)
    first = enqueue_due(now)
    again = enqueue_due(now + datetime.timedelta(seconds=1))
    also = enqueue_due(now)  # a second worker at the same moment

    assert sorted(first) == sorted(e.name for e in SCHEDULE)
    assert again == [] or set(again) <= {"audit_seal"}  # only a minute slot can turn over within a second
    assert also == []
    assert DBTaskResult.objects.filter(task_path="tafel.lifecycle.tasks.tick_task").count() == 1
    later = enqueue_due(now + datetime.timedelta(minutes=5))
    assert "tick" in later and "retention" not in later
    tick = next(e for e in SCHEDULE if e.name == "tick")
    assert ScheduledRun.objects.filter(name="tick").count() == 2
    assert slot_of(tick, now).minute % 5 == 0


@pytest.mark.django_db
def test_periodic_tasks_run_tick_and_the_digest_as_the_system_actor(mailoutbox):
    enqueue_due(timezone.now())
    assert run_pending() == len(SCHEDULE)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}


# --- claiming ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_workers_claim_different_tasks(ketenmanager):
    _enqueue_reports(ketenmanager, 2)
    a, b = _worker("a"), _worker("b")

    first, second = a.claim_next(), b.claim_next()

    assert first is not None and second is not None and first.pk != second.pk
    assert a.claim_next() is None
    assert {tuple(t.worker_ids) for t in DBTaskResult.objects.all()} == {("a",), ("b",)}


@pytest.mark.django_db(transaction=True)
def test_workers_in_parallel_never_claim_the_same_task(ketenmanager):
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections to one database: PostgreSQL (SQLite in memory has one writer anyway)")
    _enqueue_reports(ketenmanager, 24)
    claimed: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def claim(k: int) -> None:
        worker = _worker(f"w{k}")
        start.wait()
        try:
            while (task := worker.claim_next()) is not None:
                with lock:
                    claimed.append(str(task.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(claimed) == 24 and len(set(claimed)) == 24
    assert all(len(t.worker_ids) == 1 for t in DBTaskResult.objects.all())


# --- surviving a killed worker ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_task_of_a_worker_that_stopped_beating_is_handed_on_then_given_up(ketenmanager, settings):
    settings.TAFEL_WORKER_LEASE_SECONDS = 30
    settings.TAFEL_WORKER_MAX_ATTEMPTS = 2
    _enqueue_reports(ketenmanager, 1)
    task = _worker("gone").claim_next()
    past = timezone.now() - datetime.timedelta(seconds=60)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=past)
    WorkerHeartbeat.objects.create(worker_id="gone", started_at=past, seen_at=past)

    assert requeue_abandoned() == (1, 0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY

    again = _worker("alive").claim_next()
    WorkerHeartbeat.objects.create(worker_id="alive", started_at=past, seen_at=timezone.now())
    DBTaskResult.objects.filter(pk=again.pk).update(started_at=past)
    assert requeue_abandoned() == (0, 0)  # its worker is alive: a long task is not taken away

    WorkerHeartbeat.objects.filter(worker_id="alive").update(seen_at=past)
    assert requeue_abandoned() == (0, 1)  # second attempt lost too: given up
    again.refresh_from_db()
    assert again.status == TaskResultStatus.FAILED and again.exception_class_path.endswith("WorkerLost")


SLOW_WORKER = """
import os, pathlib, sys, time
import django
django.setup()
from tafel.reports import exports
original = exports.build_reports
marker = pathlib.Path(sys.argv[1])
def slow(params, formats, progress, on_file):
    def step(done, total):
        progress(done, total)
        marker.write_text(str(done))
        time.sleep(0.25)
    return original(params, formats, progress=step, on_file=on_file)
exports.build_reports = slow
from django.core.management import call_command
call_command("worker", "--no-schedule", "--interval", "0.2", "--worker-id", "doomed")
"""

SEED = """
from tafel.organisations.models import OrganisationType, Role
from tafel.reports import services
from tafel.reports.indicators import Params
from tafel.reports.periods import parse_period
from tafel.testing import make_org, make_user
user = make_user(make_org("Gemeente Keten", OrganisationType.GEMEENTE), Role.KETENMANAGER, username="keten")
job = services.report_job_start(actor=user, params=Params(period=parse_period("2025Q2")), fmt="xlsx")
print(job.pk)
"""


def _subprocess_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="tafel.test_settings",
        TAFEL_VAR_DIR=str(tmp_path),
        TAFEL_WORKER_LEASE_SECONDS="2",
        TAFEL_MONITOR_WORKERS="1",
    )
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        # The SQLite test database lives in this process's memory: the workers get a database file of their own.
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    return env


def _manage(env, *args, timeout=180) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    return done.stdout


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_report_job_the_job_completes_on_restart_and_the_file_is_whole(tmp_path):
    """Must hold (issue 13 item 4): a real worker process is killed (SIGKILL) while it makes a report; after
    restart the job is made again by another worker, and its file is whole."""
    env = _subprocess_env(tmp_path)
    job_id = int(_manage(env, "shell", "-v", "0", "-c", SEED).strip().splitlines()[-1])
    marker = tmp_path / "progress"

    doomed = subprocess.Popen([sys.executable, "-c", SLOW_WORKER, str(marker)], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline and doomed.poll() is None:
            time.sleep(0.05)
        assert marker.exists(), "the worker never started on the report"
        time.sleep(0.3)  # a few indicators in: the middle of the job
        os.kill(doomed.pid, signal.SIGKILL)
    finally:
        doomed.wait(timeout=30)
    assert doomed.returncode == -signal.SIGKILL

    state = _manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from tafel.reports.models import ReportJob; from django_tasks_db.models import DBTaskResult; "
        f"j = ReportJob.objects.get(pk={job_id}); t = DBTaskResult.objects.get(); "
        "print(j.status, j.progress, bool(j.file), t.status, ','.join(t.worker_ids))",
    ).split()
    assert state[0] == "running" and 1 <= int(state[1]) < 90 and state[2] == "False"
    assert state[3:] == ["RUNNING", "doomed"]

    time.sleep(2.5)  # the killed worker's lease runs out
    _manage(env, "worker", "--batch", "--no-schedule", "--worker-id", "survivor")

    out = _manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from tafel.reports.models import ReportJob; from django_tasks_db.models import DBTaskResult; "
        f"j = ReportJob.objects.get(pk={job_id}); t = DBTaskResult.objects.get(); "
        "print(j.status, j.progress, j.file.path, t.status, ','.join(t.worker_ids)); "
        "[print('other', f.format, f.file.path) for f in j.other_files.all()]",
    ).splitlines()
    status, progress, path, task_status, workers = out[0].split()
    assert (status, progress, task_status, workers) == ("done", "100", "SUCCESSFUL", "doomed,survivor")
    book = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()))  # a whole XLSX opens
    assert "casussen_thema" in " ".join(book.sheetnames + [str(c.value) for c in book.worksheets[0]["A"]])
    others = {line.split()[1]: Path(line.split()[2]) for line in out[1:]}
    assert set(others) == {"csv", "pdf"}
    assert others["pdf"].read_bytes().startswith(b"%PDF") and b"%%EOF" in others["pdf"].read_bytes()[-1024:]
    assert not list(Path(path).parent.glob("*.part"))
