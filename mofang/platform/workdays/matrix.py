"""The working-day calendar in the permission matrix (see mofang/platform/matrix.py): one local
day declared for 常山县 (inside) and one for 江山市 (outside). The list marks each row with its id
(the "applies to your unit" line would name an ancestor's day, which is not the list's business);
removing a day needs the change permission on the day's region."""

import datetime as dt

from mofang.platform.matrix import Endpoint, Target

from .roles import CHANGE, VIEW


def make_objects(tree) -> dict:
    from .models import BureauDay, DayKind

    objs = {}
    for side, county, tag in (("inside", tree.county, "甲"), ("outside", tree.other_county, "乙")):
        day = BureauDay.objects.create(
            org=county,
            date=dt.date(2026, 3, 20 if side == "inside" else 21),
            kind=DayKind.HOLIDAY,
            name=f"矩阵放假{tag}",
        )
        objs[side] = {"day": day, "marker": f'data-day="{day.pk}"', "orgs": [county]}
    return objs


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]
    return [
        Endpoint(
            name="工作日历本地放假与调休",
            kind="list",
            perm=VIEW,
            inside=Target("/workdays/?year=2026", i["marker"], i["orgs"]),
            outside=Target("/workdays/?year=2026", o["marker"], o["orgs"]),
        ),
        Endpoint(
            name="删除本地放假与调休日",
            kind="change",
            perm=CHANGE,
            method="POST",
            inside=Target(f"/workdays/{i['day'].pk}/delete/", "", i["orgs"]),
            outside=Target(f"/workdays/{o['day'].pk}/delete/", "", o["orgs"]),
        ),
    ]
