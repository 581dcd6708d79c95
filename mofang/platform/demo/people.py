"""People of the demo province: students, their guardians and the staff of every school.

ID numbers are valid GB 11643 numbers whose birth date and sex digit agree with the person;
mobile numbers are unique. Everything personal is sealed exactly as the models' set_id_number
and set_phone do it (same identity functions).
"""

import datetime as dt
import random
from collections import Counter

from django.db import connection
from django.utils import timezone

from mofang.platform.orgs.models import Ownership, SchoolType
from mofang.platform.people import grades, identity
from mofang.platform.people.identity import id_check_digit
from mofang.platform.people.models import (
    ClassPlacement,
    Guardian,
    Guardianship,
    RollEvent,
    RollEventKind,
    RollStatus,
    SchoolYear,
    Sex,
    Staff,
    StaffCategory,
    Student,
    TeacherCertKind,
)
from mofang.platform.people.roll import ensure_school_year

from . import names
from .bulk import RowWriter, date_value
from .names import NamePicker


class IdNumbers:
    """Issues valid, unique GB 11643 numbers.

    Order codes 001–699 are issued per county to people born in that county (the counter is
    dropped when the county is done, to bound memory at benchmark sizes); 700–999 go to people
    born elsewhere, from a province-wide counter. The two ranges never meet, so no number is
    issued twice.
    """

    def __init__(self):
        self.local: dict[tuple, int] = {}
        self.shared: dict[tuple, int] = {}

    def start_county(self) -> None:
        self.local = {}

    def issue(self, rng: random.Random, region: str, birth: dt.date, sex: str, *, local: bool) -> str:
        table, low, high = (self.local, 1, 699) if local else (self.shared, 700, 999)
        key = (region, birth, sex)
        order = table.get(key)
        if order is None:
            order = low + rng.randrange(0, 60) * 2
            if (order % 2 == 1) != (sex == Sex.MALE):  # 17th digit: odd = male
                order += 1
        if order > high:
            raise OverflowError(f"{region} {birth} 出生人数超出身份证顺序码范围，请减小规模")
        table[key] = order + 2
        first17 = f"{region}{birth:%Y%m%d}{order:03d}"
        return first17 + id_check_digit(first17)


class Mobiles:
    """Unique, random-looking mainland mobile numbers.

    The 8 digits after the prefix are an affine bijection of a counter (multiplier coprime to
    10**8), read backwards so that neighbours do not share their last digits. Distinct counters
    give distinct digits, so every number is unique whatever prefix it gets.
    """

    _MULT = 48_271_573  # odd and not a multiple of 5

    def __init__(self, seed: int):
        self.n = 0
        self.offset = (seed * 7_919) % 10**8

    def next(self) -> str:
        body = f"{(self.n * self._MULT + self.offset) % 10**8:08d}"[::-1]
        prefix = names.MOBILE_PREFIXES[int(body[3:6]) % len(names.MOBILE_PREFIXES)]
        self.n += 1
        return prefix + body


_SUBJECT_GROUP = {
    SchoolType.KINDERGARTEN: "kindergarten",
    SchoolType.PRIMARY: "primary",
    SchoolType.JUNIOR: "junior",
    SchoolType.NINE_YEAR: "junior",
    SchoolType.SENIOR: "senior",
    SchoolType.VOCATIONAL: "vocational",
    SchoolType.SPECIAL: "special",
}


