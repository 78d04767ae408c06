"""Fetch-and-check helpers for the monitor's own objects (STYLE.md, Access). Who may read the monitor at all
is answered by tafel.access.policy (may_view_reports, may_drill_down, may_manage_goals)."""

from __future__ import annotations

from tafel.access.policy import may_manage_goals, may_view_reports
from tafel.core.errors import AccessDenied, NotFound
from tafel.reports.models import Goal, ReportJob


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def report_job_get_for_user(*, user, job_id) -> ReportJob:
    """A report job is its requester's: anyone else gets NotFound, as if it did not exist."""
    pk = _int(job_id)
    job = None
    if pk is not None and may_view_reports(user):
        job = ReportJob.objects.filter(pk=pk, requested_by_id=user.pk).first()
    if job is None:
        raise NotFound("Deze rapportage bestaat niet of is niet van u.")
    return job


def goal_get_for_user(*, user, goal_id, action: str = "view") -> Goal:
    """Goals are visible to every monitor reader; only the ketenmanager changes them (403 for the others)."""
    pk = _int(goal_id)
    goal = Goal.objects.select_related("overleg_type").filter(pk=pk).first() if pk is not None else None
    if goal is None or not may_view_reports(user):
        raise NotFound("Dit doel bestaat niet.")
    if action == "edit" and not may_manage_goals(user):
        raise AccessDenied("Alleen de ketenmanager wijzigt de doelen.")
    return goal
