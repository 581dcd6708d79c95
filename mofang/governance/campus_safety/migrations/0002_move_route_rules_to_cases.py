"""分派规则 move to the case engine's one routing table (cases.RouteRule, table
"campus_safety.hazard"): every row copied as it is — county, category ("" the catch-all),
department, note, updated_at. Backwards, the engine's rows of this table come back."""

from django.db import migrations

TABLE = "campus_safety.hazard"  # the table's code when this migration was written (cases.ROUTES)


def forward(apps, schema_editor):
    Old = apps.get_model("campus_safety", "RouteRule")
    New = apps.get_model("cases", "RouteRule")
    rows = [
        New(table=TABLE, county_id=r.county_id, category=r.category, department_id=r.department_id, note=r.note)
        for r in Old.objects.order_by("pk")
    ]
    New.objects.bulk_create(rows)
    # auto_now stamps the copy: carry the rule's own last change over
    for r in Old.objects.all():
        New.objects.filter(table=TABLE, county_id=r.county_id, category=r.category).update(updated_at=r.updated_at)


def backward(apps, schema_editor):
    Old = apps.get_model("campus_safety", "RouteRule")
    New = apps.get_model("cases", "RouteRule")
    for r in New.objects.filter(table=TABLE).order_by("pk"):
        Old.objects.create(county_id=r.county_id, category=r.category, department_id=r.department_id, note=r.note)
    New.objects.filter(table=TABLE).delete()


class Migration(migrations.Migration):
    dependencies = [("campus_safety", "0001_initial"), ("cases", "0003_routerule")]

    operations = [migrations.RunPython(forward, backward)]
