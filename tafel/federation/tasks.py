"""Publication to the hub as a task on the database queue (decision 0005), enqueued by the scheduler."""

from django_tasks import task

from tafel.federation.services import publication_run


@task(queue_name="periodic")
def federation_publish_task() -> dict:
    result = publication_run()
    return {"marked": result.marked, "sent": result.sent, "withdrawn": result.withdrawn, "pending": result.pending}
