"""The time bank's demo story (registered with the core demo in AppConfig.ready()).

常山县第一小学 and a few other 常山县 schools open banks. 毛玉梅 gets exactly the seed's month
(the previous calendar month): 4 periods of 代课 (2 h), 14 periods of 托管 (14 h), 4 h of leave
approved → her statement reads 16 / 4 / 12 and the SMS is in the outbox. Other teachers get
plausible random work and leave; one request waits in the 教务's approvals.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.notifications.models import InboxMessage
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people.models import Staff

from . import services
from .models import Account, Bank
from .services.bank import school_year_start
from .services.common import month_key, today
from .services.work import AFTERSCHOOL, SUBSTITUTION, WorkItem

CS1_CODE = "3308220001"  # 常山县第一小学
OTHER_BANKS = 4


def _actor(user, perm, school):
    """Act as the demo user where their role allows it, else as the system."""
    return user if user is not None and has_perm_at(user, perm, school) else None


def _day(month_start: dt.date, day: int) -> dt.date:
    """A day of the month, never in the future (the demo may run early in a month)."""
    return min(month_start.replace(day=day), today())


def build(ctx) -> None:
    users, staff = ctx.users, ctx.staff
    mao = staff.get("maoyumei")
    cs1 = mao.org.school if mao is not None else None
    cs1 = cs1 or next((s for s in ctx.schools if s.code == CS1_CODE), None)
    if cs1 is None:
        ctx.log("时间银行：未找到常山县第一小学，跳过")
        return
    this_month = today().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    started = school_year_start(last_month)

    county = (
        OrgUnit.objects.filter(
            kind=OrgKind.COUNTY, path__in=[cs1.path[:i] for i in range(cs1.steplen, len(cs1.path), cs1.steplen)]
        )
        .order_by("-depth")
        .first()
    )
    others = [
        s
        for s in ctx.schools
        if s.pk != cs1.pk and s.kind == OrgKind.SCHOOL and county is not None and s.path.startswith(county.path)
    ]
    others = ctx.rng.sample(others, min(OTHER_BANKS, len(others)))
    banks = []
    for school in [cs1, *others]:
        bank = Bank.objects.filter(school=school).first() or services.open_bank(
            school, started_on=started, acting_user=_actor(users.get("principal_cs1"), "timebank.open_bank", school)
        )
        banks.append(bank)
    cs1_bank = banks[0]
    recorder = _actor(users.get("academic_cs1"), "timebank.record_work", cs1)

    if mao is not None:
        _seed_example(cs1_bank, mao, staff.get("teacher_cs1b"), last_month, recorder, users.get("academic_cs1"))
    skip = {s.pk for s in (mao,) if s is not None}
    for bank in banks:
        _random_work(ctx, bank, skip, last_month, this_month, recorder if bank is cs1_bank else None)

    for bank in banks:
        services.generate_monthly_statements(bank, month_key(last_month), acting_user=None)
    # The random leaves above were decided at once: their "待审批" notices are already dealt with.
    InboxMessage.objects.filter(title__startswith="待审批", read_at__isnull=True).update(read_at=timezone.now())

    colleague = staff.get("teacher_cs1b")
    if colleague is not None and colleague.user is not None:
        _pending_leave(cs1_bank, colleague)
    ctx.log(f"时间银行：开通{len(banks)}所学校，生成{month_key(last_month)}对账单")


def _seed_example(bank, mao, colleague, month, recorder, approver) -> None:
    """The seed's numbers, exactly: 2 h + 14 h earned, 4 h spent, 12 h left."""
    absent = colleague if colleague is not None and colleague.pk != mao.pk else None
    for n, (day, periods) in enumerate([(8, 2), (15, 2)], start=1):
        services.record_substitution(
            bank,
            mao,
            date=_day(month, day),
            periods=periods,
            absent=absent,
            note="同事病假代课",
            record_no=f"DEMO-DK-{month:%Y%m}-{n:02d}",
            acting_user=recorder,
        )
    for n, day in enumerate([3, 5, 10, 12, 17, 19, 24], start=1):
        services.record_afterschool_duty(
            bank,
            mao,
            date=_day(month, day),
            periods=2,
            note="课后托管服务",
            record_no=f"DEMO-TG-{month:%Y%m}-{n:02d}",
            acting_user=recorder,
        )
    account = Account.objects.get(bank=bank, staff=mao)
    if account.leaves.exists():
        return
    for day, reason in ((20, "家中急事"), (26, "去医院看病")):
        leave = services.request_leave(
            account, kind="leave", date=_day(month, day), hours=Decimal("2"), reason=reason, acting_user=mao.user
        )
        services.approve_leave(leave, acting_user=_actor(approver, "timebank.approve_leave", bank.school), note="同意")


