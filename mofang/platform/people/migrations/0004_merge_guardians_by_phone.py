"""Guardians were one per school; now one per phone. Its own migration (own transaction): on
PostgreSQL rows changed here leave deferred trigger events that forbid building an index in the
same transaction, so the unique constraint follows in 0005."""

from django.db import migrations


def merge_guardians_by_phone(apps, schema_editor):
    """Guardians were one per school; now one per phone: fold duplicates into the oldest row."""
    Guardian = apps.get_model("people", "Guardian")
    Guardianship = apps.get_model("people", "Guardianship")
    keep: dict[str, int] = {}
    for pk, phone_hash, user_id in (Guardian.objects.exclude(phone_hash="").order_by("phone_hash", "-user_id", "pk")
                                    .values_list("pk", "phone_hash", "user_id")):
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
