"""视力健康's services: checking one result's values (shared by the import and the class form),
saving a batch of results (one transaction, audited) and the letters to parents of children
newly screened as myopic."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm_at
from mofang.platform.audit.services import AuditAction, record
from mofang.platform.notifications.services import notify_inbox, send_sms
from mofang.platform.people import identity
from mofang.platform.people.models import Guardianship, Student

from . import engine
from .models import Glasses, Letter, Screening, Status, round_of
from .roles import RECORD

GLASSES = {
    "": Glasses.NONE,
    "无": Glasses.NONE,
    "否": Glasses.NONE,
    "未戴镜": Glasses.NONE,
    "不戴镜": Glasses.NONE,
    "框架": Glasses.FRAME,
    "框架眼镜": Glasses.FRAME,
    "角膜塑形镜": Glasses.ORTHOK,
    "OK镜": Glasses.ORTHOK,
    "ok镜": Glasses.ORTHOK,
    "角膜塑形镜（OK镜）": Glasses.ORTHOK,
    "隐形": Glasses.CONTACT,
    "隐形眼镜": Glasses.CONTACT,
    **{g.value: g for g in Glasses},
}
GLASSES_HELP = "未戴镜、框架眼镜、角膜塑形镜、隐形眼镜"

# field → (label, kind); kind: acuity, sphere, cylinder, axis
FIELDS = {
    "right_acuity": ("右眼裸眼视力", "acuity"),
    "left_acuity": ("左眼裸眼视力", "acuity"),
    "right_sphere": ("右眼球镜", "sphere"),
    "right_cylinder": ("右眼柱镜", "cylinder"),
    "right_axis": ("右眼轴位", "axis"),
    "left_sphere": ("左眼球镜", "sphere"),
    "left_cylinder": ("左眼柱镜", "cylinder"),
    "left_axis": ("左眼轴位", "axis"),
    "right_corrected": ("右眼矫正视力", "acuity"),
    "left_corrected": ("左眼矫正视力", "acuity"),
}
REQUIRED = ("right_acuity", "left_acuity")
ADVICE = (
    "请让孩子每天户外活动2小时；近距离用眼遵守“20-20-20”（每用眼20分钟，向20英尺即6米外远眺20秒）；"
    "请尽快带孩子到正规医院眼科散瞳验光，明确诊断后遵医嘱矫正。"
)


def parse_value(raw: str, field: str) -> tuple[object, str]:
    """(value, '') or (None, Chinese reason) for one cell of a result; '' → (None, '')."""
    label, kind = FIELDS[field]
    raw = (raw or "").strip().replace("＋", "+").replace("－", "-").replace("−", "-")
    if not raw:
        return None, (f"{label}不能为空" if field in REQUIRED else "")
    if kind == "axis":
        if not raw.isdigit():
            return None, f"{label}应为0～180的整数"
        value = int(raw)
        problem = engine.check_axis(value)
        return (None, f"{label}：{problem}") if problem else (value, "")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None, f"{label}应为数字"
    if not number.is_finite():
        return None, f"{label}应为数字"
    if kind == "acuity":
        problem = engine.check_acuity(number)
    elif kind == "sphere":
        problem = engine.check_diopter(number, 30, "球镜")
    else:
        problem = engine.check_diopter(number, 10, "柱镜")
    return (None, f"{label}：{problem}") if problem else (number.quantize(Decimal("0.01")), "")


def parse_glasses(raw: str) -> tuple[str | None, str]:
    value = GLASSES.get((raw or "").strip())
    return (value, "") if value is not None else (None, f"戴镜情况应为：{GLASSES_HELP}")


def cross_check(values: dict) -> list[tuple[str, str]]:
    """Checks across the cells of one row: a cylinder or an axis needs the eye's sphere."""
    errors = []
    for side, name in (("right", "右眼"), ("left", "左眼")):
        if values.get(f"{side}_sphere") is None and (
            values.get(f"{side}_cylinder") is not None or values.get(f"{side}_axis") is not None
        ):
            errors.append((f"{side}_sphere", f"填写了{name}柱镜或轴位时，{name}球镜不能为空"))
    return errors


def check_date(day) -> str:
    if day > timezone.localdate():
        return "筛查日期不能晚于今天"
    if day.year < 2000:
        return "筛查日期不正确"
    return ""


@dataclass
class Result:
    """One checked result, ready to save."""

    student_id: int
    school_id: int
    klass_id: int | None
    grade: int | None
    screened_on: dt.date
    values: dict  # FIELDS keys → value or None
    glasses: str


def save_results(results: list[Result], *, acting_user, org, audit: bool = True) -> dict:
    """Upsert the results (one per student and round) in one transaction; classify each; send the
    letters of the children newly screened as myopic. Returns counts."""
    with transaction.atomic():
        counts = _upsert(results, acting_user)
        letters = send_letters(counts.pop("screenings"))
        counts["letters"] = letters
        if audit:
            record(
                actor=acting_user,
                action=AuditAction.UPDATE,
                org=org,
                summary=f"录入视力筛查结果：新增{counts['created']}人，更新{counts['updated']}人，发出告家长书{letters}封",
            )
    return counts


