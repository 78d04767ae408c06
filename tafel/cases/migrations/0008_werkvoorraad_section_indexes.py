"""Issue 14, the werkvoorraad's other sections: "my cases" and "waiting for information" read from indexes in
their order. The new procesregisseur index starts with the old one's columns, so it replaces it (built first)."""

from django.conf import settings
from django.db import migrations, models


def analyze(apps, schema_editor):
    # 0007 rebuilt the case table on SQLite (a generated column), which drops its planner statistics; the
    # demo generator ANALYZEs after loading for the same reason. Both databases then plan with the new indexes.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")


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
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True),
    ]
