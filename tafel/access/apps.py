from django.apps import AppConfig


class AccessConfig(AppConfig):
    """The access policy (no models): who may see and do what, the admin site's door and the audit log page."""

    name = "tafel.access"
    label = "access"

    def ready(self):
        from tafel.core.registry import register_audit_event_types

        from . import audit_events

        register_audit_event_types(
            audit_events.AccessEvent,
            actions=audit_events.ACTIONS,
            purpose=audit_events.PURPOSE,
            purposes=audit_events.PURPOSES,
        )
