"""Refreshing the analytics tables from the task worker, and checking the validation rules.

A periodic job refreshes incrementally every few minutes (only orgs whose sources report changes,
plus their ancestors) and once a night in full (sources without change tracking, tree moves).
After a refresh the validation rules are checked; a new violation notifies the unit responsible
once, and stays open (without new notices) until a refresh finds the rule holds again.
"""

import datetime as dt
import logging
import operator
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from mofang.platform.accounts.models import Membership
from mofang.platform.jobs.services import JobReporter, PeriodicJob, run_job, start_job
from mofang.platform.notifications.services import notify
from mofang.platform.orgs.models import OrgUnit

from .analytics import ensure_fresh, recompute_totals, refresh_fact
from .models import FactRefresh, FactTotal, Indicator, ValidationRule, Violation
from .periods import current_period
from .registry import FACT_SOURCES, is_imported
from .roles import VIEW_RULE

logger = logging.getLogger(__name__)
ZERO = Decimal(0)
INCREMENTAL_MINUTES = 10
OPS = {"<=": operator.le, "<": operator.lt, "==": operator.eq, "!=": operator.ne, ">=": operator.ge, ">": operator.gt}


def _period_types() -> dict[str, set[str]]:
    """For each fact in use, the period types (year/month) of the indicators and rules using it."""
    types: dict[str, set[str]] = {}
    for ind in Indicator.objects.filter(active=True):
        for f in ind.facts:
            types.setdefault(f, set()).add(ind.period_type)
    for rule in ValidationRule.objects.filter(active=True):
        for f in filter(None, (rule.left, rule.right)):
            types.setdefault(f, set()).add(rule.period_type)
    return types


def periods_to_refresh(fact: str, types: set[str] | None = None) -> set[str]:
    """The current period of each type the fact is used with, plus any period of this year or
    last already computed (someone asked for it: keep it fresh)."""
    now = current_period("year")
    periods = {current_period(t).key for t in (types or {"year"})}
    oldest = str(now.year - 1)
    periods.update(p for p in FactRefresh.objects.filter(fact=fact).values_list("period", flat=True) if p >= oldest)
    return periods


def refresh_all(*, full: bool = False, reporter: JobReporter | None = None) -> dict:
    types = _period_types()
    facts = sorted(f for f in types if f in FACT_SOURCES or is_imported(f))
    work = [
        (f, p)
        for f in facts
        for p in sorted(periods_to_refresh(f, types[f]))
        if not (is_imported(f) and not FactRefresh.objects.filter(fact=f, period=p).exists())
    ]
    if reporter:
        reporter.progress(0, total=len(work), message="正在刷新指标数据")
    done, failed, changed, timings = 0, [], 0, {}
    touched: set[str] = set()  # facts whose totals changed: only their rules need checking
    now = timezone.now()
    for fact, period in work:
        started = time.perf_counter()
        try:
            if is_imported(fact):
                with transaction.atomic():  # imported facts only need re-summing (the tree may have moved)
                    n = recompute_totals(fact, period, now)
                    FactRefresh.objects.filter(fact=fact, period=period).update(refreshed_at=now)
            else:
                out = refresh_fact(fact, period, full=full, now=now)
                n = out["totals"] if out else 0
            changed += n
            if n or full:
                touched.add(fact)
        except Exception:  # one module's broken source must not stop the others
            logger.exception("refresh of %s %s failed", fact, period)
            failed.append(f"{fact}@{period}")
        timings[f"{fact}@{period}"] = round(time.perf_counter() - started, 3)
        done += 1
        if reporter:
            reporter.progress(done)
    started = time.perf_counter()
    violations = check_rules({p for _, p in work}, facts=None if full else touched)
    timings["validation_rules"] = round(time.perf_counter() - started, 3)
    msg = f"已刷新{done}项事实数据，更新汇总{changed}行，新增校验违规{violations['new']}项"
    if failed:
        msg += f"；{len(failed)}项失败"
    return {
        "message": msg,
        "facts": done,
        "totals_changed": changed,
        "failed": failed,
        "timings": timings,
        **violations,
    }


# --- validation rules ----------------------------------------------------------------------


def _totals(fact: str, period: str, kind: str) -> dict[int, Decimal]:
    qs = FactTotal.objects.filter(fact=fact, period=period)
    if kind:
        qs = qs.filter(org__kind=kind)
    return dict(qs.values_list("org_id", "value"))


