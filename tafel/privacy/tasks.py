"""Retention as a task on the database queue, enqueued daily by the scheduler of `manage.py worker`."""

from django_tasks import task

from tafel.privacy.services.retention import retention_run


@task(queue_name="periodic")
def retention_task() -> int:
    """Destroy the cases whose retention period has passed (idempotent); returns how many."""
    return len(retention_run().candidates)
