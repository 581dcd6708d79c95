"""Builders for tests (and the permission matrix): a small real tree and users with roles.

Not fixtures with hard-coded results: each builder creates rows through the same models the
platform uses, so tests assert what a user would see.
"""

import itertools
import re
from dataclasses import dataclass

from mofang.platform.accounts.models import Membership, Role, User
from mofang.platform.orgs.models import OrgKind, OrgUnit, Ownership, SchoolType
from mofang.platform.people import identity
from mofang.platform.people.models import Staff, StaffCategory, Student

_seq = itertools.count(1)


def make_id_number(birth: str = "20150301", sex: str = "M", region: str = "330822") -> str:
    """A valid GB 11643 number for the given birth date (YYYYMMDD) and sex."""
    n = next(_seq) % 500
    order = f"{n:02d}{(1 if sex == 'M' else 2) + 2 * (n % 4)}"[-3:]
    if (int(order[-1]) % 2 == 1) != (sex == "M"):
        order = order[:2] + str((int(order[-1]) + 1) % 10)
    first17 = f"{region}{birth}{order}"
    return first17 + identity.id_check_digit(first17)


@dataclass
class Tree:
    province: OrgUnit
    city: OrgUnit
    county: OrgUnit
    school: OrgUnit
    klass: OrgUnit
    other_county: OrgUnit
    other_school: OrgUnit
    department: OrgUnit


def add(parent: OrgUnit | None, name: str, kind: str, code: str | None = None, **extra) -> OrgUnit:
    fields = dict(name=name, kind=kind, code=code, **extra)
    if parent is None:
        return OrgUnit.objects.add_root(fields)
    return OrgUnit.objects.add_child(parent, fields)


def build_tree() -> Tree:
    """浙江 → 衢州 → 常山县 (常山县第一小学 → 一年级 → 1班) and 江山市 (another county)."""
    province = add(None, "浙江省", OrgKind.PROVINCE, "330000")
    city = add(province, "衢州市", OrgKind.CITY, "330800")
    county = add(city, "常山县", OrgKind.COUNTY, "330822")
    school = add(
        county,
        "常山县第一小学",
        OrgKind.SCHOOL,
        "3308220001",
        school_type=SchoolType.PRIMARY,
        ownership=Ownership.PUBLIC,
    )
    grade = add(school, "一年级", OrgKind.GRADE)
    klass = add(grade, "一年级1班", OrgKind.CLASS)
    other_county = add(city, "江山市", OrgKind.COUNTY, "330881")
    other_school = add(
        other_county,
        "江山市实验小学",
        OrgKind.SCHOOL,
        "3308810001",
        school_type=SchoolType.PRIMARY,
        ownership=Ownership.PUBLIC,
    )
    department = add(county, "常山县公安局", OrgKind.DEPARTMENT)
    return Tree(province, city, county, school, klass, other_county, other_school, department)


def make_user(
    username: str, role_code: str, org: OrgUnit, *, full_name: str = "", password: str = "Mofang#2026"
) -> User:
    user = User.objects.create_user(username=username, password=password, full_name=full_name or username)
    Membership.objects.create(user=user, role=Role.objects.get(code=role_code), org=org)
    return user


def make_staff(
    org: OrgUnit,
    name: str,
    *,
    user: User | None = None,
    sex: str = "F",
    phone: str = "13800000001",
    category: str = StaffCategory.TEACHER,
) -> Staff:
    """A staff member; a 专任教师 unless `category` says otherwise (行政, 教辅, 工勤)."""
    s = Staff(staff_no=f"T{next(_seq):08d}", name=name, sex=sex, org=org, position="教师", user=user, category=category)
    s.set_id_number(make_id_number("19850312", sex))
    s.set_phone(phone)
    s.save()
    return s


def make_student(
    school: OrgUnit, name: str, *, klass: OrgUnit | None = None, sex: str = "M", grade: int | None = None
) -> Student:
    """A student on the roll in this school year, in `grade` (default: the school's first grade)."""
    import datetime as dt

    from mofang.platform.people import grades
    from mofang.platform.people.roll import current_school_year

    s = Student(
        student_no=f"G{next(_seq):012d}", name=name, sex=sex, birth_date=dt.date(2015, 3, 1), school=school, klass=klass
    )
    if grades.has_grades(school.school_type):
        year = current_school_year()
        s.grade = grades.first_grade(school.school_type) if grade is None else grade
        s.entry_year = grades.entry_year_for(school.school_type, s.grade, year.start_year)
        s.school_year = year
    s.set_id_number(make_id_number("20150301", sex))
    s.save()
    return s


def race(targets) -> list[str]:
    """Run each callable in its own thread (its own DB connection), all released at once.

    Returns one outcome per callable: "ok", the first message of a ValidationError, or
    "error: …" for anything else — for tests that prove a lock serialises concurrent writers.
    """
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection

    barrier = threading.Barrier(len(targets))
    outcomes: list[str] = [""] * len(targets)

    def run(i, fn):
        try:
            barrier.wait()
            fn()
            outcomes[i] = "ok"
        except ValidationError as exc:
            outcomes[i] = exc.messages[0]
        except Exception as exc:  # noqa: BLE001 a racing thread's failure goes to the caller's assertion, not lost
            outcomes[i] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


# --- reading the figures a user sees, to prove that a page, its to-do and the cockpit agree --------


def page_text(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, f"{url}: HTTP {r.status_code}"
    return r.content.decode()


def todo_count(client, title: str) -> int:
    """The home page's to-do card `title` (0 when the card is not shown)."""
    m = re.search(rf'<div class="label">{re.escape(title)}</div><div class="value">([\d,]+)<', page_text(client, "/"))
    return int(m.group(1).replace(",", "")) if m else 0


def todo_url(client, title: str) -> str:
    """Where the home page's to-do card `title` leads."""
    html = page_text(client, "/")
    m = re.search(rf'<a class="stat [a-z]+" href="([^"]+)"[^>]*><div class="label">{re.escape(title)}</div>', html)
    assert m, f"no to-do {title!r} on the home page"
    return m.group(1).replace("&amp;", "&")


def list_total(client, url: str) -> int:
    """A list page's total (共 N 条)."""
    m = re.search(r'class="total-count">([\d,]+)<', page_text(client, url))
    assert m, f"{url}: no total on the page"
    return int(m.group(1).replace(",", ""))


def cockpit_row(client, code: str, query: str = "") -> tuple[int, int | None]:
    """The cockpit's 待办与逾期 row `code` for the user's own region: (open, overdue or None for —)."""
    html = page_text(client, f"/cockpit/{query}")
    row = html.split(f'data-code="{code}"', 1)[1].split("</tr>", 1)[0]
    nums = re.findall(r'<td class="num">([^<]*)</td>', row)
    return int(nums[0]), (None if nums[1] == "—" else int(nums[1]))
