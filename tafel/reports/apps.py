from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tafel.reports"
    verbose_name = "Monitor en rapportages"
    default_auto_field = "django.db.models.BigAutoField"
