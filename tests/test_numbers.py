"""Numbers that must agree (issue 14): for every shipped indicator and every region of a small demo
(the province, each city, each county), the figure the cockpit serves — on its page (card, league
table) and in its map data — equals a count made here, independently, from the module's own
tables; where there is no data the cockpit says 暂无数据, never 0 or 0.0%, and ranks it last.

The indicator list is the shipped catalogue: an indicator added later fails here until its direct
count is written below. The demo is built once for the module (rolled back at the end).
It lives here, not in the cockpit's tests, because it reads every module's tables (the cockpit
itself imports no module).
"""

import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from mofang.data.cockpit.figures import NO_DATA
from mofang.governance.campus_safety.cases import CODE as HAZARD
from mofang.governance.enrollment.models import IntakePlan, Registration
from mofang.governance.enrollment.services import intake_years
from mofang.governance.supervision.compliance import county_report
from mofang.governance.supervision.models import Inspector
from mofang.governance.timebank.models import Account, Bank
from mofang.governance.vision.models import Screening
from mofang.governance.vision.models import Status as VisionStatus
from mofang.platform.accounts.models import User
from mofang.platform.cases.models import Case
from mofang.platform.demo.services import build_demo
from mofang.platform.indicators.catalogue import SHIPPED_INDICATORS
from mofang.platform.indicators.models import FactValue
from mofang.platform.indicators.periods import current_period
from mofang.platform.indicators.refresh import refresh_all
from mofang.platform.orgs.models import OrgKind, OrgUnit, SchoolType
from mofang.platform.people.models import RollStatus, Staff, StaffCategory, Student
from mofang.resources.afterschool.models import SATISFIED, Course, Selection, SelectionStatus, SurveyResponse, Term

SMALL = 0.02
K12 = (SchoolType.PRIMARY, SchoolType.JUNIOR, SchoolType.NINE_YEAR, SchoolType.COMPLETE_SECONDARY, SchoolType.SENIOR)
COMPULSORY = (SchoolType.PRIMARY, SchoolType.JUNIOR, SchoolType.NINE_YEAR)


@pytest.fixture(scope="module")
def _province(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(scale=SMALL, seed=7, log=lambda _msg: None)
        refresh_all(full=True)  # the demo's refresh job runs after commit; here, at once
        yield
        transaction.set_rollback(True)


@pytest.fixture
def province(_province, db):
    return OrgUnit.objects.get(kind=OrgKind.PROVINCE)


# --- direct counts from each module's own tables: (numerator, denominator or None), None = no data


def _under(org, field="") -> Q:
    return Q(**{f"{field}path__startswith" if field else "path__startswith": org.path})


def _imported(fact, org, year) -> Decimal | None:
    rows = FactValue.objects.filter(fact=fact, period=year, imported=True, org__path__startswith=org.path)
    return rows.aggregate(s=Sum("value"))["s"] if rows.exists() else None


def _schools(org, **kw):
    return OrgUnit.objects.filter(_under(org), kind=OrgKind.SCHOOL, **kw)


def students(org, period):
    return Student.objects.filter(school__path__startswith=org.path, status=RollStatus.ENROLLED).count(), None


def kindergartens(org, period):
    return _schools(org, school_type=SchoolType.KINDERGARTEN).count(), None


def inclusive_kindergartens(org, period):
    return _imported("import.inclusive_kindergartens", org, period.key), None


def inclusive_kg_coverage(org, period):
    return _imported("import.inclusive_kg_enrolled", org, period.key), _imported("import.kg_enrolled", org, period.key)


def smart_campus_coverage(org, period):
    rated = _imported("import.smart_campus_schools", org, period.key)
    return rated, _schools(org, school_type__in=K12).count()


def _afterschool_schools(org, period):
    terms = Term.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start, school__path__startswith=org.path)
    return set(terms.values_list("school_id", flat=True))


def _terms_of(period) -> Q:
    return Q(term__starts_on__lte=period.end, term__ends_on__gte=period.start)


