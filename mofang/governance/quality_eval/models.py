"""综合素质评价 — models: a record of one of the five dimensions (德智体美劳) of a student in one
term (学年 + 学期) with its evidence, the class's 公示 of a term, and the objections raised in it.

A record is entered by a parent (students have no accounts) or a teacher and reviewed by the
班主任; fitness results and after-school participation come in as records by themselves
(`source`, with `source_key` the idempotence key). Once a class's term is archived its records
are read-only: services.ensure_editable refuses every change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.people.models import Student

GUARDIAN = "guardianships__guardian__user"


class TermNo(models.IntegerChoices):
    FIRST = 1, _("第一学期")
    SECOND = 2, _("第二学期")


def term_of(day) -> tuple[int, int]:
    """(学年起始年, 学期) of a date: September–January is the first term, February–August the second."""
    if day.month >= 9:
        return day.year, 1
    if day.month == 1:
        return day.year - 1, 1
    return day.year - 1, 2


def term_name(year: int, term: int) -> str:
    return f"{year}-{year + 1}学年{TermNo(term).label}"


class Dimension(models.TextChoices):
    MORAL = "moral", _("德")
    INTELLECT = "intellect", _("智")
    PHYSICAL = "physical", _("体")
    AESTHETIC = "aesthetic", _("美")
    LABOUR = "labour", _("劳")


class Kind(models.TextChoices):
    GENERAL = "general", _("一般表现")
    SPORTS_SKILL = "sports_skill", _("运动技能")
    ART_SKILL = "art_skill", _("艺术特长")
    AWARD = "award", _("获奖荣誉")
    SERVICE = "service", _("志愿服务与劳动实践")
    FITNESS = "fitness", _("体质健康测试")
    AFTERSCHOOL = "afterschool", _("课后服务")


# the kinds a person may choose (the last two only come in from other modules)
ENTERED_KINDS = (Kind.GENERAL, Kind.SPORTS_SKILL, Kind.ART_SKILL, Kind.AWARD, Kind.SERVICE)
# a kind that belongs to one dimension only
KIND_DIMENSION = {Kind.SPORTS_SKILL: Dimension.PHYSICAL, Kind.ART_SKILL: Dimension.AESTHETIC}


class Source(models.TextChoices):
    PARENT = "parent", _("家长填报")
    TEACHER = "teacher", _("教师录入")
    FITNESS = "fitness", _("体质健康测试")
    AFTERSCHOOL = "afterschool", _("课后服务")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")
    REVOKED = "revoked", _("异议成立已撤销")
    ARCHIVED = "archived", _("已归档")


# what counts as an approved record (达标, 公示)
PASSED = (Status.APPROVED, Status.ARCHIVED)


class Record(models.Model):
    """One evaluation record of a student in a term. School, class and grade are those at entry."""

    scope_org_field = ("school", "klass")
    scope_owner_field = "student__" + GUARDIAN

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+", verbose_name=_("学生"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    klass = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("班级")
    )
    grade = models.SmallIntegerField(_("年级"), null=True, blank=True)
    school_year = models.PositiveSmallIntegerField(_("学年"))
    term = models.PositiveSmallIntegerField(_("学期"), choices=TermNo.choices)
    dimension = models.CharField(_("维度"), max_length=10, choices=Dimension.choices)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("标题"), max_length=60)
    description = models.CharField(_("具体表现"), max_length=1000, blank=True)
    occurred_on = models.DateField(_("发生日期"))
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    source_key = models.CharField(_("来源记录"), max_length=60, null=True, blank=True, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("综合素质评价记录")
        verbose_name_plural = _("综合素质评价记录")
        ordering = ["-school_year", "-term", "student_id", "dimension", "id"]
        indexes = [
            models.Index(fields=["klass", "school_year", "term"], name="qe_record_class_term_idx"),
            models.Index(fields=["school", "school_year", "kind"], name="qe_record_school_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student}·{self.get_dimension_display()}·{self.title}"

    @property
    def term_name(self) -> str:
        return term_name(self.school_year, self.term)

    @property
    def automatic(self) -> bool:
        return self.source in (Source.FITNESS, Source.AFTERSCHOOL)


class Evidence(models.Model):
    """A file attached to a record as evidence (证明材料): PDF, JPG or PNG, at most 5 MB."""

    scope_org_field = ("record__school", "record__klass")
    scope_owner_field = "record__student__" + GUARDIAN

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("记录"))
    file = models.FileField(_("文件"), upload_to="quality_eval/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PublicityStatus(models.TextChoices):
    OPEN = "open", _("公示中")
    ARCHIVED = "archived", _("已归档")


class Publicity(models.Model):
    """A class's 公示 of a term's approved records: N working days from the start, objections in
    that time; the school archives the term after it ends, once every objection is resolved."""

    scope_org_field = ("school", "klass")
    # the parents of the class see its 公示
    scope_owner_field = "klass__class_students__" + GUARDIAN

    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    klass = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("班级"))
    school_year = models.PositiveSmallIntegerField(_("学年"))
    term = models.PositiveSmallIntegerField(_("学期"), choices=TermNo.choices)
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"))
    status = models.CharField(_("状态"), max_length=10, choices=PublicityStatus.choices, default=PublicityStatus.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("综合素质评价公示")
        verbose_name_plural = _("综合素质评价公示")
        ordering = ["-school_year", "-term", "klass_id"]
        constraints = [
            models.UniqueConstraint(fields=["klass", "school_year", "term"], name="qe_publicity_once_a_term")
        ]

    def __str__(self) -> str:
        return f"{self.klass.name} {self.term_name}公示"

    @property
    def term_name(self) -> str:
        return term_name(self.school_year, self.term)

    def records(self):
        """The records on show: the class's approved (or archived) records of the term."""
        return Record.objects.filter(
            klass_id=self.klass_id, school_year=self.school_year, term=self.term, status__in=PASSED
        )


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    """A parent's objection to a record on 公示, with a reason; the school resolves it."""

    scope_org_field = ("publicity__school", "publicity__klass")
    scope_owner_field = "raised_by"

    publicity = models.ForeignKey(
        Publicity, on_delete=models.CASCADE, related_name="objections", verbose_name=_("公示")
    )
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="objections", verbose_name=_("记录"))
    reason = models.CharField(_("异议理由"), max_length=500)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    raised_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    resolution = models.CharField(_("处理意见"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["raised_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "raised_by"], condition=Q(status="open"), name="qe_one_open_objection_per_parent"
            )
        ]

    def __str__(self) -> str:
        return f"对“{self.record.title}”的异议"
