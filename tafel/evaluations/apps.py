from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "tafel.evaluations"
    verbose_name = "Casusevaluaties"
