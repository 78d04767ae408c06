"""`manage.py worker`: run the background tasks (report jobs, e-mail digests, `tick`, retention, the audit
log's upkeep) from the database queue, and enqueue the periodic ones on their schedule.

Run one or more beside the web server (`make run` starts one); each is safe beside the others. Stop it with
SIGTERM or Ctrl+C: it finishes the task at hand first (a second signal stops at once; the task is then run
again by another worker after the lease). See docs/operations.md, "Background work"."""

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from tafel.jobs.worker import Worker


class Command(BaseCommand):
    help = "Voert de achtergrondtaken uit (rapportages, e-maildigest, tick, bewaartermijn) en plant de periodieke."

    def add_arguments(self, parser):
        parser.add_argument("--queues", default="*", help="Wachtrijen, komma-gescheiden (standaard: alle).")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconden wachten als er niets te doen is.")
        parser.add_argument("--batch", action="store_true", help="Alles wat klaarstaat uitvoeren en dan stoppen.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Stoppen na zoveel taken.")
        parser.add_argument("--no-schedule", action="store_true", help="Geen periodieke taken inplannen.")
        parser.add_argument("--worker-id", default="", help="Unieke naam van deze worker (standaard: willekeurig).")

    def handle(self, *args, **options):
        worker = Worker(
            queue_names=options["queues"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or f"worker-{get_random_string(12).lower()}",
            excluded_queue_names=[],
            schedule=not options["no_schedule"],
        )
        worker.configure_signals()
        worker.run()