def afterschool_student_rate(org, period):
    schools = _afterschool_schools(org, period)
    if not schools:
        return None, None
    taking_part = set(
        Selection.objects.filter(_terms_of(period), status=SelectionStatus.CONFIRMED, course__school_id__in=schools)
        .values_list("course__school_id", "student_id")
        .distinct()
    )
    pupils = Student.objects.filter(
        school_id__in=schools, school__school_type__in=COMPULSORY, status=RollStatus.ENROLLED
    ).count()
    return len(taking_part), pupils


def afterschool_teacher_rate(org, period):
    schools = _afterschool_schools(org, period)
    if not schools:
        return None, None
    teaching = set(
        Course.objects.filter(_terms_of(period), school_id__in=schools, teacher__isnull=False)
        .values_list("school_id", "teacher_id")
        .distinct()
    )
    teachers = Staff.objects.filter(
        org_id__in=schools, org__school_type__in=COMPULSORY, category=StaffCategory.TEACHER
    ).count()
    return len(teaching), teachers


def afterschool_satisfaction(org, period):
    schools = _afterschool_schools(org, period)
    if not schools:
        return None, None
    answers = SurveyResponse.objects.filter(_terms_of(period), term__school_id__in=schools)
    return answers.filter(rating__in=SATISFIED).count(), answers.count()


def inspector_staffing_rate(org, period):
    counties = [
        c
        for c in OrgUnit.objects.filter(_under(org), kind=OrgKind.COUNTY)
        if Inspector.objects.filter(county=c, active=True).exists() and _schools(c).exists()
    ]
    if not counties:
        return None, None
    return sum(1 for c in counties if county_report(c)[0].compliant), len(counties)


def timebank_coverage(org, period):
    banks = set(Bank.objects.filter(school__path__startswith=org.path).values_list("school_id", flat=True))
    if not banks:
        return None, None
    with_account = (
        Account.objects.filter(bank__school_id__in=banks, staff__category=StaffCategory.TEACHER)
        .values_list("bank__school_id", "staff_id")
        .distinct()
        .count()
    )
    return with_account, Staff.objects.filter(org_id__in=banks, category=StaffCategory.TEACHER).count()


def _hazards(org):

    return Case.objects.filter(case_type=HAZARD, reporting_org__path__startswith=org.path)


def open_hazards(org, period):
    return _hazards(org).open().count(), None


def overdue_hazards(org, period):
    return _hazards(org).overdue(timezone.now()).count(), None


def _intake(org, period):
    year = intake_years(min(period.end, timezone.localdate()))[0]  # the round open at the period's end
    plans = IntakePlan.objects.filter(year=year, school__path__startswith=org.path)
    registrations = Registration.objects.filter(year=year, public_school__path__startswith=org.path)
    return plans, registrations


def enrollment_registrations(org, period):
    plans, registrations = _intake(org, period)
    if not plans.exists() and not registrations.exists():
        return None, None
    return registrations.exclude(status="withdrawn").count(), None


def enrollment_seats(org, period):
    plans, registrations = _intake(org, period)
    if not plans.exists() and not registrations.exists():
        return None, None
    return plans.aggregate(s=Sum(F("classes") * F("class_size")))["s"] or 0, None


def _fitness(org, period):
    from mofang.governance.fitness.models import FitnessResult
    from mofang.platform.people.grades import school_year_start

    return FitnessResult.objects.filter(
        school_year__start_year=school_year_start(period.end), school__path__startswith=org.path
    )


def fitness_pass_rate(org, period):
    results = _fitness(org, period)
    if not results.exists():
        return None, None
    return results.filter(total__gte=60).count(), results.filter(total__isnull=False).count()


def fitness_good_rate(org, period):
    results = _fitness(org, period)
    if not results.exists():
        return None, None
    return results.filter(total__gte=80).count(), results.filter(total__isnull=False).count()


def vision_myopia_rate(org, period):
    """Each child once, by their last screening dated in the period, at the school screened in."""
    rows = Screening.objects.filter(
        school__path__startswith=org.path, screened_on__gte=period.start, screened_on__lte=period.end
    )
    latest: dict[int, tuple] = {}
    for child, day, status in rows.values_list("student_id", "screened_on", "status"):
        if child not in latest or day > latest[child][0]:
            latest[child] = (day, status)
    if not latest:
        return None, None
    return sum(1 for _day, status in latest.values() if status == VisionStatus.MYOPIA), len(latest)


