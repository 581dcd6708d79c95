"""The catalogue's seed services (catalogue.SEED): 转学, 休学, 复学, 学籍证明, 在读证明."""

from django.db import migrations


def seed(apps, schema_editor):
    from mofang.governance.online_services.catalogue import ensure_seed

    ensure_seed(apps.get_model("online_services", "Service"))


class Migration(migrations.Migration):
    dependencies = [("online_services", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
