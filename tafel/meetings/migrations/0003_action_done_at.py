"""When an action was done: a new field, filled for actions already done from their last update (the owner's
report that set them done is the last change the service recorded on them)."""

from django.db import migrations, models
from django.db.models import F


def backfill_done_at(apps, schema_editor):
    Action = apps.get_model("meetings", "Action")
    Action.objects.filter(status="gedaan", done_at__isnull=True, updated_at__isnull=False).update(
        done_at=F("updated_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_overleg_types"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="done_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="afgerond op"),
        ),
        migrations.RunPython(backfill_done_at, migrations.RunPython.noop),
    ]
