"""Query budgets of 政令一键智达's lists (see mofang/platform/budgets.py)."""

import datetime as dt

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_user
from mofang.platform.web.formspec import parse_form_spec

from . import services

COVERS = ("directives:sent", "directives:deliveries", "directives:detail")
NOT_LISTS = {"directives:compose": "the form to send a directive"}


def scene(tree, n: int) -> Scene:
    """n directives of the county, each to a school of its own with a one-field form, every other
    one signed and answered; n of the city's notices to the county, each forwarded by it; and one
    directive to all n schools (its page lists them)."""
    admin = make_user("budget_directives", "county_admin", tree.county)
    city = make_user("budget_directives_city", "city_admin", tree.city)
    deadline = timezone.now() + dt.timedelta(days=7)
    schools = []
    for i in range(n):
        school = add(tree.county, f"预算学校{i}", OrgKind.SCHOOL, f"33082299{i:02d}", school_type="primary")
        schools.append(school)
        directive = services.send_directive(
            sender_org=tree.county,
            title=f"预算通知{i}",
            body="请填报在校学生数。",
            kind="task",
            deadline=deadline,
            targets=[school],
            fields=parse_form_spec("在校学生数|数字|必填"),
            acting_user=admin,
        )
        if i % 2:
            principal = make_user(f"budget_zlxz{i}", "principal", school)
            services.answer(directive.deliveries.get(), {"f_f1": "321", "reply": "已办"}, {}, acting_user=principal)
        notice = services.send_directive(
            sender_org=tree.city,
            title=f"预算市通知{i}",
            body="请转发至所属学校。",
            kind="notice",
            deadline=deadline,
            targets=[tree.county],
            forward_required=True,
            acting_user=city,
        )
        services.forward(
            notice.deliveries.get(),
            title=f"预算转发{i}",
            body="转发。",
            deadline=deadline,
            targets=[school],
            acting_user=admin,
        )
    to_all = services.send_directive(
        sender_org=tree.county,
        title="预算全县通知",
        body="请各校签收。",
        kind="notice",
        deadline=deadline,
        targets=schools,
        acting_user=admin,
    )
    return Scene(user=admin, urls={"directives:detail": f"/directives/{to_all.pk}/"})
