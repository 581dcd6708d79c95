"""The six rungs of the growth ladder with their criteria (the county may change the criteria)."""

from decimal import Decimal

from django.db import migrations

from . import LEVELS

def add_levels(apps, schema_editor):
    level = apps.get_model("teacher_dev", "LadderLevel")
    for rank, name, years, points, hours, text in LEVELS:
        level.objects.get_or_create(
            rank=rank,
            defaults=dict(
                name=name,
                min_years_below=years,
                min_points=Decimal(points),
                min_training_hours=Decimal(hours),
                criteria=text,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("teacher_dev", "0001_initial")]
    operations = [migrations.RunPython(add_levels, migrations.RunPython.noop)]
