"""The 政令一键智达 demo story in 衢州市 and 常山县:

- 衢州市 sends 防溺水 notice to its counties (to be forwarded); 常山县 forwarded it to all its schools
  and most have signed — 常山县第一小学 has not yet (principal_cs1's 待办); 江山市 only signed;
- 常山县's 专任教师配备 填报 (a table of teachers) closed two days ago: most answered on time,
  one late (逾期), the rest overdue;
- 常山县's open 课后服务 填报: a few schools answered, 常山县第一小学 still to do.
"""

import datetime as dt

from django.utils import timezone

from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.web.formspec import parse_form_spec

from . import services
from .models import Directive

CITY_CODE, COUNTY_CODE = "330800", "330822"
SUBJECTS = ["语文", "数学", "英语", "科学", "体育", "音乐", "美术", "道德与法治"]
TEACHER_SPEC = (
    "在校学生数|数字|必填\n是否寄宿制|选项|必填|是,否\n专任教师|表格|必填|姓名:文本,学科:文本,教龄:数字,入职日期:日期"
)
AFTERSCHOOL_SPEC = (
    "参加课后服务学生数|数字|必填\n服务模式|选项|必填|基本托管,托管+拓展\n开始日期|日期|必填\n实施方案|文件"
)


def _teacher_answer(rng, n_rows: int) -> dict:
    data = {"f_f1": str(rng.randint(300, 1800)), "f_f2": rng.choice(["是", "否"])}
    for r in range(n_rows):
        year = rng.randint(1995, 2024)
        data.update(
            {
                f"f_f3__{r}__0": rng.choice("王李张刘陈杨黄赵吴周")
                + rng.choice(["丽华", "建国", "晓燕", "志强", "雅琴", "海峰"]),
                f"f_f3__{r}__1": rng.choice(SUBJECTS),
                f"f_f3__{r}__2": str(2026 - year),
                f"f_f3__{r}__3": f"{year}-08-{rng.randint(20, 31)}",
            }
        )
    return data


def build(ctx) -> None:
    city = OrgUnit.objects.filter(kind=OrgKind.CITY, code=CITY_CODE).first()
    county = OrgUnit.objects.filter(kind=OrgKind.COUNTY, code=COUNTY_CODE).first()
    city_admin, admin, principal = (ctx.users.get(u) for u in ("admin_qz", "admin_cs", "principal_cs1"))
    if city is None or county is None or admin is None or city_admin is None:
        ctx.log("政令一键智达：未找到衢州市、常山县或演示账号，跳过")
        return
    if Directive.objects.filter(sender_org=city).exists():
        ctx.log("政令一键智达：已生成，跳过")
        return
    rng = ctx.rng
    now = timezone.now()
    story = principal.active_memberships()[0].org if principal is not None else None
    schools = list(OrgUnit.objects.filter(kind=OrgKind.SCHOOL, path__startswith=county.path).order_by("path"))
    if story is None or story not in schools:
        ctx.log("政令一键智达：未找到常山县第一小学，跳过")
        return
    # a small demo (--scale 0.02) has only the story school in 常山县: its part of the story still holds
    others = [s for s in schools if s.pk != story.pk]

    # A. 衢州市 → counties (forward-only); 常山县 forwards to its schools
    counties = list(OrgUnit.objects.filter(kind=OrgKind.COUNTY, path__startswith=city.path).order_by("path"))
    sent = now - dt.timedelta(days=10)
    notice = services.send_directive(
        sender_org=city,
        title="关于开展暑期防溺水安全教育的通知",
        body="各区县教育局：\n暑期将至，请组织所属学校开展防溺水专题教育，落实“七不一会”要求，"
        "并将通知转发至所属各中小学、幼儿园。",
        kind="notice",
        deadline=now + dt.timedelta(days=5),
        targets=counties,
        forward_required=True,
        rule={"kind": "county"},
        acting_user=city_admin,
        now=sent,
    )
    for d in notice.deliveries.select_related("unit"):
        if d.unit_id == county.pk:
            services.sign(d, acting_user=admin, now=sent + dt.timedelta(hours=2))
            child = services.forward(
                d,
                title=notice.title,
                body=notice.body,
                deadline=now + dt.timedelta(days=3),
                targets=schools,
                rule={"kind": "school", "regions": [county.pk]},
                acting_user=admin,
                now=sent + dt.timedelta(hours=3),
            )
            for cd in child.deliveries.exclude(unit=story).order_by("unit__path"):
                if rng.random() < 0.7:
                    services.sign(cd, acting_user=None, now=sent + dt.timedelta(hours=rng.randint(4, 120)))
        elif rng.random() < 0.6:
            services.sign(d, acting_user=None, now=sent + dt.timedelta(hours=rng.randint(3, 72)))

    # B. 常山县 专任教师配备 填报 (table rows), closed two days ago
    sent = now - dt.timedelta(days=14)
    closed = services.send_directive(
        sender_org=county,
        title="关于报送2026年秋季学期专任教师配备情况的通知",
        body="各学校：\n请如实填报在校学生数与专任教师名单（每位教师一行），作为教师编制核定依据。",
        kind="task",
        deadline=now - dt.timedelta(days=2),
        targets=schools,
        fields=parse_form_spec(TEACHER_SPEC),
        rule={"kind": "school", "regions": [county.pk]},
        acting_user=admin,
        now=sent,
    )
    deliveries = list(closed.deliveries.order_by("unit__path"))
    late_one = next((d for d in deliveries if d.unit_id != story.pk), None)
    for d in deliveries:
        actor = principal if d.unit_id == story.pk else None
        if d is late_one:
            when = closed.deadline + dt.timedelta(hours=20)
        elif d.unit_id == story.pk or rng.random() < 0.65:
            when = sent + dt.timedelta(days=rng.randint(1, 10))
        else:
            if rng.random() < 0.5:
                services.sign(d, acting_user=None, now=sent + dt.timedelta(days=1))
            continue
        services.answer(d, _teacher_answer(rng, rng.randint(2, 5)), {}, acting_user=actor, now=when)
    services.set_locked(closed, True, acting_user=admin)

    # C. 常山县 课后服务 填报, open
    sent = now - dt.timedelta(days=2)
    task = services.send_directive(
        sender_org=county,
        title="关于报送秋季学期课后服务开展情况的通知",
        body="各学校：\n请填报本学期课后服务参加学生数、服务模式与开始日期，并上传实施方案。",
        kind="task",
        deadline=now + dt.timedelta(days=7),
        targets=schools,
        fields=parse_form_spec(AFTERSCHOOL_SPEC),
        rule={"kind": "school", "regions": [county.pk]},
        acting_user=admin,
        now=sent,
    )
    for d in task.deliveries.exclude(unit=story).order_by("unit__path")[: max(1, len(others) // 3)]:
        services.answer(
            d,
            {
                "f_f1": str(rng.randint(200, 1500)),
                "f_f2": rng.choice(["基本托管", "托管+拓展"]),
                "f_f3": (now - dt.timedelta(days=20)).date().isoformat(),
            },
            {},
            acting_user=None,
            now=sent + dt.timedelta(hours=rng.randint(2, 40)),
        )
    ctx.log(f"政令一键智达：衢州市通知1件（常山县已转发至{len(schools)}所学校），常山县填报任务2件")
