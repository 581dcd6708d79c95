"""Pages of 教师发展: each reader sees what their scope allows; bad input is a Chinese message
naming the field with 400 and nothing written; the ladder's criteria are checked on application."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mofang.governance.teacher_dev import services
from mofang.governance.teacher_dev.models import ActivityRecord, LadderApplication, LadderLevel, PointRule, Studio
from mofang.platform.audit.models import AuditEntry
from mofang.platform.cases import services as cases

pytestmark = pytest.mark.django_db


def _visit(td, **kw):
    return ActivityRecord.objects.create(
        school=td.tree.school,
        staff=kw.get("staff", td.mao),
        record_no=kw.get("no", "JF-1"),
        category="home_visit",
        date=timezone.localdate() - dt.timedelta(days=1),
        quantity=1,
        title=kw.get("title", "毛玉梅的家访"),
    )


def test_a_teacher_sees_only_her_own_points(td, client):
    _visit(td)
    _visit(td, staff=td.colleague, no="JF-2", title="王丽华的家访")
    client.force_login(td.teacher_user)
    mine = client.get("/teacher_dev/my/").content.decode()
    assert "毛玉梅的家访" in mine and "王丽华的家访" not in mine
    assert client.get(f"/teacher_dev/teachers/{td.mao.pk}/statement/").status_code == 200
    assert client.get(f"/teacher_dev/teachers/{td.colleague.pk}/").status_code == 404
    assert client.get("/teacher_dev/ranking/").status_code == 403
    assert client.get("/teacher_dev/rules/").status_code == 403


def test_the_school_ranks_its_teachers_and_another_county_sees_none(td, client):
    _visit(td)
    client.force_login(td.principal)
    page = client.get(f"/teacher_dev/ranking/?org={td.tree.school.pk}").content.decode()
    assert page.index("毛玉梅") < page.index("王丽华")
    client.force_login(td.other_county)
    assert client.get(f"/teacher_dev/ranking/?org={td.tree.school.pk}").status_code == 404
    assert client.get(f"/teacher_dev/teachers/{td.mao.pk}/").status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        ({"points_per_unit": "abc"}, "每单位积分应为数字"),
        ({"points_per_unit": "-1"}, "每单位积分应在"),
        ({"cap_period": "month", "cap": ""}, "积分上限不能为空"),
        ({"category": "x"}, "积分类别：请选择积分类别"),
        ({"effective_from": "明天"}, "生效日期：请填写日期"),
        ({"cap_period": "week"}, "上限周期"),
    ],
)
def test_a_bad_rule_is_refused_with_the_fields_name(td, client, data, message):
    client.force_login(td.county)
    before = PointRule.objects.count()
    form = {
        "category": "home_visit",
        "points_per_unit": "2",
        "cap": "",
        "cap_period": "none",
        "effective_from": "2026-09-01",
    }
    r = client.post(f"/teacher_dev/rules/?county={td.tree.county.pk}", form | data)
    assert r.status_code == 400 and message in r.content.decode()
    assert PointRule.objects.count() == before


def test_the_county_sets_a_rule_audited(td, client):
    client.force_login(td.county)
    form = {
        "category": "home_visit",
        "points_per_unit": "2",
        "cap": "30",
        "cap_period": "year",
        "effective_from": "2026-09-01",
    }
    r = client.post(f"/teacher_dev/rules/?county={td.tree.county.pk}", form)
    assert r.status_code == 200 and "已保存" in r.content.decode()
    assert AuditEntry.objects.filter(summary__contains="设置常山县积分规则：家访").exists()
    client.force_login(td.other_county)
    assert client.post(f"/teacher_dev/rules/?county={td.tree.county.pk}", form).status_code == 404


def test_an_application_goes_through_the_case_engine(td, client):
    levels = {lv.rank: lv for lv in LadderLevel.objects.all()}
    client.force_login(td.teacher_user)
    r = client.post("/teacher_dev/ladder/", {"level": str(levels[2].pk), "statement": "申报"})
    assert r.status_code == 400 and "尚不符合教坛新秀的条件：须先取得教坛新苗" in r.content.decode()
    r = client.post("/teacher_dev/ladder/", {"level": str(levels[1].pk), "statement": ""})
    assert r.status_code == 400 and "申报材料说明" in r.content.decode()
    r = client.post("/teacher_dev/ladder/", {"level": str(levels[1].pk), "statement": "任教满一年"})
    assert r.status_code == 200 and "已提交教坛新苗申报" in r.content.decode()
    app = LadderApplication.objects.get()
    assert app.case.responsible_org == td.tree.county and app.case.reporting_org == td.tree.school
    with pytest.raises(ValidationError):
        cases.fire(app.case, "recognize", acting_user=td.county)  # the school recommends first
    cases.fire(app.case, "recommend", acting_user=td.principal)
    cases.fire(app.case, "recognize", acting_user=td.county)
    assert services.current_level(td.mao).level.name == "教坛新苗"
    page = client.get("/teacher_dev/ladder/").content.decode()
    assert "当前层级：<b>教坛新苗</b>" in page


def _studio(td, name: str, subject: str, founded_on: dt.date):
    """A studio the county sets up with 毛玉梅 as its host."""
    return services.create_studio(name=name, subject=subject, host=td.mao, founded_on=founded_on, acting_user=td.county)


def test_the_host_logs_studio_activities_and_others_may_not(td, client):
    studio = _studio(td, "常山县小学数学名师工作室", "数学", dt.date(2026, 3, 1))
    client.force_login(td.teacher_user)
    r = client.post(
        f"/teacher_dev/studios/{studio.pk}/",
        {"form": "activity", "date": "2026-04-01", "kind": "研修", "title": "作业设计研修", "participants": "12"},
    )
    assert r.status_code == 200 and "已登记活动：作业设计研修" in r.content.decode()
    r = client.post(
        f"/teacher_dev/studios/{studio.pk}/", {"form": "activity", "date": "2099-01-01", "kind": "研修", "title": "x"}
    )
    assert r.status_code == 400 and "日期：不能晚于今天" in r.content.decode()
    r = client.post(
        f"/teacher_dev/studios/{studio.pk}/",
        {"form": "output", "date": "2026-04-01", "kind": "论文", "title": "论文", "author": str(td.colleague.pk)},
    )
    assert r.status_code == 400 and "作者：须为工作室成员" in r.content.decode()
    client.force_login(td.colleague_user)
    r = client.post(
        f"/teacher_dev/studios/{studio.pk}/", {"form": "activity", "date": "2026-04-01", "kind": "研修", "title": "x"}
    )
    assert r.status_code == 403


def test_the_county_sets_up_a_studio_and_adds_a_member_by_staff_number(td, client):
    client.force_login(td.county)
    r = client.post(
        "/teacher_dev/studios/", {"name": "常山县小学语文名师工作室", "subject": "语文", "host_no": "无此人"}
    )
    assert r.status_code == 400 and "主持人工号：工号不存在" in r.content.decode()
    r = client.post(
        "/teacher_dev/studios/", {"name": "常山县小学语文名师工作室", "subject": "语文", "host_no": td.mao.staff_no}
    )
    assert r.status_code == 200 and "已设立常山县小学语文名师工作室" in r.content.decode()
    studio = Studio.objects.get()
    r = client.post(f"/teacher_dev/studios/{studio.pk}/", {"form": "member", "staff_no": td.colleague.staff_no})
    assert r.status_code == 200 and "已添加成员：王丽华" in r.content.decode()
    r = client.post(f"/teacher_dev/studios/{studio.pk}/", {"form": "member", "staff_no": td.outsider.staff_no})
    assert r.status_code == 400 and "教师工号：工号不存在或不在您的数据范围内" in r.content.decode()
    client.force_login(td.teacher_user)
    assert (
        client.post("/teacher_dev/studios/", {"name": "x", "subject": "y", "host_no": td.mao.staff_no}).status_code
        == 403
    )


def test_a_teacher_of_a_county_unit_may_join_the_countys_studio(td):
    """A 教研员 of the county's 教师发展中心 (a unit under the county, not a school) is a teacher of the
    county: membership reads the county of the teacher's unit, not of a school the unit lacks."""
    from mofang.platform.orgs.models import OrgKind
    from mofang.platform.testing import add, make_staff

    centre = add(td.tree.county, "常山县教师发展中心", OrgKind.DEPARTMENT)
    researcher = make_staff(centre, "县教研员", phone="13905700009")
    studio = _studio(td, "常山县小学语文名师工作室", "语文", dt.date(2025, 3, 1))
    member = services.add_member(studio, researcher, role="成员", joined_on=dt.date(2025, 3, 1), acting_user=td.county)
    assert member.staff == researcher
    with pytest.raises(ValidationError, match="工作室成员须为本县教师"):
        services.add_member(studio, td.outsider, joined_on=dt.date(2025, 3, 1), acting_user=td.county)
