from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0004_merge_guardians_by_phone'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='guardian',
            constraint=models.UniqueConstraint(condition=models.Q(('phone_hash', ''), _negated=True), fields=('phone_hash',), name='guardian_phone_unique'),
        ),
    ]
