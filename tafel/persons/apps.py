from django.apps import AppConfig


class PersonsConfig(AppConfig):
    name = "tafel.persons"
    label = "persons"

    def ready(self):
        from tafel.core.registry import register_audit_event_types

        from . import audit_events

        register_audit_event_types(audit_events.PersonEvent, actions=audit_events.ACTIONS)
