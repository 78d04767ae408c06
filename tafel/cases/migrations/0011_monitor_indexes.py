"""Issue 14, the monitor's current quarter: two indexes on the aanmeldingen so that the monitor reads a period's
aanmeldingen (by route, with their case) and a case's aanmeldingen in a window from the index alone; and the
triage decisions' index by moment widened with the columns the outcome and lead-time figures read."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_triage_criteria_argued"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="aanmelding",
            index=models.Index(fields=["created_at", "route", "case"], name="aanmelding_created_route_case"),
        ),
        migrations.AddIndex(
            model_name="aanmelding",
            index=models.Index(fields=["case", "created_at"], name="aanmelding_case_created"),
        ),
        migrations.RemoveIndex(model_name="triage", name="triage_decided_at"),
        migrations.AddIndex(
            model_name="triage",
            index=models.Index(
                fields=["decided_at", "outcome", "lokaal_reason", "aanmelding", "case"], name="triage_decided_cover"
            ),
        ),
    ]
