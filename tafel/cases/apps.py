from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "tafel.cases"
    label = "cases"
