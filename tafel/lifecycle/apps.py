from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "tafel.lifecycle"
    verbose_name = "Na het overleg: opvolging, escalatie, afsluiting"

    def ready(self):
        from tafel.core.notifications import register_sender

        from .services._common import notify

        # Cases and meetings sit below this app and notify through core (tafel.core.notifications).
        register_sender(notify)
