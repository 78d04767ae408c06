from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "tafel.privacy"
    label = "privacy"
    verbose_name = "Privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tafel.access.policy import register_item_facts

        from .selectors import item_facts

        # The policy's item rules read shares, restrictions, consents and the reglement through this loader.
        register_item_facts(item_facts)

        from tafel.meetings.family import register_share_reader

        from .selectors import case_shares

        # The family's view of the plan says what kind of information was shared with whom (issue 12, item 6).
        register_share_reader(case_shares)
