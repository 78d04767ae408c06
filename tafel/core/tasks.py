"""The audit log's upkeep as tasks on the database queue: seal rows into the hash chain (a backstop; commits
seal their own rows) and make the coming months' partitions (PostgreSQL)."""

from django_tasks import task

from tafel.core.auditchain import seal_pending
from tafel.core.auditpartitions import ensure_partitions


@task(queue_name="periodic")
def audit_seal_task() -> int:
    return seal_pending()


@task(queue_name="periodic")
def audit_partitions_task() -> int:
    return len(ensure_partitions())
