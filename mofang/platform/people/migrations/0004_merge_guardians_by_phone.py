"""Guardians were one per school; now one per phone. Its own migration (own transaction): on
PostgreSQL rows changed here leave deferred trigger events that forbid building an index in the
same transaction, so the unique constraint follows in 0005."""

from django.db import migrations, models


def merge_guardians_by_phone(apps, schema_editor):
    """Guardians were one per school; now one per phone: fold duplicates into one row."""
    Guardian = apps.get_model("people", "Guardian")
    Guardianship = apps.get_model("people", "Guardianship")
    keep: dict[str, int] = {}
    # per phone, the row linked to a login (if any) is kept, else the oldest
    rows = (Guardian.objects.exclude(phone_hash="")
            .order_by("phone_hash", models.F("user_id").desc(nulls_last=True), "pk").values_list("pk", "phone_hash"))
    for pk, phone_hash in rows:
        first = keep.setdefault(phone_hash, pk)
        if first == pk:
            continue
        for link in Guardianship.objects.filter(guardian_id=pk):
            if Guardianship.objects.filter(guardian_id=first, student_id=link.student_id).exists():
                link.delete()
            else:
                Guardianship.objects.filter(pk=link.pk).update(guardian_id=first)
        Guardian.objects.filter(pk=pk).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_staff_profile_guardians_by_phone_bindings'),
    ]

    operations = [
        migrations.RunPython(merge_guardians_by_phone, migrations.RunPython.noop),
    ]
