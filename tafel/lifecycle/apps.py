from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "tafel.lifecycle"
    verbose_name = "Na het overleg: opvolging, escalatie, afsluiting"

    def ready(self):
        from tafel.core.registry import register_audit_event_types

        from . import audit_events

        register_audit_event_types(audit_events.LifecycleEvent, actions=audit_events.ACTIONS)

        from tafel.core.notifications import register_sender

        from .services._common import notify

        # Cases and meetings sit below this app and notify through core (tafel.core.notifications).
        register_sender(notify)

        from tafel.cases.detail import register_case_annotations

        from .checklist import case_page_annotations

        # The regie checklist on the case page comes with the case's own query (issue 12 item 6b, issue 14).
        register_case_annotations(case_page_annotations, page_only=True)

        from tafel.access.backends import register_user_columns

        from .selectors import unread_apply, unread_columns

        # The bell's unread count comes with the signed-in user (issue 14).
        register_user_columns(unread_columns, unread_apply)
