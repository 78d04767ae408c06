from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tafel.meetings"
    verbose_name = "Overleggen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tafel.core.registry import register_audit_event_types

        from . import audit_events

        register_audit_event_types(audit_events.MeetingEvent, actions=audit_events.ACTIONS)

        from tafel.cases.participants import register_removal_obstacles

        from .participation import removal_obstacles

        register_removal_obstacles(removal_obstacles)
