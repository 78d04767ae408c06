from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tafel.core"
    label = "core"
