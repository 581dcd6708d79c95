"""入学早知道's rows in the permission matrix (see mofang.platform.matrix).

`make_objects(tree)` gives tree.school ("inside", 常山县) and tree.other_school ("outside",
江山市) each a community in its 学区, a plan for the next intake and as many children as seats
(so a red warning row), and its county a threshold policy. Markers: the school code (warning list), the community name
(学区 list), the policy's yellow threshold (policy page). The public pages need no scope and
are not in the matrix; test_lookup proves they never show household data.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mofang.platform.matrix import Endpoint, Target, register_matrix_place

from . import policy, priority, services, waivers
from .models import Community, Registration

register_matrix_place("notary", "county")  # 公证员 enters the seed of a county's lottery


def _side(school, county, community: str, yellow: str) -> dict:
    year = services.intake_years()[0]
    services.save_community(county, community, primary_schools=[school], junior_schools=[school], acting_user=None)
    services.set_intake_plan(school, year, "primary", classes=2, class_size=40, acting_user=None)
    services.set_policy(county, year, yellow_from=Decimal(yellow), red_from=Decimal("100"), acting_user=None)
    # 80 children for 80 seats: a red warning, so the home page's red count has something to count
    start, _end = services.cohort_range("primary", year)
    services.add_household_children(
        county,
        [
            {"record_no": f"M{n}", "birth_date": start, "community": c, "registration": "household"}
            for n in range(80)
            for c in [Community.objects.get(county=county, name=community)]
        ],
        acting_user=None,
    )
    child = f"{community[:3]}儿童"
    reg = _registration(school, county, community, child, document=f"{community[:3]}材料")
    from . import draws

    draw = draws.create_draw(county, year, acting_user=None)
    draws.enter_seed(draw, "20260701" if "甲" in community else "20260702", acting_user=None)
    draws.run_draw(draw, acting_user=None)
    # 录取名单 and 录取通知书 show PUBLISHED draws only: publish this one; 公布派位结果 gets its own
    # run-but-unpublished draw, the junior one (小升初) of a registration without a seat
    draws.publish_draw(draw, acting_user=None)
    lottery = draw.admissions.get().lottery_number[:16]  # set in Courier: plain ASCII in the PDF
    # the parent asks to give the seat up (放弃录取): the school or its bureau decides
    waiver = waivers.request_waiver(reg, f"{community[:3]}放弃原因", acting_user=None)
    _registration(school, county, community, f"{community[:3]}初中儿童", stage="junior")
    to_publish = draws.create_draw(county, year, stage="junior", acting_user=None)
    draws.enter_seed(to_publish, "20260711" if "甲" in community else "20260712", acting_user=None)
    draws.run_draw(to_publish, acting_user=None)
    # one draw waiting for the notary's seed, one seeded and waiting for 执行派位
    to_seed = draws.create_draw(county, services.intake_years()[2], acting_user=None)
    # 执行派位 needs applicants; registration only takes the next intake, so this one is moved to
    # the year after (as if deferred) to give next year's draw someone to place
    later = _registration(school, county, community, f"{community[:3]}次年儿童", seq="14")
    Registration.objects.filter(pk=later.pk).update(year=services.intake_years()[1])
    to_run = draws.create_draw(county, services.intake_years()[1], acting_user=None)
    draws.enter_seed(to_run, "20260721" if "甲" in community else "20260722", acting_user=None)
    # 招生政策: one category rule and a registration window (set last: the window is in the future)
    day = 1 if "甲" in community else 2
    priority.set_categories(
        county, year, [{"name": f"{community}类别", "conditions": {"in_district": True}}], acting_user=None
    )
    policy.set_window(
        county,
        year,
        timezone.make_aware(dt.datetime(year, 5, day, 8)),
        timezone.make_aware(dt.datetime(year, 5, 10, 17)),
        acting_user=None,
    )
    return {
        "category": f'value="{community}类别"',
        "window": f"{year}年05月0{day}日 08:00 起",
        "lottery": lottery,
        "to_publish": to_publish,
        "document": f"{community[:3]}材料",
        "to_seed": to_seed,
        "waiver": waiver,
        "to_run": to_run,
        "county_option": f'<option value="{county.pk}"',
        "school": school,
        "county": county,
        "code": school.code,
        "community": community,
        "child": child,
        "reg": reg,
        "draw": draw,
        "seed": draw.seed,
        "seed_link": f'/enrollment/manage/draws/{draw.pk}/"',
        "yellow": f"{yellow}%",
        "year": year,
        "county_link": f'/enrollment/manage/policy/{county.pk}/"',
        "empty": "",
    }


def _registration(
    school, county, community: str, child: str, *, stage: str = "primary", document: str = "", seq: str = "12"
):
    """A registration naming `school`, owned by a parent who is not the matrix user (so "@own"
    grants never cover it); with `document`, one uploaded PDF whose bytes contain it (the marker)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mofang.platform.accounts.phone import parent_user_for
    from mofang.platform.people.identity import id_check_digit

    from . import registration

    start, _end = services.cohort_range(stage, services.intake_years()[0])
    first17 = county.code[:6] + start.strftime("%Y%m%d") + seq + ("3" if "甲" in community else "5")
    owner = parent_user_for("1390000000" + ("1" if "甲" in community else "2"))
    [reg] = registration.submit_registration(
        owner=owner,
        children=[{"name": child, "id_number": first17 + id_check_digit(first17)}],
        community=Community.objects.get(county=county, name=community),
        registration_type="household",
        address=f"{community}1幢",
        residence_proof="property",
        public_school=school,
        stage=stage,
        acting_user=owner,
        documents=[SimpleUploadedFile("矩阵材料.pdf", b"%PDF-1.4 " + document.encode(), content_type="application/pdf")]
        if document
        else [],
    )
    return reg


