"""Year-end promotion (升级/毕业) of a county, city or province, in set-based SQL.

For the school year `target` (e.g. 2027 = 2027-2028学年) every student who is 在读 and whose
grade still refers to the year before is either promoted (grade + 1, next year's class, a 升级
event and a placement for the new year) or, in the last grade of the school's type, graduates
(毕业 event, status 毕业, class vacated). The student's `school_year` marks the work as done, so
running the job twice for the same year changes nothing the second time.

The job works one county per transaction, holding the county's row lock (as the one-student
`roll.promote` does), and reports progress per county. No Python loop touches students: each
county is five INSERT … SELECT / UPDATE statements over two small temporary tables (the schools'
last grades and the class → next class map).
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.jobs.services import run_job, start_job
from mofang.platform.orgs.models import REGION_KINDS, OrgKind, OrgUnit

from . import grades
from .models import ClassPlacement, RollEvent, RollEventKind, RollStatus, SchoolYear, Student
from .roll import class_map, current_school_year, ensure_school_year

PERM = "people.promote_students"
WORKERS = 2  # counties promoted at once by the job on PostgreSQL


# --- the preview ---------------------------------------------------------------------------


@dataclass
class SchoolPreview:
    school: OrgUnit
    promote: dict[int, int] = field(default_factory=dict)  # current grade → students moving up
    graduate: int = 0

    @property
    def total(self) -> int:
        return sum(self.promote.values()) + self.graduate

    @property
    def moves(self) -> list[tuple[str, str, int]]:
        t = self.school.school_type
        return [(grades.grade_name(t, g), grades.grade_name(t, g + 1), n) for g, n in sorted(self.promote.items())]


@dataclass
class Preview:
    target: int
    schools: list[SchoolPreview]

    @property
    def promoted(self) -> int:
        return sum(sum(s.promote.values()) for s in self.schools)

    @property
    def graduated(self) -> int:
        return sum(s.graduate for s in self.schools)

    @property
    def total(self) -> int:
        return self.promoted + self.graduated


def due_students(user, org: OrgUnit | None, target: int):
    """The students the promotion into `target` would move, as `user` may see them (under `org`)."""
    qs = Student.objects.visible_to(user, PERM).filter(
        status=RollStatus.ENROLLED, school_year__start_year=target - 1, grade__isnull=False
    )
    if org is not None:
        qs = qs.filter(school__path__startswith=org.path)
    return qs


def preview(user, *, target: int, org: OrgUnit | None = None) -> Preview:
    """Per school: how many move up into which grade and how many graduate (counts only)."""
    counts = due_students(user, org, target).values_list("school_id", "grade").annotate(n=Count("pk")).order_by()
    by_school: dict[int, list[tuple[int, int]]] = {}
    for school_id, grade, n in counts:
        by_school.setdefault(school_id, []).append((grade, n))
    schools = OrgUnit.objects.filter(pk__in=by_school).order_by("path")
    rows = []
    for school in schools:
        if not grades.has_grades(school.school_type):
            continue
        last = grades.last_grade(school.school_type)
        row = SchoolPreview(school)
        for grade, n in by_school[school.pk]:
            if grade >= last:
                row.graduate += n
            else:
                row.promote[grade] = row.promote.get(grade, 0) + n
        rows.append(row)
    return Preview(target, rows)


def target_years(today=None) -> list[int]:
    """The years one may promote into: this school year (if September's promotion was not run)
    and the next one (the usual case, prepared in the summer)."""
    start = current_school_year(today).start_year
    return [start + 1, start]


# --- starting the job ----------------------------------------------------------------------


def start_promotion(org: OrgUnit, *, target: int, acting_user):
    """Check and start the background job (the page asked for confirmation first)."""
    if org.kind not in REGION_KINDS:
        raise ValidationError({"org": gettext("学年升级须由区县及以上教育行政部门统一发起")})
    if acting_user is not None and not has_perm_at(acting_user, PERM, org):
        raise PermissionDenied("您无权对该地区发起学年升级")
    if target not in target_years():
        raise ValidationError({"year": gettext("只能升入本学年或下一学年")})
    name = grades.school_year_name(target)
    with transaction.atomic():
        ensure_school_year(target)
        job = start_job(
            task=promotion_task,
            kind="people:promotion",
            title=f"{org.name}升入{name}（升级与毕业）",
            org=org,
            acting_user=acting_user,
            params={"org": org.pk, "target": target},
        )
        record(
            actor=acting_user,
            action=AuditAction.ACTION,
            org=org,
            obj=job,
            summary=f"发起{org.name}学年升级：升入{name}",
        )
    return job


@task()
def promotion_task(job_id: int) -> dict:
    return run_job(job_id, _job_body)


def _job_body(job, reporter) -> dict:
    org = OrgUnit.objects.get(pk=job.params["org"])
    return promote_region(org, target=job.params["target"], acting_user=job.created_by, reporter=reporter)


# --- the set-based work --------------------------------------------------------------------


def promote_region(org: OrgUnit, *, target: int, acting_user=None, reporter=None) -> dict:
    """Promote every county under `org` (or `org` itself, a county) into school year `target`."""
    counties = (
        [org]
        if org.kind == OrgKind.COUNTY
        else list(OrgUnit.objects.filter(path__startswith=org.path, kind=OrgKind.COUNTY).order_by("path"))
    )
    new = ensure_school_year(target)
    prev = SchoolYear.objects.filter(start_year=target - 1).first()
    totals: Counter = Counter()
    if reporter:
        reporter.progress(0, total=len(counties), message="开始升级")
    lock = threading.Lock()
    done = [0]

    def one(county):
        if prev is not None:
            with transaction.atomic():
                moved = _promote_county(county, prev, new, acting_user)
        with lock:
            if prev is not None:
                totals.update(moved)
            done[0] += 1
            if reporter:
                reporter.progress(
                    done[0], total=len(counties), message=f"已完成{county.name}（{done[0]}/{len(counties)}）"
                )

    # On PostgreSQL, outside any caller's transaction (the job), counties go two at a time on two
    # connections; each county is its own transaction either way.
    workers = WORKERS if connection.vendor == "postgresql" and not connection.in_atomic_block else 1
    if workers == 1:
        for county in counties:
            one(county)
    else:

        def work(chunk):
            try:
                for county in chunk:
                    one(county)
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=workers) as pool:
            for f in [pool.submit(work, counties[k::workers]) for k in range(workers)]:
                f.result()
    result: dict[str, int | str] = {k: totals[k] for k in ("promoted", "graduated", "events", "placements")}
    result["message"] = (
        f"{org.name}升入{new}：升级{totals['promoted']}人，毕业{totals['graduated']}人，"
        f"写入学籍异动{totals['events']}条"
    )
    return result


def _promote_county(county: OrgUnit, prev: SchoolYear, new: SchoolYear, acting_user) -> Counter:
    list(OrgUnit.objects.select_for_update().filter(pk=county.pk).values_list("pk"))  # see roll.lock_county_of
    schools = {
        pk: t
        for pk, t in OrgUnit.objects.filter(path__startswith=county.path, kind=OrgKind.SCHOOL).values_list(
            "pk", "school_type"
        )
        if grades.has_grades(t)
    }
    if not schools:
        return Counter()
    cmap = class_map(county.path, schools)
    q = connection.ops.quote_name
    student, event, placement = (q(m._meta.db_table) for m in (Student, RollEvent, ClassPlacement))
    now = timezone.now()
    user_id = acting_user.pk if acting_user is not None and acting_user.is_authenticated else None
    p = {
        "prev": prev.pk,
        "new": new.pk,
        "enrolled": RollStatus.ENROLLED,
        "graduated": RollStatus.GRADUATED,
        "k_grad": RollEventKind.GRADUATE,
        "k_prom": RollEventKind.PROMOTE,
        "grad_on": prev.ends_on,
        "prom_on": new.starts_on,
        "user": user_id,
        "now": now,
    }
    # the county's schools as literal ids (integers from the database): the planner then reads the
    # county's students through the (school, status, grade) index instead of scanning the province
    due = (
        f"s.status = %(enrolled)s AND s.school_year_id = %(prev)s "
        f"AND s.school_id IN ({', '.join(str(int(pk)) for pk in schools)})"
    )
    with connection.cursor() as cur:
        for table, cols in (
            ("roll_school", "school_id integer PRIMARY KEY, last_grade integer NOT NULL"),
            ("roll_class_map", "old_id integer PRIMARY KEY, new_id integer NOT NULL"),
        ):
            cur.execute(f"DROP TABLE IF EXISTS {table}")
            cur.execute(f"CREATE TEMPORARY TABLE {table} ({cols})")
        cur.executemany(
            "INSERT INTO roll_school VALUES (%s, %s)", [(pk, grades.last_grade(t)) for pk, t in schools.items()]
        )
        if cmap:
            cur.executemany("INSERT INTO roll_class_map VALUES (%s, %s)", list(cmap.items()))
        if connection.vendor == "postgresql":
            # A temporary table has no statistics until analysed. Then, for this transaction only:
            # every row this job reads has an index (the county's students by (school, status,
            # grade), the two small tables by primary key), but the planner prefers to re-scan the
            # class map for each of a county's students — 3× slower at a million students.
            cur.execute("ANALYZE roll_school")
            cur.execute("ANALYZE roll_class_map")
            cur.execute("SET LOCAL enable_seqscan = off")
        events_cols = (
            "(student_id, kind, occurred_on, school_year_id, school_id, grade, klass_id, status, "
            "other_school, reason, created_by_id, created_at)"
        )
        # 毕业: the last grade of the school's type (history first, then the students)
        cur.execute(
            f"INSERT INTO {event} {events_cols} "
            f"SELECT s.id, %(k_grad)s, %(grad_on)s, %(prev)s, s.school_id, s.grade, NULL, %(graduated)s, '', '', "
            f"%(user)s, %(now)s FROM {student} s JOIN roll_school r ON r.school_id = s.school_id "
            f"WHERE {due} AND s.grade >= r.last_grade",
            p,
        )
        graduated_events = cur.rowcount
        cur.execute(
            f"UPDATE {student} AS s SET status = %(graduated)s, klass_id = NULL, school_year_id = %(new)s, "
            f"updated_at = %(now)s FROM roll_school r WHERE r.school_id = s.school_id AND {due} "
            f"AND s.grade >= r.last_grade",
            p,
        )
        graduated = cur.rowcount
        # 升级: every other grade moves up, into next year's class
        moving = (
            f"FROM {student} s JOIN roll_school r ON r.school_id = s.school_id "
            f"LEFT JOIN roll_class_map m ON m.old_id = s.klass_id WHERE {due} AND s.grade < r.last_grade"
        )
        cur.execute(
            f"INSERT INTO {event} {events_cols} "
            f"SELECT s.id, %(k_prom)s, %(prom_on)s, %(new)s, s.school_id, s.grade + 1, m.new_id, %(enrolled)s, "
            f"'', '', %(user)s, %(now)s {moving}",
            p,
        )
        promoted_events = cur.rowcount
        cur.execute(
            f"INSERT INTO {placement} (student_id, school_year_id, school_id, grade, klass_id) "
            f"SELECT s.id, %(new)s, s.school_id, s.grade + 1, m.new_id {moving}",
            p,
        )
        placements = cur.rowcount
        cur.execute(
            f"UPDATE {student} AS s SET grade = s.grade + 1, school_year_id = %(new)s, updated_at = %(now)s, "
            f"klass_id = (SELECT m.new_id FROM roll_class_map m WHERE m.old_id = s.klass_id) "
            f"FROM roll_school r WHERE r.school_id = s.school_id AND {due} AND s.grade < r.last_grade",
            p,
        )
        promoted = cur.rowcount
        for table in ("roll_school", "roll_class_map"):
            cur.execute(f"DROP TABLE {table}")
    if (graduated, promoted) != (graduated_events, promoted_events):  # pragma: no cover - the lock prevents it
        raise RuntimeError(f"{county.name}：升级人数与异动记录数不一致")
    if promoted or graduated:
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            org=county,
            summary=f"{county.name}升入{new}：升级{promoted}人，毕业{graduated}人",
            after={"school_year": new.start_year, "promoted": promoted, "graduated": graduated},
        )
    return Counter(
        promoted=promoted, graduated=graduated, events=promoted_events + graduated_events, placements=placements
    )
