"""The starting catalogue of interventions (SPEC §2); the beheerder extends it in the admin."""

from django.db import migrations

CATALOGUE = [
    ("mst", "MST (multisysteemtherapie)", "care"),
    ("isd", "ISD-maatregel", "criminal"),
    ("ots", "Ondertoezichtstelling (OTS)", "civil"),
    ("jeugdreclassering", "Jeugdreclassering", "criminal"),
    ("huisverbod", "Tijdelijk huisverbod", "civil"),
    ("contactverbod", "Contactverbod", "criminal"),
    ("locatieverbod", "Locatieverbod", "criminal"),
    ("reclasseringstoezicht", "Reclasseringstoezicht", "criminal"),
    ("detentie", "Detentie", "criminal"),
    ("uithuisplaatsing", "Uithuisplaatsing", "civil"),
    ("schuldhulp", "Schuldhulpverlening", "care"),
    ("ambulante_spoedhulp", "Ambulante spoedhulp", "care"),
    ("curatele_bewind", "Curatele / beschermingsbewind", "civil"),
    ("ggz_behandeling", "GGZ-behandeling", "care"),
    ("verslavingszorg", "Verslavingszorg", "care"),
]


def forwards(apps, schema_editor):
    InterventionType = apps.get_model("lifecycle", "InterventionType")
    for code, name, track in CATALOGUE:
        InterventionType.objects.update_or_create(code=code, defaults={"name": name, "track": track})


def backwards(apps, schema_editor):
    apps.get_model("lifecycle", "InterventionType").objects.filter(code__in=[c for c, _, _ in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("lifecycle", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
