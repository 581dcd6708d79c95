"""分类审批规则 move to the case engine's one routing table (cases.RouteRule, table
"institutions.application"): every row copied as it is — county, category, department, and
updated_at. Backwards, the engine's rows of this table come back (their notes are dropped: the
old table had none)."""

from django.db import migrations

TABLE = "institutions.application"  # the table's code when this migration was written (cases.APPLICATION_ROUTES)


def forward(apps, schema_editor):
    Old = apps.get_model("institutions", "RouteRule")
    New = apps.get_model("cases", "RouteRule")
    New.objects.bulk_create(
        New(table=TABLE, county_id=r.county_id, category=r.category, department_id=r.department_id)
        for r in Old.objects.order_by("pk")
    )
    # auto_now stamps the copy: carry the rule's own last change over
    for r in Old.objects.all():
        New.objects.filter(table=TABLE, county_id=r.county_id, category=r.category).update(updated_at=r.updated_at)


def backward(apps, schema_editor):
    Old = apps.get_model("institutions", "RouteRule")
    New = apps.get_model("cases", "RouteRule")
    for r in New.objects.filter(table=TABLE).exclude(category="").order_by("pk"):
        Old.objects.create(county_id=r.county_id, category=r.category, department_id=r.department_id)
    New.objects.filter(table=TABLE).delete()


class Migration(migrations.Migration):
    dependencies = [("institutions", "0002_sites_teachers_cases_fees"), ("cases", "0003_routerule")]

    operations = [migrations.RunPython(forward, backward)]