def _psych_rate(org, types):
    """专职心理教师配备率: schools of the section with a 专任、专职 teacher of 心理健康 (subject or post
    心理教师) holding a 心理健康教育 A/B/C 证, over the schools of the section (every school, so never
    暂无数据 where the region has such schools)."""
    schools = list(_schools(org).filter(school_type__in=types).values_list("pk", flat=True))
    if not schools:
        return None, None
    staffed = set()
    for s in Staff.objects.filter(org_id__in=schools, category=StaffCategory.TEACHER, employment="full"):
        subjects = s.subject.replace("，", "、").replace(",", "、").split("、")
        certified = any(str(c.get("kind", "")).startswith("心理健康教育") for c in s.certificates or [])
        if certified and ("心理健康" in subjects or s.position == "心理教师"):
            staffed.add(s.org_id)
    return len(staffed), len(schools)


def psych_teacher_primary(org, period):
    return _psych_rate(org, (SchoolType.PRIMARY,))


def psych_teacher_secondary(org, period):
    return _psych_rate(org, (SchoolType.JUNIOR, SchoolType.SENIOR, SchoolType.COMPLETE_SECONDARY, SchoolType.NINE_YEAR))


def _registers(org, period):
    """控辍保学: each county's latest register batch dated within the period, its children and, per
    child, whether the roll has them in school (在读, 毕业, or 休学 for at most 365 days)."""
    from mofang.governance.dropout_control.models import RegisterBatch, RegisterChild
    from mofang.platform.people.models import RollEvent

    batches = {}
    for b in RegisterBatch.objects.filter(county__path__startswith=org.path, reference_date__lte=period.end).order_by(
        "reference_date", "pk"
    ):
        batches[b.county_id] = b  # the latest wins
    if not batches:
        return None
    today = timezone.localdate()
    children = in_school = dropped = 0
    for child in RegisterChild.objects.filter(batch__in=batches.values()):
        children += 1
        records = list(Student.objects.filter(id_number_hash=child.id_number_hash))
        ok = False
        for s in records:
            if s.status in (RollStatus.ENROLLED, RollStatus.GRADUATED):
                ok = True
            elif s.status == RollStatus.SUSPENDED:
                since = RollEvent.objects.filter(student=s, kind="suspend").order_by("-occurred_on").first()
                ok = ok or (since is not None and (today - since.occurred_on).days <= 365)
        in_school += ok
        dropped += not ok and any(s.status in (RollStatus.DROPPED_OUT, RollStatus.SUSPENDED) for s in records)
    return children, in_school, dropped


def dropout_enrolment_rate(org, period):
    got = _registers(org, period)
    return (None, None) if got is None else (got[1], got[0])


def dropout_count(org, period):
    got = _registers(org, period)
    return (None, None) if got is None else (got[2], None)


def _quality(org, period, kind):
    """综合素质评价 (this module's definition of 达标, see its README): per school, the students with a
    record of the school year in progress at the period's end that is not revoked; 达标 those with
    an approved or archived record of the kind. Counted here in Python from the rows."""
    from mofang.governance.quality_eval.models import Record
    from mofang.platform.people.grades import school_year_start

    evaluated, met = set(), set()
    rows = Record.objects.filter(school_year=school_year_start(period.end), school__path__startswith=org.path)
    for school, student, k, status in rows.values_list("school_id", "student_id", "kind", "status"):
        if status == "revoked":
            continue
        evaluated.add((school, student))
        if k == kind and status in ("approved", "archived"):
            met.add((school, student))
    if not evaluated:
        return None, None
    return len(met), len(evaluated)


def quality_sports_skill_rate(org, period):
    return _quality(org, period, "sports_skill")


def quality_art_skill_rate(org, period):
    return _quality(org, period, "art_skill")


