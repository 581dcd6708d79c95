"""政令一键智达's rows in the permission matrix (see mofang.platform.matrix).

`make_objects(tree)` gives each county (常山县 "inside", 江山市 "outside") a directive of its own
to its school with a one-field form and a PDF attachment, answered by the principal; and the city
sends one notice to both counties, so each county has a delivery to forward.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mofang.platform.matrix import Endpoint, Target
from mofang.platform.testing import make_user
from mofang.platform.web.formspec import parse_form_spec

from . import services


def _side(tag: str, county, school, city_delivery) -> dict:
    admin = make_user(f"mx_zl_{tag}", "county_admin", county, full_name=f"矩阵{tag}教育局")
    principal = make_user(f"mx_zlxz_{tag}", "principal", school, full_name=f"矩阵{tag}校长")
    pdf = SimpleUploadedFile(f"{tag}.pdf", f"%PDF-1.4 MXATTACH{tag}".encode(), content_type="application/pdf")
    directive = services.send_directive(
        sender_org=county,
        title=f"矩阵校{tag}通知",
        body="请填报在校学生数。",
        kind="task",
        deadline=timezone.now() + dt.timedelta(days=7),
        targets=[school],
        fields=parse_form_spec("在校学生数|数字|必填"),
        attachments=[pdf],
        acting_user=admin,
    )
    delivery = directive.deliveries.get()
    services.answer(delivery, {"f_f1": "321", "reply": f"矩阵{tag}回复"}, {}, acting_user=principal)
    return {
        "county": county,
        "school": school,
        "directive": directive,
        "delivery": delivery,
        "title": directive.title,
        "reply": f"矩阵{tag}回复",
        "county_name": county.name,
        "city_delivery": city_delivery,
        "attachment": directive.attachments.get(),
        "mark_file": f"MXATTACH{tag}",
        "school_name": school.name,
        "empty": "",
    }


def make_objects(tree) -> dict:
    city_admin = make_user("mx_zl_city", "city_admin", tree.city, full_name="矩阵市教育局")
    notice = services.send_directive(
        sender_org=tree.city,
        title="矩阵市转发通知",
        body="请转发至所属学校。",
        kind="notice",
        deadline=timezone.now() + dt.timedelta(days=7),
        targets=[tree.county, tree.other_county],
        forward_required=True,
        acting_user=city_admin,
    )
    by_unit = {d.unit_id: d for d in notice.deliveries.all()}
    return {
        "inside": _side("甲", tree.county, tree.school, by_unit[tree.county.pk]),
        "outside": _side("乙", tree.other_county, tree.other_school, by_unit[tree.other_county.pk]),
    }


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]
    deadline = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")

    def ep(name, kind, perm, url, marker, orgs=("county",), **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side[x] for x in orgs])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    return [
        # the sender's side: directives are scoped by the sender org (the county)
        ep("发出的政令列表", "list", "directives.view", lambda s: "/directives/sent/", "title"),
        ep("发出的政令计数", "count", "directives.view", lambda s: "/directives/sent/?q=矩阵校", "title"),
        ep("发出的政令导出", "export", "directives.view", lambda s: "/directives/sent/?export=xlsx", "title"),
        ep(
            "政令详情（签收填报情况）",
            "detail",
            "directives.view",
            lambda s: f"/directives/{s['directive'].pk}/",
            "title",
        ),
        ep(
            "填报汇总导出",
            "export",
            "directives.view",
            lambda s: f"/directives/{s['directive'].pk}/export.xlsx",
            "reply",
        ),
        ep(
            "催办",
            "change",
            "directives.send",
            lambda s: f"/directives/{s['directive'].pk}/remind/",
            "empty",
            method="POST",
        ),
        ep(
            "锁定填报",
            "change",
            "directives.send",
            lambda s: f"/directives/{s['directive'].pk}/lock/",
            "empty",
            method="POST",
            data={"locked": "0"},
        ),
        # 一键智达: the page, the preview of a rule (region = the county) and sending
        ep("发送政令页面", "detail", "directives.send", lambda s: "/directives/new/", "county_name"),
        ep(
            "预览发送对象",
            "detail",
            "directives.send",
            lambda s: f"/directives/new/?to={s['school'].pk}",
            "school_name",
            orgs=("school",),
            method="POST",
            data={"action": "preview", "use_rule": "0"},
        ),
        ep(
            "一键发送",
            "change",
            "directives.send",
            lambda s: f"/directives/new/?to={s['school'].pk}",
            "empty",
            orgs=("school",),
            method="POST",
            data={
                "action": "send",
                "use_rule": "0",
                "title": "矩阵新通知",
                "body": "请签收。",
                "kind": "notice",
                "deadline": deadline,
            },
        ),
        # the units' side: deliveries are scoped by the receiving unit (the school)
        ep(
            "政令送达列表",
            "list",
            "directives.view_delivery",
            lambda s: "/directives/deliveries/",
            "title",
            orgs=("school",),
        ),
        ep(
            "政令送达计数",
            "count",
            "directives.view_delivery",
            lambda s: "/directives/deliveries/?q=矩阵校",
            "title",
            orgs=("school",),
        ),
        ep(
            "政令送达导出",
            "export",
            "directives.view_delivery",
            lambda s: "/directives/deliveries/?export=xlsx",
            "title",
            orgs=("school",),
        ),
        ep(
            "政令送达详情",
            "detail",
            "directives.view_delivery",
            lambda s: f"/directives/deliveries/{s['delivery'].pk}/",
            "title",
            orgs=("school",),
        ),
        ep(
            "政令附件下载",
            "detail",
            "directives.view_delivery",
            lambda s: f"/directives/files/{s['attachment'].pk}/",
            "mark_file",
            orgs=("school",),
        ),
        # signing and answering need a membership at the school itself (unit roles only)
        ep(
            "签收",
            "change",
            "directives.answer",
            lambda s: f"/directives/deliveries/{s['delivery'].pk}/",
            "empty",
            orgs=("school",),
            method="POST",
            data={"action": "sign"},
        ),
        ep(
            "填报",
            "change",
            "directives.answer",
            lambda s: f"/directives/deliveries/{s['delivery'].pk}/",
            "empty",
            orgs=("school",),
            method="POST",
            data={"action": "answer", "f_f1": "300", "reply": "矩阵修改"},
        ),
        # forwarding: the county re-sends the city's notice to its schools
        ep(
            "转发页面",
            "detail",
            "directives.forward",
            lambda s: f"/directives/deliveries/{s['city_delivery'].pk}/forward/",
            "county_name",
        ),
        ep(
            "转发",
            "change",
            "directives.forward",
            lambda s: f"/directives/deliveries/{s['city_delivery'].pk}/forward/",
            "empty",
            method="POST",
            data={
                "action": "send",
                "title": "矩阵转发",
                "body": "请各校落实。",
                "deadline": deadline,
                "use_rule": "1",
                "target_kind": "school",
                "copy_form": "1",
            },
        ),
    ]
