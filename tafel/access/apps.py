from django.apps import AppConfig


class AccessConfig(AppConfig):
    """The access policy (no models): who may see and do what, the admin site's door and the audit log page."""

    name = "tafel.access"
    label = "access"
