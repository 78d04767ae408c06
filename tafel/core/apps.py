from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(using="default", **kwargs) -> None:
    """`migrate` also makes the database cache's table (TAFEL_CACHE_URL=db, the default), so no deployment
    forgets `createcachetable`. It does nothing when the table exists or another cache is configured."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c.get("BACKEND", "").endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "tafel.core"
    label = "core"

    def ready(self) -> None:
        from tafel.core import (
            audit_events,
            checks,  # noqa: F401 - registers the scaling-out checks
        )
        from tafel.core.registry import register_audit_event_types

        register_audit_event_types(audit_events.CoreEvent, actions=audit_events.ACTIONS, purposes=audit_events.PURPOSES)
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="tafel.core.create_cache_table")
