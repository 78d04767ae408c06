from django.apps import AppConfig


class PersonsConfig(AppConfig):
    name = "tafel.persons"
    label = "persons"
