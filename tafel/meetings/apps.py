from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tafel.meetings"
    verbose_name = "Overleggen"
    default_auto_field = "django.db.models.BigAutoField"
