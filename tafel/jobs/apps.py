from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "tafel.jobs"
    label = "jobs"
    verbose_name = "Achtergrondtaken"
    default_auto_field = "django.db.models.BigAutoField"