class PeopleWriter:
    """Generates and writes the people of the province, one county at a time."""

    def __init__(self, *, seed: int, school_year: int, county_codes: list[str]):
        self.seed = seed
        self.year = school_year
        self.county_codes = county_codes
        self.ids = IdNumbers()
        self.mobiles = Mobiles(seed)
        self.students = RowWriter(
            Student,
            [
                "student_no",
                "name",
                "sex",
                "birth_date",
                "school_id",
                "klass_id",
                "enrolled_on",
                "id_number_sealed",
                "id_number_hash",
                "id_number_masked",
                "entry_year",
                "grade",
                "school_year_id",
                "status",
            ],
        )
        self.school_year = ensure_school_year(school_year)
        self.student_ids = (10**18, 0)  # the range of student ids this writer issued
        # a guardian belongs to no school (one phone, children anywhere): the links carry the school
        self.guardians = RowWriter(Guardian, ["name", "phone_sealed", "phone_hash", "phone_masked"])
        self.links = RowWriter(Guardianship, ["guardian_id", "student_id", "relation"])
        self.staff = RowWriter(
            Staff,
            [
                "staff_no",
                "name",
                "sex",
                "org_id",
                "position",
                "subject",
                "phone_sealed",
                "phone_masked",
                "id_number_sealed",
                "id_number_hash",
                "id_number_masked",
                "category",
                "title",
                "teacher_cert_kind",
                "teacher_cert_no",
                "hired_on",
            ],
        )

    def county(self, county) -> Counter:
        """`county` has .code and .schools (each with .node, .kind, .classes)."""
        self.ids.start_county()
        student_no_seq: dict[dt.date, int] = {}
        for school in county.schools:
            # One Random per school: a school's people depend only on the seed, its code and its
            # classes, so the story school has the same teachers at every scale.
            rng = random.Random(f"mofang-demo:{self.seed}:{school.node.code}")
            n = self._students(county.code, school, rng, student_no_seq)
            self._staff(county.code, school, n, rng)
        counts = Counter(students=self.students.flush(), guardians=self.guardians.flush(), staff=self.staff.flush())
        self.links.flush()
        return counts

    def roll_history(self) -> int:
        """Each demo student's 入学 event (in the school year of their 入学年份) and this year's class
        placement, in two INSERT … SELECT statements; returns the events written."""
        low, high = self.student_ids
        if high < low:
            return 0
        first = self.year - max(high - low for low, high in grades.GRADE_RANGE.values())
        years = {y.start_year: y for y in (ensure_school_year(y) for y in range(first, self.year + 1))}
        q = connection.ops.quote_name
        st, ev, pl, sy = (q(m._meta.db_table) for m in (Student, RollEvent, ClassPlacement, SchoolYear))
        now = timezone.now()
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {ev} (student_id, kind, occurred_on, school_year_id, school_id, grade, klass_id, status, "
                f"other_school, reason, created_by_id, created_at) "
                f"SELECT s.id, %s, s.enrolled_on, y.id, s.school_id, s.grade - (%s - s.entry_year), NULL, %s, '', '', "
                f"NULL, %s FROM {st} s JOIN {sy} y ON y.start_year = s.entry_year WHERE s.id BETWEEN %s AND %s",
                [RollEventKind.ENROL, self.year, RollStatus.ENROLLED, now, low, high],
            )
            events = cur.rowcount
            cur.execute(
                f"INSERT INTO {pl} (student_id, school_year_id, school_id, grade, klass_id) "
                f"SELECT s.id, %s, s.school_id, s.grade, s.klass_id FROM {st} s WHERE s.id BETWEEN %s AND %s",
                [years[self.year].pk, low, high],
            )
        return events

    def _birth_region(self, rng, county_code: str) -> tuple[str, bool]:
        r = rng.random()
        if r < 0.85:
            return county_code, True
        if r < 0.93:
            return rng.choice(self.county_codes), False
        return rng.choice(names.MIGRANT_BIRTH_REGIONS), False

    def _students(self, county_code: str, school, rng: random.Random, student_no_seq: dict) -> int:
        kind, picker = school.kind, NamePicker(rng)
        school_id = school.node.pk
        private = school.node.ownership == Ownership.PRIVATE
        total = 0
        for klass, gi in school.classes:
            age = kind.first_age + gi
            first_day = dt.date(self.year - age - 1, 9, 1)
            span = (dt.date(self.year - age, 8, 31) - first_day).days
            size = rng.randint(*kind.class_size)
            if private:  # smaller classes in private schools
                size = max(kind.class_size[0] - 4, size - 4)
            entry = date_value(dt.date(self.year - gi, 9, 1))
            grade = grades.first_grade(kind.type) + gi  # the roll's grade, from the cohort's 入学年份
            for _ in range(size):
                sex = Sex.MALE if rng.random() < 0.515 else Sex.FEMALE
                surname = picker.surname()
                birth = first_day + dt.timedelta(days=rng.randrange(span + 1))
                region, local = self._birth_region(rng, county_code)
                id_number = self.ids.issue(rng, region, birth, sex, local=local)
                seq = student_no_seq.get(birth, 0) + 1
                student_no_seq[birth] = seq
                student_id = self.students.new_id()
                self.student_ids = (min(self.student_ids[0], student_id), max(self.student_ids[1], student_id))
                self.students.add(
                    (
                        student_id,
                        # Shaped like the national 学籍号 ("G" + 18 characters) but not a copy of the
                        # ID number, which must stay sealed.
                        f"G{county_code}{birth:%Y%m%d}{seq:04d}",
                        picker.child(sex, surname),
                        sex,
                        date_value(birth),
                        school_id,
                        klass.pk,
                        entry,
                        identity.seal(id_number),
                        identity.lookup_hash(id_number),
                        identity.mask_id_number(id_number),
                        self.year - gi,
                        grade,
                        self.school_year.pk,
                        RollStatus.ENROLLED,
                    )
                )
                for relation in _guardian_relations(rng):
                    male = relation in ("父亲", "祖父", "外公")
                    # a child usually carries the father's surname
                    name = picker.adult(
                        Sex.MALE if male else Sex.FEMALE, surname if relation in ("父亲", "祖父") else None
                    )
                    phone = self.mobiles.next()
                    guardian_id = self.guardians.new_id()
                    self.guardians.add(
                        (
                            guardian_id,
                            name,
                            identity.seal(phone),
                            identity.lookup_hash(phone),
                            identity.mask_mobile(phone),
                        )
                    )
                    self.links.add((self.links.new_id(), guardian_id, student_id, relation))
            total += size
        return total

    def _staff(self, county_code: str, school, n_students: int, rng: random.Random) -> None:
        kind, picker = school.kind, NamePicker(rng)
        n = max(len(kind.leaders) + 6, round(n_students / kind.pupils_per_staff))
        subjects = names.SUBJECTS[_SUBJECT_GROUP[kind.type]]
        for i in range(n):
            sex = Sex.FEMALE if rng.random() < kind.female_staff else Sex.MALE
            if i < len(kind.leaders):
                position = kind.leaders[i]
                birth_year = self.year - rng.randint(40, 56)
            else:
                position = "保育员" if kind.type == SchoolType.KINDERGARTEN and rng.random() < 0.3 else "教师"
                birth_year = self.year - rng.randint(23, 58)
            birth = dt.date(birth_year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            local = rng.random() < 0.8
            region = county_code if local else rng.choice(self.county_codes)
            id_number = self.ids.issue(rng, region, birth, sex, local=local)
            phone = self.mobiles.next()
            # the profile is derived from what was drawn (no further draws: the story's people stay the same)
            category, title, cert_kind, cert_no, hired = _profile(
                kind.type, position, i, birth, school.node.code, self.year
            )
            self.staff.add(
                (
                    self.staff.new_id(),
                    f"T{school.node.code}{i + 1:04d}",
                    picker.adult(sex),
                    sex,
                    school.node.pk,
                    position,
                    "" if position == "保育员" else rng.choice(subjects),
                    identity.seal(phone),
                    identity.mask_mobile(phone),
                    identity.seal(id_number),
                    identity.lookup_hash(id_number),
                    identity.mask_id_number(id_number),
                    category,
                    title,
                    cert_kind,
                    cert_no,
                    date_value(hired),
                )
            )


_CERT_KIND = {
    SchoolType.KINDERGARTEN: TeacherCertKind.KINDERGARTEN,
    SchoolType.PRIMARY: TeacherCertKind.PRIMARY,
    SchoolType.JUNIOR: TeacherCertKind.JUNIOR,
    SchoolType.NINE_YEAR: TeacherCertKind.JUNIOR,
    SchoolType.SENIOR: TeacherCertKind.SENIOR,
    SchoolType.VOCATIONAL: TeacherCertKind.VOCATIONAL,
    SchoolType.SPECIAL: TeacherCertKind.PRIMARY,
}


def _profile(school_type, position: str, i: int, birth: dt.date, school_code: str, year: int):
    """(类别, 职称, 教师资格种类, 证书编号, 入职日期) for a generated staff member."""
    if position == "保育员":
        return StaffCategory.SUPPORT, "", "", "", dt.date(birth.year + 20, 9, 1)
    age = year - birth.year
    title = "高级教师" if age >= 45 else "一级教师" if age >= 32 else "二级教师"
    hired = dt.date(min(birth.year + 22 + i % 3, year), 9, 1)
    # 教师资格证书编号: year issued + the school's 标识码 minus its last digit + sequence, 17 digits
    cert_no = f"{hired.year - 1}{school_code[:9]}{i + 1:04d}"
    category = StaffCategory.TEACHER if position == "教师" else StaffCategory.ADMIN
    return category, title, _CERT_KIND[school_type], cert_no, hired


def _guardian_relations(rng: random.Random) -> tuple[str, ...]:
    r = rng.random()
    if r < 0.22:
        return ("母亲", "父亲")
    if r < 0.65:
        return ("母亲",)
    if r < 0.93:
        return ("父亲",)
    return (rng.choice(("祖父", "祖母", "外公", "外婆")),)
