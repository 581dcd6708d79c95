from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_phone_code'),
    ]

    operations = [
        migrations.CreateModel(
            name='PhoneCodeLock',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phone_hash', models.CharField(max_length=40, unique=True)),
            ],
            options={
                'verbose_name': '短信验证码发送锁',
                'verbose_name_plural': '短信验证码发送锁',
            },
        ),
    ]
