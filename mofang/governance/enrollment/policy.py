"""招生政策 of a county for one intake year, beside its 招生类别 (priority.py) and warning
thresholds (services.set_policy): the registration window (报名时间) and the 派位办法.

- Window: parents may register from `registration_opens` until (not including)
  `registration_closes`. A county that set no window for the year is not restricted.
- 派位办法: 平行志愿 (student-proposing deferred acceptance) unless the county chose 志愿优先
  (Boston) for that year. The policy page shows, from engine/manipulation.py, why the default is
  平行志愿: under 志愿优先 a parent can gain by misreporting, under 平行志愿 never.

Both are per year and do not carry over to later years (dates are a year's own; a county's
mechanism is decided for each intake, like its categories).
"""

import datetime as dt
from functools import lru_cache

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.audit.services import AuditAction, record, snapshot
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .engine import manipulation
from .models import EnrollmentPolicy, Mechanism
from .services import cache_version, invalidate_public_cache


def _check_county(county: OrgUnit) -> None:
    if county.kind != OrgKind.COUNTY:
        raise ValidationError(gettext("招生政策只能按区县设置"))


def rules_of(county: OrgUnit, year: int) -> EnrollmentPolicy | None:
    return EnrollmentPolicy.objects.filter(county=county, year=year).first()


WINDOW_SECONDS = 600


def window_for(county: OrgUnit, year: int) -> tuple[dt.datetime, dt.datetime] | None:
    """(opens, closes) of the county's registration for `year`, or None when no window is set.
    Every registration asks: kept in the cache under the enrollment cache version, which set_window
    raises (the times are cached, never the answer: each request compares them with its own now)."""
    key = f"enrollment:window:{cache_version()}:{county.pk}:{year}"
    window = cache.get(key)
    if window is None:
        rules = rules_of(county, year)
        if rules is None or rules.registration_opens is None or rules.registration_closes is None:
            window = ()
        else:
            window = (rules.registration_opens, rules.registration_closes)
        cache.set(key, window, WINDOW_SECONDS)
    return window or None


def window_refusal(county: OrgUnit, year: int, now: dt.datetime | None = None) -> str | None:
    """Why registration is closed at `now` ("报名尚未开始…"/"报名已结束…"), or None when open."""
    window = window_for(county, year)
    if window is None:
        return None
    now = now or timezone.now()
    opens, closes = window
    if now < opens:
        return f"报名尚未开始（{_local(opens)}开始）"
    if now >= closes:
        return f"报名已结束（{_local(closes)}截止）"
    return None


def is_open(county: OrgUnit, year: int, now: dt.datetime | None = None) -> bool:
    """Whether parents of `county` may register for `year` at `now` (always, without a window)."""
    return window_refusal(county, year, now) is None


def mechanism_for(county: OrgUnit, year: int) -> str:
    """The county's 派位办法 for `year`: "da" (平行志愿, the default) or "boston" (志愿优先)."""
    rules = rules_of(county, year)
    return rules.mechanism if rules is not None else Mechanism.DA


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M")


def _locked(county: OrgUnit, year: int) -> tuple[EnrollmentPolicy, dict | None]:
    rules = EnrollmentPolicy.objects.select_for_update().filter(county=county, year=year).first()
    before = snapshot(rules) if rules is not None else None
    return rules or EnrollmentPolicy(county=county, year=year), before


@transaction.atomic
def set_window(
    county: OrgUnit, year: int, opens: dt.datetime | None, closes: dt.datetime | None, *, acting_user
) -> EnrollmentPolicy:
    """Set (or, with both None, clear) the county's registration window for `year`."""
    _check_county(county)
    if (opens is None) != (closes is None):
        raise ValidationError(
            {
                "registration_closes" if closes is None else "registration_opens": gettext(
                    "报名开始时间和截止时间须同时填写（或同时留空）"
                )
            }
        )
    if opens is not None and closes is not None and closes <= opens:
        raise ValidationError({"registration_closes": gettext("报名截止时间应晚于开始时间")})
    rules, before = _locked(county, year)
    rules.registration_opens, rules.registration_closes = opens, closes
    rules.save()
    invalidate_public_cache()  # the cached window (window_for)
    summary = (
        f"设置{county.name}{year}年报名时间 {_local(opens)} 至 {_local(closes)}"
        if opens and closes
        else f"取消{county.name}{year}年报名时间限制"
    )
    record(
        actor=acting_user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=rules,
        summary=summary,
        before=before,
        after=snapshot(rules),
    )
    return rules


@transaction.atomic
def set_mechanism(county: OrgUnit, year: int, mechanism: str, *, acting_user) -> EnrollmentPolicy:
    """Choose the county's 派位办法 for `year` (draws created for that year use it)."""
    _check_county(county)
    if mechanism not in Mechanism.values:
        raise ValidationError({"mechanism": gettext("未知的派位办法，只能选择平行志愿或志愿优先")})
    rules, before = _locked(county, year)
    rules.mechanism = mechanism
    rules.save()
    record(
        actor=acting_user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=rules,
        summary=f"设置{county.name}{year}年派位办法为{Mechanism(mechanism).label}",
        before=before,
        after=snapshot(rules),
    )
    return rules


# --- 为什么用平行志愿: the engine's manipulation example, for the policy page -------------------


@lru_cache(maxsize=1)
def manipulation_facts() -> dict:
    """The example instance, what its manipulator gets under each mechanism truthfully and by
    misreporting, and how many profitable misreports the exhaustive search finds per mechanism.
    Everything comes from the engine. The search takes ~0.25 s for both mechanisms and its
    answer never changes, so it is computed once per process."""
    example = manipulation.manipulation_example()
    problem = manipulation.build(example["true_preferences"])
    reports = manipulation.all_reports()
    applicants = list(example["true_preferences"])
    return {
        **example,
        "capacities": dict(zip(problem.school_ids, problem.capacities)),
        "applicants": applicants,
        "manipulator_truth": example["true_preferences"][example["manipulator"]],
        "mechanisms": [
            {
                "code": m,
                "label": label,
                "truthful": example[m]["truthful"],
                "misreport": example[m]["misreport"],
                "deviations": len(manipulation.profitable_deviations(m)),
            }
            for m, label in (("boston", "志愿优先"), ("da", "平行志愿"))
        ],
        "reports_per_applicant": len(reports),
        "cases_searched": len(reports) ** len(applicants),
    }
