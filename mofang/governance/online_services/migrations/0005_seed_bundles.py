"""The catalogue's seed bundles (bundles.SEED): 转学一件事, 复学一件事."""

from django.db import migrations


def seed(apps, schema_editor):
    from mofang.governance.online_services.bundles import ensure_seed

    ensure_seed(apps.get_model("online_services", "Bundle"))


class Migration(migrations.Migration):
    dependencies = [("online_services", "0004_bundles")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
