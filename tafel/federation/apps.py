from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "tafel.federation"
    label = "federation"
    verbose_name = _("Federatie")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tafel.core.registry import register_audit_event_types

        from . import audit_events

        register_audit_event_types(audit_events.FederationEvent, actions=audit_events.ACTIONS)

        from tafel.core.registry import register_screening_context

        register_screening_context(_screening_context)


def _screening_context(*, query, searched: bool) -> dict:
    """The intake's screening fragment says whether the federation hub is asked as well (SPEC §6.1)."""
    from tafel.federation import client, tokens

    return {"federation_asks": searched and client.enabled() and tokens.query_allowed(query)}
