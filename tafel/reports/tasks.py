"""Report jobs as tasks on the database queue (run by `manage.py worker`, never on a thread of the web
process)."""

from django_tasks import task

from tafel.reports.services import report_job_run


@task(queue_name="reports")
def make_report(job_id: int) -> None:
    """Make the report of one job; run again after a worker died in the middle, it starts over."""
    report_job_run(job_id)
