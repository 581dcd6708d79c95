"""The indicators the seeds name that the platform's data (or an import) can already feed,
and the validation rules over their facts: every entry registered in indicators/catalogue.py by
the core and by the installed modules (catalogue.ship also runs after each later migrate)."""

from django.db import migrations


def seed(apps, schema_editor):
    from mofang.platform.indicators.catalogue import ship

    ship(apps.get_model("indicators", "Indicator"), apps.get_model("indicators", "ValidationRule"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
