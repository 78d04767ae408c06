from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "tafel.organisations"
    label = "organisations"
