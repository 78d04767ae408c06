"""The lifecycle's periodic work as tasks on the database queue; the scheduler of `manage.py worker` enqueues
them (tafel/jobs/schedule.py). `manage.py tick` still runs the same work by hand or from cron."""

from django_tasks import task

from tafel.lifecycle.services.tick import TickResult, send_digests, tick


@task(queue_name="periodic")
def tick_task() -> dict:
    """Deadlines, clocks, the end of volgen op afstand, Veilig Thuis monitoring (idempotent); the e-mail digest
    is its own task."""
    return dict(tick(send_mail=False).counts)


@task(queue_name="periodic")
def digest_task() -> int:
    """One e-mail per user with the notifications not yet e-mailed (each claimed before it is sent)."""
    result = TickResult()
    send_digests(result)
    return result.counts.get("digests", 0)
