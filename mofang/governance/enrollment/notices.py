"""录取通知书 (admission notices) as PDF: one A4 page per admitted child of a published draw.

Chinese is set in the platform's embedded TrueType font (mofang.platform.pdf, the one font path
of every PDF the platform prints); without that font the notice is refused with the Chinese
reason (503). The lottery number is set in Courier so it stays plain ASCII in the file. The output is built with `invariant=1` (no timestamps or random ids
in the file) and uncompressed pages, so the same admissions on the same day give the same
bytes and a test can read the text back.

Only admissions of PUBLISHED draws with a school get a notice; anything else raises
NoticeUnavailable with the Chinese reason the page shows.
"""

import datetime as dt
import io

from django.db.models import QuerySet
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from mofang.platform.imports.exports import record_export
from mofang.platform.pdf import FONT_NAME, FontMissing, cjk_font, wrap

from .models import Admission, DrawStatus, Registration, RegistrationStatus, WaiverStatus
from .registration import GRADE_NAMES

FONT = FONT_NAME
LATIN = "Courier"
LOTTERY_DIGITS = 16
# one request builds at most this many pages; a county asks per school (the list's search)
MAX_NOTICES = 3000


class NoticeUnavailable(Exception):
    """No notice for this request; the message (Chinese) says why, `status` is the HTTP answer
    (404 nothing to issue, 400 a request too large)."""

    def __init__(self, message: str, status: int = 404):
        super().__init__(message)
        self.status = status


def bureau_name(county) -> str:
    """The issuing authority printed on the notice: the county's education bureau."""
    return f"{county.name}教育局"


def _page(c: canvas.Canvas, adm: Admission, on: dt.date) -> None:
    reg, draw, school = adm.registration, adm.draw, adm.school
    if school is None:  # published_admitted() gives admitted rows only
        raise NoticeUnavailable(f"{reg.child_name}未被派位录取，没有录取通知书")
    width, height = A4
    left, right = 25 * mm, width - 25 * mm
    c.setLineWidth(1.5)
    c.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    c.setFont(FONT, 30)
    c.drawCentredString(width / 2, height - 55 * mm, "录取通知书")
    c.setFont(FONT, 13)
    c.drawCentredString(width / 2, height - 68 * mm, f"{draw.year}年义务教育{GRADE_NAMES[draw.stage]}招生")

    y = height - 90 * mm
    c.setFont(FONT, 15)
    c.drawString(left, y, f"{reg.child_name}同学及家长：")
    y -= 12 * mm
    body = (
        f"　　经{draw.county.name}{draw.year}年义务教育招生电脑派位，{reg.child_name}同学已被"
        f"{school.name}录取，为{draw.year}年秋季{GRADE_NAMES[draw.stage]}新生。"
        "请按学校通知的时间，持本通知书、儿童户口簿及报名时提交的证明材料原件到校报到。"
    )
    for line in wrap(body, right - left, 14):
        c.setFont(FONT, 14)
        c.drawString(left, y, line)
        y -= 9 * mm

    y -= 8 * mm
    rows = [
        ("儿童姓名", reg.child_name),
        ("身份证号", reg.id_number_masked),
        ("录取学校", school.name),
        ("入学年份", f"{draw.year}年"),
        ("学段", GRADE_NAMES[draw.stage]),
    ]
    for label, value in rows:
        c.setFont(FONT, 13)
        c.drawString(left, y, f"{label}：{value}")
        y -= 8 * mm
    c.setFont(FONT, 13)
    c.drawString(left, y, "随机号：")
    c.setFont(LATIN, 13)
    c.drawString(left + pdfmetrics.stringWidth("随机号：", FONT, 13), y, adm.lottery_number[:LOTTERY_DIGITS])
    y -= 8 * mm
    c.setFont(FONT, 10)
    c.drawString(left, y, f"派位结果可在“入学早知道”公示页（/enrollment/draws/{draw.pk}/）重新验证。")

    c.setFont(FONT, 15)
    c.drawRightString(right, 60 * mm, bureau_name(draw.county))
    c.setFont(FONT, 13)
    c.drawRightString(right, 50 * mm, f"{on.year}年{on.month}月{on.day}日")
    c.showPage()


def render(admissions, *, on: dt.date | None = None, title: str = "录取通知书") -> bytes:
    """The PDF with one page per admission (each must be admitted: a school set); NoticeUnavailable
    (503) when the machine has no embeddable Chinese font."""
    try:
        cjk_font()
    except FontMissing as exc:
        raise NoticeUnavailable(str(exc), status=503) from None
    on = on or timezone.localdate()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    c.setTitle(title)
    c.setAuthor("教育魔方")
    for adm in admissions:
        _page(c, adm, on)
    c.save()
    return buf.getvalue()


def published_admitted(qs: QuerySet) -> QuerySet:
    """Admissions of published draws that name a school (the ones a notice can be issued for)."""
    # a seat given up (放弃录取, confirmed by the school) is no longer an admission to list or notify
    return (
        qs.filter(draw__status=DrawStatus.PUBLISHED, school__isnull=False)
        .exclude(waiver_status=WaiverStatus.CONFIRMED)
        .select_related("draw__county", "registration", "school")
    )


def notice_for_registration(reg: Registration) -> bytes:
    """A parent's notice for one registration (the caller has checked it is theirs)."""
    if reg.status == RegistrationStatus.WITHDRAWN:
        raise NoticeUnavailable("该报名已撤回，没有录取通知书")
    adm = published_admitted(Admission.objects.filter(registration=reg)).first()
    if adm is None:
        if Admission.objects.filter(registration=reg, draw__status=DrawStatus.PUBLISHED).exists():
            raise NoticeUnavailable(f"{reg.child_name}未被派位录取，没有录取通知书；请留意教育局的后续安排")
        raise NoticeUnavailable("派位结果尚未公布，暂无录取通知书")
    return render([adm], title=f"录取通知书 {reg.child_name}")


def notices_for_school(admissions: QuerySet, *, acting_user) -> bytes:
    """All notices of the given (already scoped) admissions in one PDF, ordered by school and
    name; an audited export (the file carries children's names)."""
    qs = published_admitted(admissions).order_by("school__path", "registration__child_name", "pk")
    count = qs.count()
    if count == 0:
        raise NoticeUnavailable("没有已公布的录取结果，暂无录取通知书")
    if count > MAX_NOTICES:
        raise NoticeUnavailable(f"共{count}份，一次最多生成{MAX_NOTICES}份录取通知书，请先按学校搜索", status=400)
    content = render(qs.iterator(chunk_size=500), title="录取通知书")
    first = qs.first()
    if first is None:  # withdrawn since the count
        raise NoticeUnavailable("没有已公布的录取结果，暂无录取通知书")
    one_school = not qs.exclude(school=first.school_id).exists()
    org = first.school if one_school else first.draw.county
    record_export(acting_user=acting_user, summary=f"下载录取通知书{count}份", org=org, after={"count": count})
    return content