def check_rules(periods: set[str], *, facts: set[str] | None = None, now=None) -> dict:
    """Check the active rules for these periods (only rules over `facts`, when given)."""
    now = now or timezone.now()
    new = resolved = 0
    for rule in ValidationRule.objects.filter(active=True):
        if facts is not None and rule.left not in facts and rule.right not in facts:
            continue
        for period in sorted(p for p in periods if ("-" in p) == (rule.period_type == "month")):
            sides = [rule.left] + ([rule.right] if rule.right else [])
            if any(ensure_fresh(f, period) is None for f in sides):
                continue  # no data on one side: nothing to check
            left = _totals(rule.left, period, rule.org_kind)
            right = _totals(rule.right, period, rule.org_kind) if rule.right else {}
            orgs = set(left) | set(right)
            constant = rule.right_constant if rule.right_constant is not None else ZERO
            broken = {}
            for org in orgs:
                lv = left.get(org, ZERO)
                rv = right.get(org, ZERO) if rule.right else constant
                if not OPS[rule.operator](lv, rv):
                    broken[org] = (lv, rv)
            n, r = _record_violations(rule, period, broken, now)
            new, resolved = new + n, resolved + r
    return {"new": new, "resolved": resolved}


def _record_violations(rule, period, broken: dict[int, tuple], now) -> tuple[int, int]:
    with transaction.atomic():
        open_ = {
            v.org_id: v
            for v in Violation.objects.select_for_update().filter(rule=rule, period=period, resolved_at=None)
        }
        gone = [v.pk for org, v in open_.items() if org not in broken]
        Violation.objects.filter(pk__in=gone).update(resolved_at=now)
        created = []
        for org, (lv, rv) in broken.items():
            v = open_.get(org)
            if v is None:
                created.append(
                    Violation(rule=rule, org_id=org, period=period, left_value=lv, right_value=rv, found_at=now)
                )
            elif (v.left_value, v.right_value) != (lv, rv):
                v.left_value, v.right_value = lv, rv
                v.save(update_fields=["left_value", "right_value"])
        Violation.objects.bulk_create(created)
        for v in created:
            _notify_responsible(v)
    return len(created), len(gone)


def _notify_responsible(violation: Violation) -> None:
    """Tell the people of the unit where the rule broke (or, if none may see rules there, its
    nearest ancestor that has such people)."""
    org = OrgUnit.objects.get(pk=violation.org_id)
    chain = [org, *reversed(list(OrgUnit.objects.get_ancestors(org)))]
    for unit in chain:
        members = [
            m
            for m in Membership.objects.filter(org=unit).select_related("user", "role")
            if VIEW_RULE in m.role.permissions and m.user.is_active
        ]
        if members:
            rule = violation.rule
            body = (
                f"{org.name}{violation.period}年数据未通过校验“{rule.name}”："
                f"{violation.left_value.normalize():f} {rule.get_operator_display()} "
                f"{violation.right_value.normalize():f} 不成立。{rule.instruction}"
            )
            for m in {m.user_id: m for m in members}.values():
                notify(
                    m.user,
                    title=f"数据校验未通过：{rule.name}",
                    body=body,
                    org=org,
                    link=f"/indicators/violations/?rule={rule.code}",
                )
            return


# --- the task worker -----------------------------------------------------------------------


@task()
def refresh_task(job_id: int) -> dict:
    return run_job(job_id, lambda job, reporter: refresh_all(full=job.params.get("full", False), reporter=reporter))


def start_refresh(*, full: bool, acting_user=None, org=None):
    org = org or OrgUnit.objects.get_first_root_node()
    if org is None:
        return None
    return start_job(
        task=refresh_task,
        kind="indicators:refresh",
        org=org,
        acting_user=acting_user,
        title="指标数据全量刷新" if full else "指标数据增量刷新",
        params={"full": full},
    )


def incremental_period(now) -> str:
    floored = now - dt.timedelta(
        minutes=now.minute % INCREMENTAL_MINUTES, seconds=now.second, microseconds=now.microsecond
    )
    return floored.strftime("%Y-%m-%dT%H:%M")


INCREMENTAL = PeriodicJob(
    name="indicators.refresh",
    title="指标数据增量刷新",
    period_of=incremental_period,
    run=lambda period: start_refresh(full=False),
)
NIGHTLY = PeriodicJob(
    name="indicators.full_refresh",
    title="指标数据全量刷新",
    period_of=lambda now: now.strftime("%Y-%m-%d"),
    run=lambda period: start_refresh(full=True),
)
