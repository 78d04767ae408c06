"""Issue 14, the werkvoorraad's other sections: "my cases" and "waiting for information" read from indexes in
their order. The new procesregisseur index starts with the old one's columns, so it replaces it (built first)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_stored_triage_deadlines"),
        ("organisations", "0002_alter_userrole_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["procesregisseur", "status", "status_changed_at", "id"], name="case_procesregisseur_status"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["casusregisseur", "status", "status_changed_at", "id"], name="case_casusregisseur_status"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["status", "status_changed_at", "id"], name="case_status_changed"),
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="cases_case_procesr_849670_idx",
        ),
    ]