DIRECT = {
    f.__name__: f
    for f in (
        students,
        kindergartens,
        inclusive_kindergartens,
        inclusive_kg_coverage,
        smart_campus_coverage,
        afterschool_student_rate,
        afterschool_teacher_rate,
        afterschool_satisfaction,
        inspector_staffing_rate,
        timebank_coverage,
        open_hazards,
        overdue_hazards,
        enrollment_registrations,
        enrollment_seats,
        fitness_pass_rate,
        fitness_good_rate,
        vision_myopia_rate,
        psych_teacher_primary,
        psych_teacher_secondary,
        dropout_enrolment_rate,
        dropout_count,
        quality_sports_skill_rate,
        quality_art_skill_rate,
    )
}


def expected(code: str, org, period) -> float | None:
    """The indicator's value at the org from the direct count: Σ numerator ÷ Σ denominator (× 100
    for %), rounded as shown; None where there is no data (or nothing to divide by)."""
    shipped = SHIPPED_INDICATORS[code]
    num, den = DIRECT[code](org, period)
    if num is None:
        return None
    unit, factor = shipped.unit
    if shipped.denominator:
        if not den:
            return None
        raw = Decimal(num) * factor / Decimal(den)
    else:
        raw = Decimal(num) * factor
    return float(raw.quantize(Decimal("0.1") if unit == "%" else Decimal(1), rounding=ROUND_HALF_UP))


# --- what the cockpit shows -------------------------------------------------------------------


def _text(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell).strip()


def _number(text: str, unit: str) -> float | None:
    """A figure as written on the page (86.4%, 12人) → 86.4 / 12; 暂无数据 → None."""
    if text == NO_DATA:
        return None
    assert text.endswith(unit), text
    return float(text[: -len(unit)])


