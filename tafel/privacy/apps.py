from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "tafel.privacy"
    label = "privacy"
    verbose_name = "Privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tafel.core.registry import register_audit_event_types

        from . import audit_events

        register_audit_event_types(
            audit_events.PrivacyEvent, actions=audit_events.ACTIONS, purposes=audit_events.PURPOSES
        )

        from tafel.cases.access import register_item_facts

        from .selectors import item_facts

        # The policy's item rules read shares, restrictions, consents and the reglement through this loader.
        register_item_facts(item_facts)

        from tafel.meetings.family import register_share_reader

        from .selectors import case_shares

        # The family's view of the plan says what kind of information was shared with whom (issue 12, item 6).
        register_share_reader(case_shares)

        from tafel.cases.detail import register_case_annotations

        from .case_page import case_page_annotations, preload_item_context

        # The case page's reglement and item-rule rows come with the case's own query (issue 14).
        register_case_annotations(case_page_annotations, preload=preload_item_context)

        from tafel.lifecycle.selectors import register_feed_events

        # Consent and attachments are changes of a case the other participants may learn of (the case-event feed).
        register_feed_events(
            {
                audit_events.PrivacyEvent.CONSENT_RECORD,
                audit_events.PrivacyEvent.CONSENT_WITHDRAW,
                audit_events.PrivacyEvent.ATTACHMENT_ADD,
            },
            items={(audit_events.PrivacyEvent.ATTACHMENT_ADD, "attachment"): ("privacy", "CaseAttachment")},
        )
