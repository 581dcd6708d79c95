"""The six rungs of the growth ladder with their criteria (the county may change the criteria)."""

from decimal import Decimal

from django.db import migrations

LEVELS = (
    (1, "教坛新苗", 0, "0", "0", "任教满1年，师德考核合格"),
    (2, "教坛新秀", 2, "40", "72", "取得教坛新苗满2年，上一年度积分不少于40分，本周期继续教育不少于72学时"),
    (3, "教学能手", 3, "60", "144", "取得教坛新秀满3年，上一年度积分不少于60分，本周期继续教育不少于144学时"),
    (4, "学科带头人", 3, "80", "216", "取得教学能手满3年，上一年度积分不少于80分，本周期继续教育不少于216学时"),
    (5, "名师", 3, "100", "288", "取得学科带头人满3年，上一年度积分不少于100分，本周期继续教育不少于288学时"),
    (6, "特级教师", 5, "120", "360", "取得名师满5年，上一年度积分不少于120分，本周期继续教育满360学时，经省评审"),
)


def add_levels(apps, schema_editor):
    level = apps.get_model("teacher_dev", "LadderLevel")
    for rank, name, years, points, hours, text in LEVELS:
        level.objects.get_or_create(
            rank=rank,
            defaults=dict(
                name=name,
                min_years_below=years,
                min_points=Decimal(points),
                min_training_hours=Decimal(hours),
                criteria=text,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("teacher_dev", "0001_initial")]
    operations = [migrations.RunPython(add_levels, migrations.RunPython.noop)]