def shown(html: str) -> dict:
    """The page's figures: own cards by indicator code, the league rows by org id, the map data."""
    cards = {
        code: _text(value)
        for code, value in re.findall(
            r'<div class="icard[^"]*" data-code="([^"]+)">.*?<div class="icard-value">(.*?)</div>', html, re.S
        )
    }
    body = html.split('<table class="league">', 1)[1].split("</table>", 1)[0]
    league = {
        int(org): [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for org, row in re.findall(r'<tr data-org="(\d+)">(.*?)</tr>', body, re.S)
    }
    data = re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>', html, re.S)
    assert data is not None, "the page carries no map data"
    chart = json.loads(data[1])
    return {"cards": cards, "league": league, "chart": chart}


@pytest.fixture
def cockpit(province, client):
    from tests.test_permission_matrix import _login

    _login(client, User.objects.get(username="admin_zj"))

    def page(region, code=None):
        url = f"/cockpit/?region={region.pk}" + (f"&indicator={code}" if code else "")
        r = client.get(url)
        assert r.status_code == 200, (url, r.content[:300])
        return shown(r.content.decode())

    page.client = client
    return page


def test_every_indicator_in_every_region_is_the_modules_own_count_and_no_data_is_never_zero(province, cockpit):
    period = current_period("year")
    missing = sorted(set(SHIPPED_INDICATORS) - set(DIRECT))
    assert not missing, f"write the direct count of {missing} in this test"
    cities = list(OrgUnit.objects.filter(kind=OrgKind.CITY).order_by("path"))
    counties = list(OrgUnit.objects.filter(kind=OrgKind.COUNTY).order_by("path"))
    assert len(cities) == 11 and len(counties) == 90
    seen: dict[tuple[str, int], float | None] = {}  # (code, org id) → value in a parent's league
    no_data = with_data = 0
    for parent in [province, *cities]:
        for code, shipped in SHIPPED_INDICATORS.items():
            unit = shipped.unit[0]
            d = cockpit(parent, code)
            chart_rows = {r["id"]: r for r in d["chart"]["children"]}
            assert set(chart_rows) == set(d["league"]), (parent.name, code)
            ranked_none = False
            for org_id, (rank, name, value_text, _target, _met) in d["league"].items():
                org = OrgUnit.objects.get(pk=org_id)
                want = expected(code, org, period)
                got = _number(value_text, unit)
                assert got == want, f"{shipped.name} · {name}: cockpit {value_text}, direct count {want}"
                # the same figure in the map data the map draws from
                assert chart_rows[org_id]["value"] == want, (shipped.name, name, chart_rows[org_id]["value"])
                if want is None:
                    assert value_text == NO_DATA and rank == "—", (shipped.name, name, value_text, rank)
                    assert chart_rows[org_id]["value_text"] == NO_DATA
                    ranked_none, no_data = True, no_data + 1
                else:
                    assert not ranked_none, f"{shipped.name}: {name} has a value but is listed after no data"
                    with_data += 1
                seen[(code, org_id)] = want
            # the region's own card: the direct count, as text and in the map data's cards
            want = expected(code, parent, period)
            assert _number(d["cards"][code], unit) == want, (parent.name, shipped.name, d["cards"][code], want)
            card = next(c for c in d["chart"]["cards"] if c["code"] == code)
            assert card["value"] == want and card["value_text"] == d["cards"][code]
            if parent.kind == OrgKind.CITY:  # the city's card is the figure of its row on the province page
                assert seen[(code, parent.pk)] == want, (parent.name, shipped.name)
    # each county's own page: every card is the figure its city's league table and map showed
    # (which were the direct count above)
    for county in counties:
        d = cockpit(county)
        for code, shipped in SHIPPED_INDICATORS.items():
            got = _number(d["cards"][code], shipped.unit[0])
            assert got == seen[(code, county.pk)], (county.name, shipped.name, got)
    assert no_data and with_data  # the demo has both: the test proves something either way


def test_the_demo_figures_the_issue_reported(province, cockpit):
    """幼儿园数 is the number of the demo's kindergartens (not the seed's 1180), 衢州's kindergartens
    are those its map plots, the year's registrations are those parents made, and a county without
    after-school service shows 暂无数据."""
    period = current_period("year")
    d = cockpit(province, "kindergartens")
    kgs = OrgUnit.objects.filter(kind=OrgKind.SCHOOL, school_type=SchoolType.KINDERGARTEN)
    assert d["cards"]["kindergartens"] == f"{kgs.count()}所" != "1180所"
    # a city with kindergartens (at this scale 衢州 may have none): its row is what its map plots
    city = max(OrgUnit.objects.filter(kind=OrgKind.CITY), key=lambda c: kgs.filter(path__startswith=c.path).count())
    in_city = kgs.filter(path__startswith=city.path).count()
    assert in_city > 0 and d["league"][city.pk][2] == f"{in_city}所"
    plotted = sum(
        1
        for county in OrgUnit.objects.filter(kind=OrgKind.COUNTY, path__startswith=city.path)
        for p in cockpit(county)["chart"]["children"]
        if kgs.filter(pk=p["id"]).exists()
    )
    assert plotted == in_city
    quzhou = OrgUnit.objects.get(code="330800")
    registrations, _ = enrollment_registrations(province, period)
    assert registrations and cockpit(province)["cards"]["enrollment_registrations"] == f"{registrations}人"
    rows = cockpit(quzhou, "afterschool_student_rate")["league"]
    assert any(r[2] == NO_DATA for r in rows.values()) and not any(r[2] == "0.0%" for r in rows.values())


def test_the_data_api_serves_the_figures_the_page_shows(province, cockpit):
    """/cockpit/data/ (the 大屏's refresh) has the page's cards and map rows for every indicator."""
    for code in SHIPPED_INDICATORS:
        page = cockpit(province, code)
        api = json.loads(cockpit.client.get(f"/cockpit/data/?region={province.pk}&indicator={code}").content)
        assert [(r["id"], r["value"], r["value_text"]) for r in api["children"]] == [
            (r["id"], r["value"], r["value_text"]) for r in page["chart"]["children"]
        ]
        assert {c["code"]: c["value_text"] for c in api["cards"]} == page["cards"]
        league = {int(r["id"]): r["value_text"] for r in api["league"]}
        assert league == {org: row[2] for org, row in page["league"].items()}