def _upsert(results: list[Result], acting_user) -> dict:
    keyed = {}
    for r in results:
        year, term = round_of(r.screened_on)
        keyed[(r.student_id, year, term)] = r
    # the pupils' rows locked first, in one order: concurrent saves of the same pupils (the form
    # and an import, two teachers) take turns, and the later one updates what the first wrote
    # and finds its letters already sent, instead of failing on the once-a-round constraint
    list(Student.objects.select_for_update().filter(pk__in={k[0] for k in keyed}).order_by("pk").values_list("pk"))
    existing = {
        (s.student_id, s.school_year, s.term): s
        for s in Screening.objects.select_for_update()
        .filter(student_id__in={k[0] for k in keyed})
        .filter(school_year__in={k[1] for k in keyed})
        .order_by("pk")
    }
    new: list[Screening] = []
    changed: list[Screening] = []
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    for key, r in keyed.items():
        s = existing.get(key) or Screening(student_id=r.student_id, school_year=key[1], term=key[2])
        s.school_id, s.klass_id, s.grade, s.screened_on = r.school_id, r.klass_id, r.grade, r.screened_on
        for field in FIELDS:
            setattr(s, field, r.values.get(field))
        s.glasses, s.recorded_by = r.glasses, user
        s.classify()
        (changed if s.pk else new).append(s)
    Screening.objects.bulk_create(new)
    if changed:
        Screening.objects.bulk_update(
            changed,
            [
                "school",
                "klass",
                "grade",
                "screened_on",
                *FIELDS,
                "glasses",
                "recorded_by",
                "status",
                "degree",
                "updated_at",
            ],
        )
    ids = {(s.student_id, s.school_year, s.term) for s in new + changed}
    saved = [
        s
        for s in Screening.objects.filter(student_id__in={k[0] for k in ids}).select_related("student", "school")
        if (s.student_id, s.school_year, s.term) in ids
    ]
    return {"created": len(new), "updated": len(changed), "screenings": saved}


def _previous(screening: Screening, history: list[Screening]) -> Screening | None:
    earlier = [h for h in history if (h.school_year, h.term) < (screening.school_year, screening.term)]
    return max(earlier, key=lambda h: (h.school_year, h.term), default=None)


def newly_myopic(screenings: list[Screening]) -> list[Screening]:
    """Those myopic now whose previous screening was not (or who had none), without a letter yet."""
    myopic = [s for s in screenings if s.status == Status.MYOPIA]
    if not myopic:
        return []
    history: dict[int, list[Screening]] = {}
    for h in Screening.objects.filter(student_id__in={s.student_id for s in myopic}).only(
        "student_id", "school_year", "term", "status"
    ):
        history.setdefault(h.student_id, []).append(h)
    sent = set(Letter.objects.filter(screening__in=myopic).values_list("screening_id", flat=True))
    out = []
    for s in myopic:
        before = _previous(s, history.get(s.student_id, []))
        if s.pk not in sent and (before is None or before.status != Status.MYOPIA):
            out.append(s)
    return out


def letter_text(screening: Screening) -> tuple[str, str]:
    student = screening.student
    title = f"{student.name}视力筛查告家长书"
    body = (
        f"尊敬的家长：{student.name}在{screening.screened_on:%Y年%m月%d日}的视力筛查中，"
        f"右眼裸眼视力{screening.right_acuity}、左眼裸眼视力{screening.left_acuity}，"
        f"筛查结果为“{screening.get_status_display()}”（筛查性近视不等于确诊）。{ADVICE}"
    )
    return title, body


def send_letters(screenings: list[Screening]) -> int:
    """告家长书 to the guardians of each child newly screened as myopic: inbox (a guardian with an
    account) and SMS. One Letter row per screening makes it once per child per screening.
    Rows are written in the caller's transaction; SMS delivery after commit."""
    due = newly_myopic(screenings)
    if not due:
        return 0
    links = (
        Guardianship.objects.filter(student_id__in={s.student_id for s in due})
        .select_related("guardian__user", "student")
        .order_by("pk")
    )
    by_student: dict[int, list] = {}
    for link in links:
        by_student.setdefault(link.student_id, []).append(link)
    for s in due:
        guardians = by_student.get(s.student_id, [])
        Letter.objects.create(screening=s, school_id=s.school_id, recipients=len(guardians))
        title, body = letter_text(s)
        for link in guardians:
            g = link.guardian
            if g.user_id:
                notify_inbox(g.user, title, body, "/vision/my/")
            if g.phone_sealed:
                send_sms(
                    phone=identity.unseal(g.phone_sealed),
                    text=f"【教育魔方】{body}"[:500],
                    org=s.school,
                    recipient=g.user,
                )
    return len(due)


def record_class(klass, rows: list[Result], *, acting_user) -> dict:
    """The class form's save: the person must hold the recording permission on the class."""
    if not has_perm_at(acting_user, RECORD, klass):
        raise PermissionDenied("您无权录入该班级的视力筛查结果")
    return save_results(rows, acting_user=acting_user, org=klass)
