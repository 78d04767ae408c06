from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """Koppelingen with the partners' and the government's systems: OpenID Connect login per partner
    organisation, the CORV Zorgformulier Politie import, the BRP lookup at intake and the webhook
    subscriptions of the event feed (issue 15)."""

    name = "tafel.integrations"
    label = "integrations"
    verbose_name = _("Koppelingen")

    def ready(self):
        from tafel.core.registry import register_audit_event_types

        from . import audit_events

        register_audit_event_types(
            audit_events.IntegrationEvent,
            actions=audit_events.ACTIONS,
            purpose=audit_events.PURPOSE,
            purposes=audit_events.PURPOSES,
        )

        from tafel.core.registry import register_login_context

        register_login_context(_identity_providers)


def _identity_providers() -> dict:
    from tafel.integrations.selectors import login_providers

    return {"identity_providers": login_providers()}
