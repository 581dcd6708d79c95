"""教师发展 — models: points rules per county (as data), the activity records the platform imports
(教学工作量, 继续教育, 家访, 公开课, 获奖), the growth ladder (levels with criteria, applications through
the case engine, recognitions) and 名师工作室 (host, members, activities, outputs).

Points are never stored: a teacher's points are computed from the source records (the time bank's
代课/托管 records and the imported activities) by the county's rules in force on each record's
date (engine.py), so every point leads back to the record it came from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit


class Category(models.TextChoices):
    SUBSTITUTION = "substitution", _("额外代课")
    AFTERSCHOOL = "afterschool", _("课后托管")
    TEACHING_LOAD = "teaching_load", _("教学工作量")
    TRAINING = "training", _("继续教育")
    HOME_VISIT = "home_visit", _("家访")
    PUBLIC_LESSON = "public_lesson", _("公开课")
    AWARD_COUNTY = "award_county", _("县级获奖")
    AWARD_CITY = "award_city", _("市级获奖")
    AWARD_PROVINCE = "award_province", _("省级及以上获奖")


# what one unit of each category is (the rule's 每单位 and the import's 数量)
UNITS: dict[str, str] = {
    Category.SUBSTITUTION: "课时",
    Category.AFTERSCHOOL: "课时",
    Category.TEACHING_LOAD: "课时",
    Category.TRAINING: "学时",
    Category.HOME_VISIT: "户次",
    Category.PUBLIC_LESSON: "节",
    Category.AWARD_COUNTY: "项",
    Category.AWARD_CITY: "项",
    Category.AWARD_PROVINCE: "项",
}
# the categories the time bank holds (read from its records, never entered here)
FROM_TIMEBANK = (Category.SUBSTITUTION, Category.AFTERSCHOOL)
IMPORTED = tuple(c for c in Category if c not in FROM_TIMEBANK)


class CapPeriod(models.TextChoices):
    NONE = "none", _("不设上限")
    MONTH = "month", _("每月")
    YEAR = "year", _("每年")


class PointRule(models.Model):
    """积分规则: a county's points per unit of one category, with its cap, in force from a date on.
    The rule for a record is the one of its category with the latest 生效日期 on or before the
    record's date; a later rule never changes the points of earlier records."""

    scope_org_field = "county"

    county = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    category = models.CharField(_("积分类别"), max_length=20, choices=Category.choices)
    points_per_unit = models.DecimalField(_("每单位积分"), max_digits=6, decimal_places=2)
    cap = models.DecimalField(_("积分上限"), max_digits=7, decimal_places=2, null=True, blank=True)
    cap_period = models.CharField(_("上限周期"), max_length=8, choices=CapPeriod.choices, default=CapPeriod.NONE)
    effective_from = models.DateField(_("生效日期"))
    note = models.CharField(_("依据"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["county", "category", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "category", "effective_from"], name="teacher_dev_rule_once_a_day"
            ),
            models.CheckConstraint(condition=models.Q(points_per_unit__gte=0), name="teacher_dev_rule_points_nonneg"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_category_display()} 每{UNITS[self.category]}{self.points_per_unit}分（{self.effective_from}起）"
        )

    @property
    def unit(self) -> str:
        return UNITS[self.category]

    def cap_text(self) -> str:
        if self.cap is None or self.cap_period == CapPeriod.NONE:
            return "不设上限"
        return f"{self.get_cap_period_display()}最多{self.cap.normalize():f}分"


