from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tafel.core"
    label = "core"

    def ready(self):
        from tafel.core import audit_events
        from tafel.core.registry import register_audit_event_types

        register_audit_event_types(audit_events.CoreEvent, actions=audit_events.ACTIONS, purposes=audit_events.PURPOSES)
