from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tafel.api"
    label = "api"

    def ready(self):
        from tafel.core.registry import register_audit_event_types

        from . import audit_events

        register_audit_event_types(audit_events.ApiEvent, actions=audit_events.ACTIONS, purpose=audit_events.PURPOSE)
