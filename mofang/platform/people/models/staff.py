"""Staff (教职工) and their profile: category, 职称, 教师资格证, subjects and other certificates."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import JSONField, Value
from django.db.models.functions import Now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit

from .. import identity
from .common import SealedIdentity, Sex


class StaffCategory(models.TextChoices):
    """教职工类别 as in the school statistics (教育统计): only 专任教师 count as teachers."""

    TEACHER = "teacher", _("专任教师")
    ADMIN = "admin", _("行政")
    SUPPORT = "support", _("教辅")
    WORKER = "worker", _("工勤")


class Employment(models.TextChoices):
    FULL_TIME = "full", _("专职")
    PART_TIME = "part", _("兼职")


class TeacherCertKind(models.TextChoices):
    """教师资格证 kinds (《教师资格条例》第四条)."""

    KINDERGARTEN = "幼儿园", _("幼儿园教师资格")
    PRIMARY = "小学", _("小学教师资格")
    JUNIOR = "初级中学", _("初级中学教师资格")
    SENIOR = "高级中学", _("高级中学教师资格")
    VOCATIONAL = "中等职业学校", _("中等职业学校教师资格")
    VOCATIONAL_PRACTICE = "中职实习指导", _("中等职业学校实习指导教师资格")
    HIGHER = "高等学校", _("高等学校教师资格")


CERTIFICATE_KINDS = (
    "心理健康教育A证",
    "心理健康教育B证",
    "心理健康教育C证",
    "普通话等级证书",
    "特殊教育上岗证",
    "教练员证书",
    "其他",
)

# 教师资格证书编号: 17 digits, beginning with the year it was issued (e.g. 20153300121000123).
_CERT_NO = re.compile(r"^(19|20)\d{15}$")
_SUBJECT_SPLIT = re.compile(r"[、，,;；/\s]+")
MAX_SUBJECTS = 6


def validate_teacher_cert_no(raw: str) -> str:
    value = (raw or "").strip()
    if not _CERT_NO.match(value):
        raise ValidationError(gettext("教师资格证编号应为17位数字，以发证年份开头（如 20153300121000123）"))
    return value


def parse_subjects(raw: str) -> list[str]:
    """“语文、数学” → ["语文", "数学"]; several subjects separated by 、 or commas."""
    subjects = [s for s in _SUBJECT_SPLIT.split((raw or "").strip()) if s]
    if len(subjects) > MAX_SUBJECTS:
        raise ValidationError(gettext("任教学科最多{max_subjects}门").format(max_subjects=MAX_SUBJECTS))
    for s in subjects:
        if len(s) > 12:
            raise ValidationError(gettext("学科名称“{value}…”过长（不超过12个字）").format(value=s[:12]))
    if len(set(subjects)) != len(subjects):
        raise ValidationError(gettext("任教学科有重复"))
    return subjects


class Staff(SealedIdentity):
    """A member of staff (教职工): teacher, leader or bureau/department officer."""

    scope_org_field = "org"
    scope_owner_field = "user"

    staff_no = models.CharField(_("工号"), max_length=30)
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="staff", verbose_name=_("单位"))
    position = models.CharField(_("岗位"), max_length=50, blank=True)
    # Database defaults as well as Python ones: a set-based writer (COPY, INSERT … SELECT, the demo's
    # bulk rows) that leaves a profile column out gets the same value the model would give.
    category = models.CharField(
        _("类别"),
        max_length=10,
        choices=StaffCategory.choices,
        default=StaffCategory.TEACHER,
        db_default=StaffCategory.TEACHER,
    )
    employment = models.CharField(
        _("专兼职"),
        max_length=4,
        choices=Employment.choices,
        default=Employment.FULL_TIME,
        db_default=Employment.FULL_TIME,
    )
    title = models.CharField(_("职称"), max_length=30, blank=True, default="", db_default="")
    # several subjects, joined with 、 (what the template and the page show)
    subject = models.CharField(_("任教学科"), max_length=100, blank=True, default="", db_default="")
    teacher_cert_kind = models.CharField(
        _("教师资格种类"), max_length=10, choices=TeacherCertKind.choices, blank=True, default="", db_default=""
    )
    teacher_cert_no = models.CharField(_("教师资格证编号"), max_length=17, blank=True, default="", db_default="")
    # other certificates: [{"kind": "心理健康教育C证", "number": "…", "date": "2023-06-01"}, …]
    certificates = models.JSONField(_("其他证书"), default=list, blank=True, db_default=Value([], JSONField()))
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("手机号"), max_length=11, blank=True, editable=False)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="staff", verbose_name=_("账号")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_default=Now(), db_index=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("教职工")
        verbose_name_plural = _("教职工")
        ordering = ["org_id", "staff_no"]
        constraints = [models.UniqueConstraint(fields=["staff_no"], name="staff_no_unique")]
        indexes = [
            models.Index(fields=["id_number_hash"], name="staff_id_hash_idx"),
            models.Index(fields=["org", "category"], name="staff_org_category_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def set_phone(self, plain: str) -> None:
        self.phone_sealed = identity.seal(plain)
        self.phone_masked = identity.mask_mobile(plain)

    @property
    def phone(self) -> str:
        """The clear phone number, for sending messages only (never for display)."""
        return identity.unseal(self.phone_sealed)

    @property
    def subjects(self) -> list[str]:
        return [s for s in self.subject.split("、") if s]


def parse_certificates(raw: str) -> list[dict]:
    """“心理健康教育C证/ZJ2023001/2023-06-01；普通话等级证书/3300123/2019-05-20” → a list of
    {"kind", "number", "date"}; entries separated by ；, fields by /."""
    from mofang.platform.imports.parsers import parse_date

    out = []
    for entry in [e.strip() for e in re.split(r"[;；]", raw or "") if e.strip()]:
        parts = [p.strip() for p in entry.split("/")]
        if len(parts) != 3:
            raise ValidationError(gettext("证书“{value}”应写成 种类/编号/取得日期").format(value=entry[:20]))
        kind, number, date = parts
        if kind not in CERTIFICATE_KINDS:
            raise ValidationError(
                gettext("证书种类“{value}”不在可选范围内（{value2}）").format(
                    value=kind[:20], value2="、".join(CERTIFICATE_KINDS)
                )
            )
        if not re.fullmatch(r"[0-9A-Za-z-]{1,30}", number):
            raise ValidationError(gettext("{kind}的编号应为1至30位字母或数字").format(kind=kind))
        try:
            day = parse_date(date)
        except ValidationError as exc:
            raise ValidationError(
                gettext("{kind}的取得日期：{value}").format(kind=kind, value=exc.messages[0])
            ) from None
        out.append({"kind": kind, "number": number, "date": day.isoformat()})
    if len({c["kind"] for c in out}) != len(out):
        raise ValidationError(gettext("同一种证书只能填写一次"))
    return out


def format_certificates(certs: list[dict]) -> str:
    return "；".join(f"{c['kind']}/{c['number']}/{c['date']}" for c in certs or [])
