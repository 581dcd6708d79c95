"""The PostgreSQL guards of append-only tables let a purge DELETE through (see pg_guard_function)."""

from django.db import migrations

from mofang.platform.dbutils import repair_pg_guards


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(repair_pg_guards, migrations.RunPython.noop)]
