"""Demo story for 常山县 (330822): a register imported through the import path — most children on
the roll, three with no roll record, a dropout and a 休学 of over a year, two transfers out never
received — so each of the three lists has children in it, and one case already in 劝返."""

import datetime as dt
import os
import tempfile

from django.utils import timezone

from mofang.platform.imports.base import ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people import identity, roll
from mofang.platform.people.models import RollStatus, Student

from . import rules, services
from .importers import RegisterImporter
from .models import ChildCase, RegisterBatch

COUNTY_CODE = "330822"
UNREGISTERED = [("周小雨", "20150614", "F"), ("吴天乐", "20130908", "M"), ("郑可欣", "20180222", "F")]


def _id_number(region: str, birth: str, sex: str, n: int) -> str:
    order = f"{n % 100:02d}{1 if sex == 'M' else 2}"
    body = f"{region}{birth}{order}"
    return body + identity.id_check_digit(body)


def build(ctx) -> None:
    county = OrgUnit.objects.filter(code=COUNTY_CODE, kind=OrgKind.COUNTY).first()
    admin = ctx.users.get("admin_cs")
    if county is None or admin is None:
        ctx.log("控辍保学：未找到常山县或其管理员，跳过")
        return
    if RegisterBatch.objects.filter(county=county).exists():
        return
    earliest, latest = rules.compulsory_birth_range(timezone.localdate())
    students = list(
        Student.objects.filter(
            school__path__startswith=county.path,
            status=RollStatus.ENROLLED,
            birth_date__gte=earliest,
            birth_date__lte=latest,
        )
        .exclude(guardianships__guardian__user__isnull=False)  # the demo parents' children stay in school
        .select_related("school")
        .order_by("pk")[:40]
    )
    if len(students) < 10:
        ctx.log("控辍保学：常山县适龄学生不足，跳过")
        return
    today = timezone.localdate()
    roll.record_dropout(students[0], acting_user=admin, reason="厌学在家", occurred_on=today - dt.timedelta(days=60))
    roll.suspend(students[1], acting_user=admin, reason="病休", occurred_on=today - dt.timedelta(days=420))
    roll.transfer_out(students[2], acting_user=admin, to_school="江西省玉山县某小学")
    roll.transfer_out(students[3], acting_user=admin, to_school="杭州市某学校")
    rows = [[s.name, identity.unseal(s.id_number_sealed), COUNTY_CODE, f"{COUNTY_CODE}101", "", ""] for s in students]
    rows += [
        [name, _id_number(COUNTY_CODE, birth, sex, i), COUNTY_CODE, f"{COUNTY_CODE}102", "", ""]
        for i, (name, birth, sex) in enumerate(UNREGISTERED, start=31)
    ]
    fd, path = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            import csv

            w = csv.writer(f)
            w.writerow(["姓名", "身份证号", "户籍地区划代码", "居住地区划代码", "出生日期", "性别"])
            w.writerows(rows)
        result = import_file(RegisterImporter(), path, "常山县适龄儿童名册.csv", ImportContext(user=admin, org=county))
    finally:
        os.unlink(path)
    if result["error_count"]:
        ctx.log(f"控辍保学：名册导入失败 {result['errors'][:3]}")
        return
    first = ChildCase.objects.filter(county=county, list_kind="no_record").order_by("pk").first()
    if first is not None:
        services.persuade(first, acting_user=admin, comment="已家访核实：孩子在家，家长同意返校，正在劝返")
    ctx.log(f"控辍保学：常山县名册{len(rows)}名适龄儿童，立案{ChildCase.objects.filter(county=county).count()}件")
