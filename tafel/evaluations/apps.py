from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "tafel.evaluations"
    verbose_name = "Casusevaluaties"

    def ready(self):
        from tafel.core.registry import register_audit_event_types

        from . import audit_events

        register_audit_event_types(
            audit_events.EvaluationEvent, actions=audit_events.ACTIONS, purpose=audit_events.PURPOSE
        )

        from tafel.lifecycle.selectors import register_feed_events

        # The casusevaluatie's changes are in the case-event feed.
        register_feed_events(
            {
                audit_events.EvaluationEvent.EVALUATION_CREATE,
                audit_events.EvaluationEvent.EVALUATION_UPDATE,
                audit_events.EvaluationEvent.EVALUATION_FINALISE,
                audit_events.EvaluationEvent.EVALUATION_REOPEN,
            }
        )
