"""Query budgets of 校外培训监管's lists and 预收费上限 (see mofang/platform/budgets.py)."""

import datetime as dt

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user

from . import services, uscc
from .models import Category, InspectionKind, ListKind

COVERS = (
    "institutions:list",
    "institutions:applications",
    "institutions:inspections",
    "institutions:lists",
    "institutions:reports",
    "institutions:charges",
    "institutions:flagged",
    "institutions:limits",
)
NOT_LISTS = {"institutions:routes": "the routing table of one county: a row per category of the catalogue"}


def scene(tree, n: int) -> Scene:
    """n institutions of the county, each approved after applying, white-listed, covertly inspected
    (with a rectification) and with a charge beyond the limit; n public reports; n counties of the
    city, half with a fee limit of their own (预收费上限, read by the city's administrator)."""
    today = timezone.localdate()
    county = tree.county
    handler = make_user("budget_inst", "county_admin", county)
    for i in range(n):
        inst = services.save_institution(
            acting_user=None,
            name=f"预算机构{i}",
            credit_code=uscc.make_credit_code("52", county.code, f"BG{i:06d}"),
            category=Category.ARTS,
            region=county,
            address=f"预算机构{i}地址",
        )
        services.decide_application(
            services.submit_application(inst, acting_user=None), approve=True, acting_user=handler
        )
        inst.refresh_from_db()
        services.add_to_list(
            inst,
            acting_user=None,
            kind=ListKind.WHITE,
            region=county,
            reason=f"预算理由{i}",
            start=today - dt.timedelta(days=1),
        )
        services.record_inspection(
            inst,
            acting_user=None,
            kind=InspectionKind.COVERT,
            date=today,
            inspectors=f"预算检查员{i}",
            findings="违规",
            rectify=True,
        )
        services.save_fee_account(inst, acting_user=None, bank="预算银行", account_no=f"62220001{i:06d}")
        services.record_charge(
            inst, acting_user=None, student_name=f"预算学员{i}", amount="1000", lessons=80, months=2, paid_on=today
        )
        services.submit_public_report(county, target_name=f"预算举报对象{i}", address="某地", description="违规补课")
    city = make_user("budget_inst_city", "city_admin", tree.city)
    for i in range(n):
        other = add(tree.city, f"预算县{i}", OrgKind.COUNTY, f"3308{60 + i}")
        if i % 2:
            services.set_fee_limit(other, acting_user=None, max_months=2, max_lessons=40)
    return Scene(user=handler, users={"institutions:limits": city})
