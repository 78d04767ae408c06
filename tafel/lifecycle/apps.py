from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "tafel.lifecycle"
    verbose_name = "Na het overleg: opvolging, escalatie, afsluiting"
