"""教师时间银行: teachers with a time account at their school's bank (numerator of 时间银行教师覆盖率;
the denominator is people.teachers). Accounts are never deleted, so "opened since" finds every change."""

from django.db.models import Count

from mofang.platform.indicators.registry import FactSource, register_fact_source
from mofang.platform.people.models import StaffCategory

from .models import Account


def _accounts(qs):
    # 专任教师 only, like the denominator (people.teachers): the ratio stays within 100%
    qs = qs.filter(staff__category=StaffCategory.TEACHER)
    return qs.values_list("bank__school_id").annotate(n=Count("staff_id", distinct=True)).order_by()


def with_account(period):
    return _accounts(Account.objects.all())


def with_account_in(period, orgs):
    return _accounts(Account.objects.filter(bank__school_id__in=orgs))


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
        )
    )
