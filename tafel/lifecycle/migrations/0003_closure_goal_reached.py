"""Whether the joint goal was reached, asked at afsluiting and afschaling. Earlier closures keep NULL: the
monitor counts them as "onbekend"."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0002_intervention_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="closure",
            name="goal_reached",
            field=models.CharField(
                blank=True,
                choices=[("bereikt", "Bereikt"), ("deels", "Deels bereikt"), ("niet", "Niet bereikt")],
                max_length=10,
                null=True,
                verbose_name="gezamenlijk doel bereikt",
            ),
        ),
        migrations.AddIndex(
            model_name="closure",
            index=models.Index(fields=["at"], name="lifecycle_c_at_4ff2ba_idx"),
        ),
    ]
