from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tafel.reports"
    verbose_name = "Monitor en rapportages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tafel.privacy.services.retention import RetentionPart, register_retention_part

        # Destroying a case (privacy, below this app) keeps its re-entry history in the statistics row and takes
        # the case-review answers with it.
        register_retention_part(RetentionPart(kept=_kept_of_case, dependants=_review_answers))

        from tafel.core.registry import register_audit_listener
        from tafel.reports.stored import on_audit

        # A write to a case makes the stored figures of the quarters it counts in stale (tafel.reports.stored).
        register_audit_listener(on_audit)


def _kept_of_case(case_id: int) -> dict:
    from tafel.reports.indicators.uitkomst import reentry_history

    return {"reentry_exits": reentry_history(case_id)}


def _review_answers(case_id: int) -> list:
    from tafel.reports.learning import case_review_responses

    return list(case_review_responses(case_id))