class ActivityRecord(models.Model):
    """One imported record that earns points: a term's teaching load, training hours (继续教育学时),
    a home visit, a public lesson, an award. Entered through the platform's import path only."""

    scope_org_field = "school"
    scope_owner_field = "staff__user"

    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    staff = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("教师"))
    record_no = models.CharField(_("记录编号"), max_length=40)
    category = models.CharField(_("积分类别"), max_length=20, choices=Category.choices)
    date = models.DateField(_("日期"))
    quantity = models.DecimalField(_("数量"), max_digits=6, decimal_places=1)
    title = models.CharField(_("事项"), max_length=200)
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "record_no"], name="teacher_dev_record_no_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="teacher_dev_record_quantity_positive"),
        ]
        indexes = [models.Index(fields=["staff", "date"], name="teacher_dev_record_staff_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_category_display()}：{self.title}"


# --- 成长阶梯 -------------------------------------------------------------------------------------


class LadderLevel(models.Model):
    """A rung of the growth ladder (教坛新苗 → 教坛新秀 → 教学能手 → 学科带头人 → 名师 → 特级教师) with
    its criteria as data: the level below held for some years, last year's points, the training
    hours of the current 5-year cycle."""

    rank = models.PositiveSmallIntegerField(_("层级"), unique=True)
    name = models.CharField(_("名称"), max_length=20, unique=True)
    min_years_below = models.PositiveSmallIntegerField(_("取得下一层级后年限"), default=0)
    min_points = models.DecimalField(_("上一年度积分不少于"), max_digits=7, decimal_places=1, default=0)
    min_training_hours = models.DecimalField(_("本周期继续教育学时不少于"), max_digits=5, decimal_places=1, default=0)
    criteria = models.CharField(_("条件说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("成长阶梯层级")
        verbose_name_plural = _("成长阶梯层级")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class Result(models.TextChoices):
    PENDING = "pending", _("评审中")
    RECOGNIZED = "recognized", _("已认定")
    RETURNED = "returned", _("未通过")


class LadderApplication(models.Model):
    """A teacher's application for a level: a case on the engine (学校推荐 → 教育局认定)."""

    scope_org_field = "school"
    scope_owner_field = "staff__user"

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("案件"))
    staff = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("教师"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    level = models.ForeignKey(LadderLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("申报层级"))
    statement = models.TextField(_("申报材料说明"), max_length=2000)
    result = models.CharField(_("结果"), max_length=12, choices=Result.choices, default=Result.PENDING)
    applied_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("成长阶梯申报")
        verbose_name_plural = _("成长阶梯申报")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "level"],
                condition=models.Q(result="pending"),
                name="teacher_dev_one_pending_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff.name}申报{self.level.name}"


class Recognition(models.Model):
    """A level recognised for a teacher (认定): from an application's case, or entered from the past."""

    scope_org_field = "school"
    scope_owner_field = "staff__user"

    staff = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("教师"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    level = models.ForeignKey(LadderLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("层级"))
    recognized_on = models.DateField(_("认定日期"))
    application = models.OneToOneField(
        LadderApplication, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("申报")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("成长阶梯认定")
        verbose_name_plural = _("成长阶梯认定")
        ordering = ["-recognized_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["staff", "level"], name="teacher_dev_recognized_once")]

    def __str__(self) -> str:
        return f"{self.staff.name}：{self.level.name}"


# --- 名师工作室 -----------------------------------------------------------------------------------


class Studio(models.Model):
    """名师工作室: led by a host teacher, set up by the county; members from the county's schools."""

    scope_org_field = "school"

    name = models.CharField(_("名称"), max_length=60)
    subject = models.CharField(_("学科"), max_length=30)
    host = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("主持人"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在学校"))
    founded_on = models.DateField(_("成立日期"))
    level = models.CharField(_("级别"), max_length=10, default="县级")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("名师工作室")
        verbose_name_plural = _("名师工作室")
        ordering = ["school__path", "name"]

    def __str__(self) -> str:
        return self.name


class StudioMember(models.Model):
    """A member (成员/学员) of a studio."""

    scope_org_field = "studio__school"

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="members", verbose_name=_("工作室"))
    staff = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("教师"))
    role = models.CharField(_("身份"), max_length=10, default="成员")
    joined_on = models.DateField(_("加入日期"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("工作室成员")
        verbose_name_plural = _("工作室成员")
        ordering = ["joined_on", "id"]
        constraints = [models.UniqueConstraint(fields=["studio", "staff"], name="teacher_dev_member_once")]

    def __str__(self) -> str:
        return f"{self.studio}：{self.staff.name}"


class StudioActivity(models.Model):
    """An activity of a studio (研修, 送教下乡, 公开课, 讲座)."""

    scope_org_field = "studio__school"

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="activities", verbose_name=_("工作室"))
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10)
    title = models.CharField(_("主题"), max_length=100)
    place = models.CharField(_("地点"), max_length=60, blank=True)
    participants = models.PositiveSmallIntegerField(_("参加人数"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("工作室活动")
        verbose_name_plural = _("工作室活动")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class StudioOutput(models.Model):
    """An output of a studio (论文, 课题, 课例, 讲座稿) and its author."""

    scope_org_field = "studio__school"

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("工作室"))
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10)
    title = models.CharField(_("题目"), max_length=100)
    author = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("作者"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("工作室成果")
        verbose_name_plural = _("工作室成果")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title
