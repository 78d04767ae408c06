from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "tafel.federation"
    label = "federation"
    verbose_name = _("Federatie")
    default_auto_field = "django.db.models.BigAutoField"
