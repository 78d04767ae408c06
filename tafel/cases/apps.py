from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "tafel.cases"
    label = "cases"

    def ready(self):
        from tafel.core.registry import register_audit_event_types

        from . import audit_events

        register_audit_event_types(audit_events.CaseEvent, actions=audit_events.ACTIONS)