def make_objects(tree) -> dict:
    return {
        "inside": _side(tree.school, tree.county, "矩阵甲小区", "87.5"),
        "outside": _side(tree.other_school, tree.other_county, "矩阵乙小区", "86.5"),
    }


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker, orgs="school", **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side[orgs]])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    return [
        ep("入学预警列表", "list", "enrollment.view_warning", lambda s: "/enrollment/manage/warnings/", "code"),
        # three rows per school (one per intake year): count the first year's only
        ep(
            "入学预警计数",
            "count",
            "enrollment.view_warning",
            lambda s: f"/enrollment/manage/warnings/?year={s['year']}&stage=primary",
            "code",
        ),
        ep(
            "入学预警导出",
            "export",
            "enrollment.view_warning",
            lambda s: "/enrollment/manage/warnings/?export=xlsx",
            "code",
        ),
        ep("首页红色入学预警", "count", "enrollment.view_warning", lambda s: "/", "code", count_label="红色入学预警"),
        ep(
            "学校招生计划与分流",
            "detail",
            "enrollment.change_plan",
            lambda s: f"/enrollment/manage/schools/{s['school'].pk}/",
            "code",
        ),
        ep(
            "设置招生计划",
            "change",
            "enrollment.change_plan",
            lambda s: f"/enrollment/manage/schools/{s['school'].pk}/plan/",
            "empty",
            method="POST",
            data={"year": str(i["year"]), "stage": "primary", "classes": "3", "class_size": "40"},
        ),
        ep(
            "设置分流",
            "change",
            "enrollment.change_plan",
            lambda s: f"/enrollment/manage/schools/{s['school'].pk}/overflow/",
            "empty",
            method="POST",
            data={"overflow_code": "", "overflow_note": "矩阵分流说明"},
        ),
        ep(
            "入学报名列表",
            "list",
            "enrollment.view_registration",
            lambda s: "/enrollment/manage/registrations/",
            "child",
        ),
        ep(
            "入学报名计数",
            "count",
            "enrollment.view_registration",
            lambda s: f"/enrollment/manage/registrations/?year={s['year']}&status=submitted&stage=primary",
            "child",
        ),
        ep(
            "入学报名导出",
            "export",
            "enrollment.view_registration",
            lambda s: "/enrollment/manage/registrations/?export=xlsx",
            "child",
        ),
        # owner-only pages: the matrix user owns neither registration, so no role sees or changes them
        ep("我的报名", "list", "enrollment.register", lambda s: "/enrollment/my/", "child"),
        ep(
            "撤回报名",
            "change",
            "enrollment.register",
            lambda s: f"/enrollment/my/{s['reg'].pk}/withdraw/",
            "empty",
            method="POST",
        ),
        ep(
            "申请放弃录取",
            "change",
            "enrollment.register",
            lambda s: f"/enrollment/my/{s['reg'].pk}/waive/",
            "empty",
            method="POST",
            data={"reason": "矩阵放弃"},
        ),
        # 放弃录取: the admitting school (principal, 教务) or its county bureau decides
        ep("放弃录取申请", "list", "enrollment.decide_waiver", lambda s: "/enrollment/manage/waivers/", "child"),
        ep(
            "放弃录取申请计数",
            "count",
            "enrollment.decide_waiver",
            lambda s: "/enrollment/manage/waivers/?waiver_status=pending",
            "child",
        ),
        ep(
            "首页待确认放弃录取申请",
            "count",
            "enrollment.decide_waiver",
            lambda s: "/",
            "child",
            count_label="待确认放弃录取申请",
            hidden_at_zero=True,
        ),
        ep(
            "放弃录取申请导出",
            "export",
            "enrollment.decide_waiver",
            lambda s: "/enrollment/manage/waivers/?export=xlsx",
            "child",
        ),
        ep(
            "放弃录取申请详情",
            "detail",
            "enrollment.decide_waiver",
            lambda s: f"/enrollment/manage/waivers/{s['waiver'].pk}/",
            "child",
        ),
        # 录取名单 (published draws only), its notices in one PDF, a parent's own notice, documents
        ep("录取名单", "list", "enrollment.view_admission", lambda s: "/enrollment/manage/admitted/", "child"),
        ep("录取名单计数", "count", "enrollment.view_admission", lambda s: "/enrollment/manage/admitted/", "child"),
        ep(
            "录取名单导出",
            "export",
            "enrollment.view_admission",
            lambda s: "/enrollment/manage/admitted/?export=xlsx",
            "child",
        ),
        ep(
            "录取通知书（学校批量）",
            "export",
            "enrollment.view_admission",
            lambda s: "/enrollment/manage/admitted/notices.pdf",
            "lottery",
        ),
        # owner-only: the matrix user owns no registration, so no role gets the parent's notice
        ep(
            "录取通知书（家长本人）",
            "detail",
            "enrollment.register",
            lambda s: f"/enrollment/my/{s['reg'].pk}/notice.pdf",
            "lottery",
        ),
        ep(
            "下载报名材料",
            "detail",
            "enrollment.view_registration",
            lambda s: f"/enrollment/documents/{s['reg'].documents.get().pk}/",
            "document",
        ),
        ep(
            "电脑派位列表",
            "list",
            "enrollment.view_draw",
            lambda s: "/enrollment/manage/draws/",
            "seed_link",
            orgs="county",
        ),
        ep(
            "电脑派位",
            "detail",
            "enrollment.view_draw",
            lambda s: f"/enrollment/manage/draws/{s['draw'].pk}/",
            "seed",
            orgs="county",
        ),
        # the county travels in the address, so the shared POST data can stay the same for both sides
        ep(
            "新建电脑派位页",
            "detail",
            "enrollment.run_draw",
            lambda s: f"/enrollment/manage/draws/new/?county={s['county'].pk}",
            "county_option",
            orgs="county",
        ),
        ep(
            "新建电脑派位",
            "change",
            "enrollment.run_draw",
            lambda s: f"/enrollment/manage/draws/new/?county={s['county'].pk}",
            "empty",
            orgs="county",
            method="POST",
            data={"year": str(services.intake_years()[1]), "stage": "junior", "mechanism": "da"},
        ),
        ep(
            "录入派位随机种子",
            "change",
            "enrollment.enter_seed",
            lambda s: f"/enrollment/manage/draws/{s['to_seed'].pk}/",
            "empty",
            orgs="county",
            method="POST",
            data={"action": "seed", "seed": "20260731", "seed_again": "20260731"},
        ),
        ep(
            "执行派位",
            "change",
            "enrollment.run_draw",
            lambda s: f"/enrollment/manage/draws/{s['to_run'].pk}/",
            "empty",
            orgs="county",
            method="POST",
            data={"action": "run"},
        ),
        ep(
            "公布派位结果",
            "change",
            "enrollment.run_draw",
            lambda s: f"/enrollment/manage/draws/{s['to_publish'].pk}/",
            "empty",
            orgs="county",
            method="POST",
            data={"action": "publish"},
        ),
        ep(
            "派位录取结果",
            "list",
            "enrollment.run_draw",
            lambda s: "/enrollment/manage/admissions/",
            "child",
            orgs="county",
        ),
        ep(
            "派位录取结果导出",
            "export",
            "enrollment.run_draw",
            lambda s: "/enrollment/manage/admissions/?export=xlsx",
            "child",
            orgs="county",
        ),
        ep(
            "学区划分列表",
            "list",
            "enrollment.view_district",
            lambda s: "/enrollment/manage/communities/",
            "community",
            orgs="county",
        ),
        ep(
            "学区划分导出",
            "export",
            "enrollment.view_district",
            lambda s: "/enrollment/manage/communities/?export=xlsx",
            "community",
            orgs="county",
        ),
        ep(
            "招生类别",
            "detail",
            "enrollment.set_policy",
            lambda s: f"/enrollment/manage/policy/{s['county'].pk}/?year={s['year']}",
            "category",
            orgs="county",
        ),
        ep(
            "报名时间",
            "detail",
            "enrollment.set_policy",
            lambda s: f"/enrollment/manage/policy/{s['county'].pk}/?year={s['year']}",
            "window",
            orgs="county",
        ),
        ep(
            "设置招生类别",
            "change",
            "enrollment.set_policy",
            lambda s: f"/enrollment/manage/policy/{s['county'].pk}/categories/",
            "empty",
            orgs="county",
            method="POST",
            data={"year": str(i["year"]), "op": "save", "name": "矩阵类别", "cond_in_district": "yes"},
        ),
        ep(
            "设置报名时间",
            "change",
            "enrollment.set_policy",
            lambda s: f"/enrollment/manage/policy/{s['county'].pk}/window/",
            "empty",
            orgs="county",
            method="POST",
            data={
                "year": str(i["year"]),
                "registration_opens": f"{i['year']}-05-01T08:00",
                "registration_closes": f"{i['year']}-05-10T17:00",
            },
        ),
        ep(
            "设置派位办法",
            "change",
            "enrollment.set_policy",
            lambda s: f"/enrollment/manage/policy/{s['county'].pk}/mechanism/",
            "empty",
            orgs="county",
            method="POST",
            data={"year": str(i["year"]), "mechanism": "da"},
        ),
        ep(
            "预警阈值区县列表",
            "list",
            "enrollment.set_policy",
            lambda s: "/enrollment/manage/policy/",
            "county_link",
            orgs="county",
        ),
        ep(
            "预警阈值",
            "detail",
            "enrollment.set_policy",
            lambda s: f"/enrollment/manage/policy/{s['county'].pk}/?year={s['year']}",
            "yellow",
            orgs="county",
        ),
        ep(
            "设置预警阈值",
            "change",
            "enrollment.set_policy",
            lambda s: f"/enrollment/manage/policy/{s['county'].pk}/",
            "empty",
            orgs="county",
            method="POST",
            data={"year": str(i["year"]), "yellow_from": "85", "red_from": "100"},
        ),
        # last: a confirmed waiver takes the child off 录取名单 and the notices above
        ep(
            "确认放弃录取",
            "change",
            "enrollment.decide_waiver",
            lambda s: f"/enrollment/manage/waivers/{s['waiver'].pk}/",
            "empty",
            method="POST",
            data={"action": "confirm"},
        ),
    ]
