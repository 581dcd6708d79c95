"""A teacher's points for a month, computed by hand from the records (issue 18, "Proof").

常山县's rules (services.DEFAULT_RULES): 代课 0.5分/课时 (每月上限10分), 托管 1分/课时 (每月上限12分),
家访 1分/户次, 继续教育 0.2分/学时, 公开课 3分/节, 县级获奖 5分/项.

毛玉梅's month (last month), recorded in the time bank and imported:
- 代课 4 + 6 + 8 课时 = 18 × 0.5 = 9分; a 4th record of 4 课时 reversed by the bank auditor earns 0;
- 托管 2+2+2+2+2 (=10) then 3 on the 19th (only 2 counted: the month's cap 12) and 2 on the 24th (0);
- 家访 3户次 = 3分; 继续教育 24学时 = 4.8分; 公开课 1节 = 3分; 县级获奖 1项 = 5分.
Total 9 + 12 + 3 + 4.8 + 3 + 5 = 36.8分; a colleague's 代课 does not count."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from mofang.governance.teacher_dev import engine, services
from mofang.governance.teacher_dev.models import Category, PointRule
from mofang.governance.timebank import services as bank_services
from mofang.governance.timebank.models import LedgerEntry

from .conftest import run_import, sheet


def _month_of_records(td):
    m, b, rec = td.month, td.bank, td.academic
    for n, (day, periods) in enumerate([(2, 4), (9, 6), (16, 8), (20, 4)], start=1):
        bank_services.record_substitution(
            b,
            td.mao,
            date=m.replace(day=day),
            periods=periods,
            absent=td.colleague,
            record_no=f"DK-{n}",
            acting_user=rec,
        )
    for n, (day, periods) in enumerate([(3, 2), (5, 2), (10, 2), (12, 2), (17, 2), (19, 3), (24, 2)], start=1):
        bank_services.record_afterschool_duty(
            b, td.mao, date=m.replace(day=day), periods=periods, record_no=f"TG-{n}", acting_user=rec
        )
    bank_services.record_substitution(
        b, td.colleague, date=m.replace(day=2), periods=2, absent=td.mao, record_no="DK-9", acting_user=rec
    )
    wrong = LedgerEntry.objects.get(substitution__record_no="DK-4")
    bank_services.post_correction(wrong, reason="登记错误，实为本人课", acting_user=td.auditor)
    no = td.mao.staff_no
    result = run_import(
        sheet(
            [
                ["JF-1", no, "毛玉梅", "家访", m.replace(day=11).isoformat(), "3", "一年级1班学生家访"],
                ["JF-2", no, "毛玉梅", "继续教育", m.replace(day=14).isoformat(), "24", "县级小学数学骨干培训"],
                ["JF-3", no, "毛玉梅", "公开课", m.replace(day=22).isoformat(), "1", "县级公开课《认识钟表》"],
                ["JF-4", no, "毛玉梅", "县级获奖", m.replace(day=25).isoformat(), "1", "县优质课评比一等奖"],
            ]
        ),
        td.academic,
        td.tree.school,
    )
    assert result["errors"] == [] and result["created"] == 4


def test_a_month_of_records_gives_the_points_computed_by_hand(td):
    _month_of_records(td)
    result = services.points_of(td.mao, td.month.year)
    month = [line for line in result.lines if line.source.day.month == td.month.month]
    by = engine.Result(month).by_category()
    assert by[Category.SUBSTITUTION]["points"] == Decimal("9")
    assert by[Category.SUBSTITUTION]["records"] == 3  # the reversed record is not there
    assert by[Category.AFTERSCHOOL]["raw"] == Decimal("15")
    assert by[Category.AFTERSCHOOL]["points"] == Decimal("12")
    assert by[Category.HOME_VISIT]["points"] == Decimal("3")
    assert by[Category.TRAINING]["points"] == Decimal("4.8")
    assert by[Category.PUBLIC_LESSON]["points"] == Decimal("3")
    assert by[Category.AWARD_COUNTY]["points"] == Decimal("5")
    assert engine.Result(month).total == Decimal("36.8")
    capped = [(line.source.ref, line.points, line.note) for line in month if line.capped]
    assert capped == [
        ("TG-6", Decimal("2"), "超出当月上限12分，计2分"),
        ("TG-7", Decimal("0"), "超出当月上限12分，计0分"),
    ]


def test_the_teachers_page_shows_the_total_and_each_record(td, client):
    _month_of_records(td)
    client.force_login(td.teacher_user)
    page = client.get(f"/teacher_dev/my/?year={td.month.year}").content.decode()
    if td.month.year == timezone.localdate().year:
        assert "data-total>36.8<" in page
    for ref in ("DK-1", "DK-2", "DK-3", "TG-7", "JF-1", "JF-4"):
        assert f'data-ref="{ref}"' in page
    assert 'data-ref="DK-4"' not in page and 'data-ref="DK-9"' not in page
    assert "超出当月上限12分，计0分" in page


def test_a_later_rule_changes_only_the_records_after_its_date(td):
    _month_of_records(td)
    services.set_rule(
        td.tree.county,
        category=Category.HOME_VISIT,
        points_per_unit="2",
        cap="",
        cap_period="none",
        effective_from=td.month.replace(day=12),
        acting_user=td.county,
    )
    result = services.points_of(td.mao, td.month.year)
    visit = next(line for line in result.lines if line.source.ref == "JF-1")  # the 11th: the old rule
    assert visit.points == Decimal("3")
    assert PointRule.objects.filter(county=td.tree.county, category=Category.HOME_VISIT).count() == 2


def test_the_yearly_cap_counts_across_months():
    rules = {"public_lesson": [engine.Rule("public_lesson", Decimal("3"), Decimal("15"), "year", dt.date(2020, 1, 1))]}
    src = [
        engine.Source("public_lesson", dt.date(2026, m, 1), Decimal("2"), "数据导入", f"GK-{m}", "公开课")
        for m in (1, 4, 9)
    ]
    result = engine.compute(src, rules)
    assert [line.points for line in result.lines] == [Decimal("6"), Decimal("6"), Decimal("3")]
    assert result.total == Decimal("15")


def test_training_hours_count_the_five_year_cycle():
    assert engine.cycle_of(2026) == (2024, 2028)
    assert engine.cycle_of(2029) == (2029, 2033)
    assert engine.cycle_of(2023) == (2019, 2023)
