"""Issue 14, the monitor's current quarter: store on each triage decision how many of its criteria were argued, and
fill it for existing decisions in one set-based UPDATE. The rule and its writers: tafel/cases/argued.py."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    from tafel.cases.argued import refresh_criteria_argued

    refresh_criteria_argued(apps.get_model("cases", "Triage"), apps.get_model("cases", "TriageCriterion"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_stored_partner_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="triage",
            name="criteria_argued",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
