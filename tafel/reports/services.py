"""Every write of the monitor: goals of the effectiviteitsmatrix and report jobs.

Neither holds personal data (goals are configuration, reports hold suppressed aggregates), so they are not
written to the audit log; who changed a goal and who asked for a report is kept on the row itself.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from tafel.access.policy import may_manage_goals, may_view_reports
from tafel.cases.models import Theme
from tafel.core.errors import AccessDenied, ConcurrentEdit, ValidationFailed
from tafel.reports.indicators import Params, get
from tafel.reports.models import Direction, Goal, ReportFormat, ReportJob, ReportJobFile, ReportStatus

log = logging.getLogger(__name__)


# --- goals ------------------------------------------------------------------------------------------------


@dataclass
class GoalInput:
    title: str = ""
    description: str = ""
    overleg_type_id: int | None = None
    theme: str = ""
    selection_criteria: str = ""
    input_criteria: str = ""
    follow_up_criteria: str = ""
    indicator_code: str = ""
    target_value: str | Decimal | float | None = None
    direction: str = Direction.AT_LEAST
    active: bool = True


def goal_validate(data: GoalInput) -> tuple[dict[str, list[str]], Decimal | None]:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = ["Beschrijf het doel."]
    indicator = get(data.indicator_code)
    if indicator is None:
        errors["indicator_code"] = ["Kies een indicator."]
    elif not indicator.available:
        errors["indicator_code"] = ["Voor deze indicator zijn nog geen gegevens; kies een andere."]
    target = None
    try:
        target = Decimal(str(data.target_value)) if data.target_value not in (None, "") else None
    except InvalidOperation:
        target = None
    if target is None or not target.is_finite():
        errors["target_value"] = ["Vul een streefwaarde in (een getal)."]
    elif target < 0 or target >= Decimal("1e9"):
        errors["target_value"] = ["De streefwaarde ligt tussen 0 en 999.999.999."]
    if data.direction not in Direction.values:
        errors["direction"] = ["Kies of de waarde minimaal of maximaal moet zijn."]
    if data.theme and data.theme not in Theme.values:
        errors["theme"] = ["Onbekend thema."]
    if data.overleg_type_id is not None:
        from tafel.meetings.models import OverlegType

        if not OverlegType.objects.filter(pk=data.overleg_type_id).exists():
            errors["overleg_type"] = ["Onbekende soort overleg."]
    return errors, target


def _goal_fields(data: GoalInput, target: Decimal) -> dict:
    return {
        "title": data.title.strip()[:200],
        "description": data.description.strip(),
        "overleg_type_id": data.overleg_type_id,
        "theme": data.theme,
        "selection_criteria": data.selection_criteria.strip(),
        "input_criteria": data.input_criteria.strip(),
        "follow_up_criteria": data.follow_up_criteria.strip(),
        "indicator_code": data.indicator_code,
        "target_value": target,
        "direction": data.direction,
        "active": data.active,
    }


def goal_create(*, actor, data: GoalInput) -> Goal:
    if not may_manage_goals(actor):
        raise AccessDenied("Alleen de ketenmanager stelt de doelen van de effectiviteitsmatrix vast.")
    errors, target = goal_validate(data)
    if errors:
        raise ValidationFailed("Het doel is niet volledig.", field_errors=errors)
    with transaction.atomic():
        return Goal.objects.create(created_by=actor, created_at=timezone.now(), **_goal_fields(data, target))


def goal_update(*, actor, goal: Goal, data: GoalInput, expected_version: int | None = None) -> Goal:
    if not may_manage_goals(actor):
        raise AccessDenied("Alleen de ketenmanager stelt de doelen van de effectiviteitsmatrix vast.")
    errors, target = goal_validate(data)
    if errors:
        raise ValidationFailed("Het doel is niet volledig.", field_errors=errors)
    fields = _goal_fields(data, target)
    with transaction.atomic():
        if expected_version is not None and expected_version != goal.version:
            raise ConcurrentEdit("Iemand anders heeft dit doel intussen gewijzigd. Laad de pagina opnieuw.")
        now = timezone.now()
        updated = Goal.objects.filter(pk=goal.pk, version=goal.version).update(
            updated_by=actor, updated_at=now, version=F("version") + 1, **fields
        )
        if updated != 1:
            raise ConcurrentEdit("Iemand anders heeft dit doel intussen gewijzigd. Laad de pagina opnieuw.")
        for key, value in fields.items():
            setattr(goal, key, value)
        goal.updated_by, goal.updated_at, goal.version = actor, now, goal.version + 1
    return goal


def goal_delete(*, actor, goal: Goal) -> None:
    if not may_manage_goals(actor):
        raise AccessDenied("Alleen de ketenmanager stelt de doelen van de effectiviteitsmatrix vast.")
    with transaction.atomic():
        Goal.objects.filter(pk=goal.pk).delete()


# --- report jobs ------------------------------------------------------------------------------------------


def report_job_start(*, actor, params: Params, fmt: str) -> ReportJob:
    """Queue a report: the job row and its task on the database queue commit together, and a worker
    (`manage.py worker`) makes it. The page polls its progress."""
    if not may_view_reports(actor):
        raise AccessDenied("U mag geen rapportages maken.")
    if fmt not in ReportFormat.values:
        raise ValidationFailed("Kies PDF, XLSX of CSV.", field_errors={"format": ["Kies PDF, XLSX of CSV."]})
    with transaction.atomic():
        job = ReportJob.objects.create(
            requested_by=actor, created_at=timezone.now(), format=fmt, params=params.as_query()
        )
        enqueue_report(job.pk)
    return job


def enqueue_report(job_id: int) -> None:
    from tafel.reports.tasks import make_report

    make_report.enqueue(job_id)


def _retry_locked(write, attempts: int = 50):
    """Run a write. SQLite may refuse it for a moment while a page reads the same table (the progress poll
    does, every second); the job waits a little and tries again instead of failing."""
    for attempt in range(attempts):
        try:
            return write()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1)
    return None


def _update_job(job_id: int, attempts: int = 50, **values) -> int:
    return _retry_locked(lambda: ReportJob.objects.filter(pk=job_id).update(**values), attempts) or 0


def _save_whole(field_file, filename: str, content: bytes) -> None:
    """Store a report file so that it is whole or absent: written under a temporary name beside it, flushed to
    disk, then renamed into place in one step. A worker killed while writing leaves no half file under the
    name the job points to."""
    storage = field_file.storage
    try:
        storage.path("")
    except NotImplementedError:
        field_file.save(filename, ContentFile(content), save=False)
        return
    name = storage.get_available_name(field_file.field.generate_filename(field_file.instance, filename))
    path = storage.path(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = f"{path}.part"
    with open(partial, "wb") as out:
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)
    field_file.name = name


# The other formats a job makes after the one asked for, cheapest first.
OTHER_FORMATS = [ReportFormat.CSV, ReportFormat.XLSX, ReportFormat.PDF]


def report_job_run(job_id: int) -> None:
    """Make the report of one job: figures (progress 0–90), the asked format (90–100, then the job is done
    and its file can be downloaded), then the other formats from the same figures, each offered as soon as
    it is made. Never raises: a failure is recorded on the job, with the details in the log."""
    from tafel.reports.exports import build_reports
    from tafel.reports.params import parse_params

    try:
        job = ReportJob.objects.get(pk=job_id)
        if job.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return
        if job.status == ReportStatus.RUNNING:
            # A worker died while making it: start over (the queue runs the task again after the lease).
            for other in ReportJobFile.objects.filter(job_id=job_id):
                other.file.delete(save=False)
                other.delete()
        _update_job(job_id, status=ReportStatus.RUNNING, started_at=timezone.now(), progress=1)

        def progress(done: int, total: int) -> None:
            _update_job(job_id, progress=max(1, min(90, round(90 * done / total))))

        def save(fmt: str, content: bytes, filename: str) -> None:
            if fmt == job.format:
                _update_job(job_id, progress=95)
                _save_whole(job.file, filename, content)
                _update_job(
                    job_id,
                    status=ReportStatus.DONE,
                    progress=100,
                    finished_at=timezone.now(),
                    file=job.file.name,
                    filename=filename,
                )
            else:
                other = ReportJobFile(job_id=job_id, format=fmt, filename=filename)
                _save_whole(other.file, filename, content)
                _retry_locked(other.save)

        formats = [job.format, *[f for f in OTHER_FORMATS if f != job.format]]
        build_reports(parse_params(job.params), formats, progress=progress, on_file=save)
        _update_job(job_id, others_done=True)
    except Exception:  # noqa: BLE001 - a background job must record any failure instead of dying silently
        log.exception("report job %s failed", job_id)
        # A failure after the asked format was made leaves that file available; the others are given up.
        _retry_locked(
            lambda: (
                ReportJob.objects.filter(pk=job_id)
                .exclude(status=ReportStatus.DONE)
                .update(
                    status=ReportStatus.FAILED,
                    finished_at=timezone.now(),
                    error="De rapportage kon niet worden gemaakt. "
                    "Probeer het opnieuw of neem contact op met de beheerder.",
                )
            )
        )
        _update_job(job_id, others_done=True)
