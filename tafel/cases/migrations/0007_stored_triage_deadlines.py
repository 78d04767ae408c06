"""Issue 14, the werkvoorraad: store each aanmelding's response deadline and each case's earliest (the triage
deadline), fill them for existing rows, and let the database keep the queue's rank beside them, with one index
in the queue's order. The rule and its writers: tafel/cases/deadlines.py."""

import django.db.models.expressions
from django.db import migrations, models


def backfill(apps, schema_editor):
    # Two set-based UPDATEs per table (no row is read into Python): on SQLite the local date is Django's
    # registered date-cast function, on PostgreSQL `AT TIME ZONE`. At 1,000,000 cases see docs/performance.md.
    from tafel.cases.deadlines import refresh_deadlines

    refresh_deadlines(apps.get_model("cases", "Aanmelding"), apps.get_model("cases", "Case"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_merge_20261204_2119"),
    ]

    operations = [
        migrations.AddField(
            model_name="aanmelding",
            name="response_deadline",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="case",
            name="triage_deadline",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddField(
            model_name="case",
            name="triage_rank",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.expressions.CombinedExpression(
                    models.Case(
                        models.When(then=models.Value(0), urgency="acuut"),
                        models.When(then=models.Value(2), urgency="hoog"),
                        models.When(then=models.Value(4), urgency="normaal"),
                        default=models.Value(6),
                    ),
                    "+",
                    models.Case(
                        models.When(then=models.Value(1), triage_deadline__isnull=True), default=models.Value(0)
                    ),
                ),
                output_field=models.PositiveSmallIntegerField(),
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["status", "triage_rank", "triage_deadline", "created_at", "id"], name="case_triage_queue"
            ),
        ),
    ]
