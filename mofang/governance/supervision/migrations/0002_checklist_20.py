"""The 20-item 责任督学进校督查 list (《责任督学进校督查20看》 is named in seed 003 item 36 but its
items are not listed there; these 20 follow the duties of 责任督学 in the Ministry's
《中小学校责任督学挂牌督导办法》 and the 双减 rules — a county can edit or add lists)."""

from django.db import migrations

ITEMS = [
    "学校章程、发展规划及年度工作计划落实情况",
    "校务公开与家长委员会、家校沟通渠道运行情况",
    "执行国家课程方案，开齐开足上好规定课程",
    "课表与作息时间执行，学生在校时间符合规定",
    "作业总量与时长控制（“双减”作业管理）",
    "课后服务开展与收费规范",
    "有偿补课、教辅材料征订与校外培训管理",
    "学生每天校内体育活动一小时落实情况",
    "学生睡眠、读物、手机管理落实情况",
    "心理健康教育与心理辅导室运行情况",
    "招生入学与学籍管理规范",
    "师德师风与教师队伍管理",
    "校园安全管理制度与安全教育演练",
    "校舍、消防设施与安全隐患排查整改",
    "食堂食品安全与营养膳食管理",
    "上下学交通安全与校园周边环境",
    "卫生保健、传染病防控与近视防控",
    "经费使用与收费公示规范",
    "校园文化建设与德育活动开展",
    "上级督导意见与整改事项落实情况",
]


def ship(apps, schema_editor):
    Checklist = apps.get_model("supervision", "Checklist")
    Item = apps.get_model("supervision", "ChecklistItem")
    cl, _ = Checklist.objects.get_or_create(
        code="responsible-20", defaults={"name": "责任督学进校督查20看",
                                         "source": "条目依据《中小学校责任督学挂牌督导办法》及“双减”要求拟定"})
    for n, text in enumerate(ITEMS, 1):
        Item.objects.get_or_create(checklist=cl, order=n, defaults={"text": text})


def unship(apps, schema_editor):
    apps.get_model("supervision", "Checklist").objects.filter(code="responsible-20").delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(ship, unship)]