def _random_work(ctx, bank, skip, last_month, this_month, recorder) -> None:
    rng = ctx.rng
    teachers = [
        s for s in Staff.objects.filter(org__path__startswith=bank.school.path).order_by("pk") if s.pk not in skip
    ]
    subs, duties = [], []
    for month in (last_month, this_month):
        last_day = (today() - month).days + 1 if month == this_month else 28
        if last_day < 1:
            continue
        for t in teachers:
            for _ in range(rng.randint(0, 3)):
                absent = rng.choice(teachers)
                subs.append(
                    WorkItem(
                        staff=t,
                        date=month + dt.timedelta(days=rng.randrange(min(last_day, 28))),
                        periods=rng.randint(1, 3),
                        absent=absent if absent.pk != t.pk else None,
                        note="代课",
                    )
                )
            for _ in range(rng.randint(0, 6)):
                duties.append(
                    WorkItem(
                        staff=t,
                        date=month + dt.timedelta(days=rng.randrange(min(last_day, 28))),
                        periods=rng.randint(1, 2),
                        note="课后托管",
                    )
                )
    for n, item in enumerate(subs, start=1):
        item.record_no = f"DEMO-DK-{bank.pk}-{n:05d}"
    for n, item in enumerate(duties, start=1):
        item.record_no = f"DEMO-TG-{bank.pk}-{n:05d}"
    if subs:
        services.post_work(SUBSTITUTION, bank, subs, acting_user=recorder, source="演示数据")
    if duties:
        services.post_work(AFTERSCHOOL, bank, duties, acting_user=recorder, source="演示数据")
    # A few teachers spend some of last month's hours (approved by the system in the demo).
    for account in Account.objects.filter(bank=bank, staff__in=teachers).with_balance().order_by("pk"):
        if account.balance >= 2 and rng.random() < 0.3:
            hours = Decimal(rng.choice(["1", "1.5", "2"]))
            leave = services.request_leave(
                account,
                kind=rng.choice(["leave", "double_reduction"]),
                date=last_month + dt.timedelta(days=rng.randrange(20, 28)),
                hours=hours,
                reason=rng.choice(["家中有事", "看病", "孩子家长会"]),
                acting_user=None,
            )
            try:
                services.approve_leave(leave, acting_user=None)
            except ValidationError:
                services.reject_leave(leave, acting_user=None, note="余额不足")


def _pending_leave(bank, colleague) -> None:
    account = Account.objects.filter(bank=bank, staff=colleague).with_balance().first()
    if account is None or account.leaves.filter(status="pending").exists():
        return
    if account.balance < 1:
        services.record_afterschool_duty(
            bank,
            colleague,
            date=today(),
            periods=2,
            note="课后托管服务",
            record_no=f"DEMO-TG-PENDING-{colleague.pk}",
            acting_user=None,
        )
    services.request_leave(
        account,
        kind="double_reduction",
        date=today() + dt.timedelta(days=3),
        hours=Decimal("1"),
        reason="孩子学校家长会",
        acting_user=colleague.user,
    )
