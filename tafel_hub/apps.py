from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "tafel_hub"
    label = "tafel_hub"
    verbose_name = "Federatiehub"
    default_auto_field = "django.db.models.BigAutoField"
