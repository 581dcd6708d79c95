"""The demo story: logging in as 毛玉梅 shows the seed's month."""

import random
from decimal import Decimal

from mofang.governance.timebank.demo import build
from mofang.governance.timebank.models import Bank, LeaveRequest, MonthlyStatement
from mofang.platform.demo.registry import DEMO_BUILDERS, DemoContext
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.orgs.models import OrgKind, SchoolType
from mofang.platform.testing import add, make_staff

from .conftest import last_month, month_of


def test_the_demo_builder_is_registered():
    assert ("timebank", build) in DEMO_BUILDERS


def test_the_demo_gives_maoyumei_the_seed_month(tree, people):
    second = add(tree.county, "常山县第二小学", OrgKind.SCHOOL, "3308220002", school_type=SchoolType.PRIMARY)
    for n in range(3):
        make_staff(second, f"二小教师{n}")
    ctx = DemoContext(
        rng=random.Random(7),
        scale=1,
        province=tree.province,
        users={
            "maoyumei": people.teacher_user,
            "teacher_cs1b": people.colleague_user,
            "academic_cs1": people.academic,
            "principal_cs1": people.principal,
            "auditor_cs1": people.auditor,
            "admin_cs": people.county,
        },
        staff={"maoyumei": people.mao, "teacher_cs1b": people.colleague},
        schools=[tree.school, second, tree.other_school],
        log=lambda *_: None,
    )
    build(ctx)
    assert set(Bank.objects.values_list("school__name", flat=True)) == {"常山县第一小学", "常山县第二小学"}
    st = MonthlyStatement.objects.get(account__staff=people.mao, month=month_of(last_month()))
    assert (st.earned_substitution, st.earned_afterschool, st.spent, st.closing_balance) == (
        Decimal("2.0"),
        Decimal("14.0"),
        Decimal("4.0"),
        Decimal("12.0"),
    )
    assert SMSMessage.objects.get(recipient=people.teacher_user).text == st.sms_text()
    assert LeaveRequest.objects.get(status="pending").account.staff == people.colleague
    assert people.academic.inbox.filter(read_at__isnull=True).count() == 1


def test_the_demo_skips_what_is_missing(tree, people):
    ctx = DemoContext(rng=random.Random(1), scale=1, province=tree.province, log=lambda *_: None)
    build(ctx)  # no users, no schools: nothing to do, no error
    assert not Bank.objects.exists()
