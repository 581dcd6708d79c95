"""教师时间银行: teachers with a time account at their school's bank, over the 专任教师 of the schools
that have opened a bank (时间银行教师覆盖率). Accounts are never deleted, so "opened since" finds
every change.

Both facts cover the schools with a bank: a county where no school has opened one shows 暂无数据,
not 0.0% (before, the denominator was every teacher of the region, so a city with one bank county
read 19.9% beside counties at 0.0% that do not use the time bank at all)."""

from django.db.models import Count

from mofang.platform.indicators.registry import FactSource, register_fact_source
from mofang.platform.orgs.models import OrgKind
from mofang.platform.people.models import Staff, StaffCategory

from .models import Account, Bank


def _accounts(qs):
    # 专任教师 only, like the denominator (people.teachers): the ratio stays within 100%
    qs = qs.filter(staff__category=StaffCategory.TEACHER)
    return qs.values_list("bank__school_id").annotate(n=Count("staff_id", distinct=True)).order_by()


def with_account(period):
    return _accounts(Account.objects.all())


def with_account_in(period, orgs):
    return _accounts(Account.objects.filter(bank__school_id__in=orgs))


def covered(period) -> list[int]:
    """Schools that have opened a time bank."""
    return list(Bank.objects.values_list("school_id", flat=True))


def teachers(period):
    return (
        Staff.objects.filter(org__kind=OrgKind.SCHOOL, org_id__in=covered(period), category=StaffCategory.TEACHER)
        .values_list("org_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def changed(since):
    return Account.objects.filter(opened_at__gte=since).values_list("bank__school_id", flat=True).distinct()


def register() -> None:
    register_fact_source(
        FactSource(
            "timebank.teachers_with_account",
            "开通时间账户的教师数",
            with_account,
            changed_orgs=changed,
            collect_orgs=with_account_in,
            covers=covered,
        )
    )
    register_fact_source(FactSource("timebank.teachers", "开通时间银行学校的专任教师数", teachers, covers=covered))
