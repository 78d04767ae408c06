from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tafel.api"
    label = "api"
