"""Issue 14, the monitor's current quarter: store each case's number of partner organisations and fill it for
existing cases in one set-based UPDATE (the rule and its writers: tafel/cases/partners.py); and extend the
(status, municipality) index with the moment of the last status change, so the caseload of the current quarter
is read from the index alone."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    # One UPDATE with a correlated count per case (no row is read into Python).
    from tafel.cases.partners import refresh_partner_counts

    refresh_partner_counts(apps.get_model("cases", "Case"), apps.get_model("cases", "CaseOrganisation"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_werkvoorraad_section_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="case", name="cases_case_status_66a8ca_idx"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["status", "municipality", "status_changed_at"], name="case_status_municipality"),
        ),
        migrations.AddField(
            model_name="case",
            name="partner_count",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
