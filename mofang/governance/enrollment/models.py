"""入学早知道: schools' intake plans, 学区 (which communities a school serves), the
household-registration children that feed the 3-year oversubscription warning, the county's
warning thresholds, and the computed warnings themselves.

Children are stored with the minimum the warning needs (PIPL): an opaque exchange record
number, birth date, community and registration type — never a name or an ID number.
"""

import itertools
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit, SchoolType
from mofang.platform.people.models import SealedIdentity, Sex


class Stage(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")


# Which stages a school of each type enrolls into its starting grade.
STAGES_OF_TYPE: dict[str, tuple[str, ...]] = {
    SchoolType.PRIMARY: (Stage.PRIMARY,),
    SchoolType.JUNIOR: (Stage.JUNIOR,),
    SchoolType.NINE_YEAR: (Stage.PRIMARY, Stage.JUNIOR),
    SchoolType.COMPLETE_SECONDARY: (Stage.JUNIOR,),
}


class Level(models.TextChoices):
    """Warning levels, from calm to oversubscribed (Hangzhou's 入学早知道 colours)."""

    GREEN = "green", _("绿色")
    YELLOW = "yellow", _("黄色")
    ORANGE = "orange", _("橙色")
    RED = "red", _("红色")
    UNKNOWN = "unknown", _("暂无计划")


class EnrollmentSchool(models.Model):
    """A school's public 入学早知道 profile: its searchable name initials and where overflow goes (分流)."""

    scope_org_field = "school"

    school = models.OneToOneField(
        OrgUnit, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="enrollment_profile"
    )
    # pypinyin first letters of the name ("杭州小学" → "hzxx"), kept here so search is a column match
    initials = models.CharField(_("拼音首字母"), max_length=100, db_index=True)
    overflow_school = models.ForeignKey(
        OrgUnit, verbose_name=_("分流学校"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overflow_note = models.CharField(_("分流说明"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("入学早知道学校")
        verbose_name_plural = _("入学早知道学校")

    def __str__(self) -> str:
        return self.school.name


class IntakePlan(models.Model):
    """Planned intake of a school's starting grade in one year: classes × class size = seats."""

    scope_org_field = "school"

    school = models.ForeignKey(OrgUnit, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="intake_plans")
    year = models.PositiveSmallIntegerField(_("招生年份"))
    stage = models.CharField(_("学段"), max_length=8, choices=Stage.choices)
    classes = models.PositiveSmallIntegerField(_("班级数"), validators=[MinValueValidator(1), MaxValueValidator(60)])
    class_size = models.PositiveSmallIntegerField(_("班额"), validators=[MinValueValidator(1), MaxValueValidator(60)])

    objects = ScopedManager()

    class Meta:
        verbose_name = _("招生计划")
        verbose_name_plural = _("招生计划")
        constraints = [models.UniqueConstraint(fields=["school", "year", "stage"], name="enrollment_plan_unique")]

    def __str__(self) -> str:
        return f"{self.school} {self.year}年{self.get_stage_display()}"

    @property
    def seats(self) -> int:
        return self.classes * self.class_size


class Community(models.Model):
    """A residential community (小区/社区) of a county and the school(s) whose 学区 it lies in."""

    scope_org_field = "county"

    county = models.ForeignKey(OrgUnit, verbose_name=_("区县"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("小区名称"), max_length=100)
    # other names and street addresses a parent may type ("天马街道 定阳路 …"), separated by spaces
    address_keywords = models.CharField(_("地址关键词"), max_length=500, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    primary_schools = models.ManyToManyField(
        OrgUnit, verbose_name=_("学区小学"), blank=True, related_name="primary_communities"
    )
    junior_schools = models.ManyToManyField(
        OrgUnit, verbose_name=_("学区初中"), blank=True, related_name="junior_communities"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("学区小区")
        verbose_name_plural = _("学区小区")
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="enrollment_community_unique")]

    def __str__(self) -> str:
        return self.name

    def schools_of(self, stage: str):
        return self.primary_schools if stage == Stage.PRIMARY else self.junior_schools


class RegistrationType(models.TextChoices):
    HOUSEHOLD = "household", _("户籍")
    RESIDENCE_PERMIT = "permit", _("居住证")


class HouseholdChild(models.Model):
    """One child of the public-security household-registration exchange (公安户籍交换), reduced to
    what the warning counts: birth date and community. No name, no ID number."""

    scope_org_field = "county"

    county = models.ForeignKey(OrgUnit, verbose_name=_("区县"), on_delete=models.CASCADE, related_name="+")
    record_no = models.CharField(_("交换记录号"), max_length=40)
    birth_date = models.DateField(_("出生日期"))
    community = models.ForeignKey(
        Community, verbose_name=_("户籍所在小区"), on_delete=models.CASCADE, related_name="children"
    )
    registration = models.CharField(
        _("登记类型"), max_length=12, choices=RegistrationType.choices, default=RegistrationType.HOUSEHOLD
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("户籍适龄儿童")
        verbose_name_plural = _("户籍适龄儿童")
        constraints = [models.UniqueConstraint(fields=["county", "record_no"], name="enrollment_child_unique")]
        indexes = [models.Index(fields=["community", "birth_date"], name="enrollment_child_cohort")]

    def __str__(self) -> str:
        return self.record_no


DEFAULT_YELLOW = Decimal("90")
DEFAULT_RED = Decimal("100")


class WarningPolicy(models.Model):
    """A county's warning thresholds for one intake year, as percentages of applicants over seats.

    ratio < yellow_from → 绿色; yellow_from ≤ ratio < (orange_from or red_from) → 黄色;
    orange_from ≤ ratio < red_from → 橙色 (only when orange_from is set); ratio ≥ red_from → 红色.
    Without a policy the Hangzhou default applies: 黄色 from 90%, 红色 from 100%, no 橙色.
    """

    scope_org_field = "county"

    county = models.ForeignKey(OrgUnit, verbose_name=_("区县"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("招生年份"))
    yellow_from = models.DecimalField(_("黄色预警起点（%）"), max_digits=5, decimal_places=1, default=DEFAULT_YELLOW)
    orange_from = models.DecimalField(_("橙色预警起点（%）"), max_digits=5, decimal_places=1, null=True, blank=True)
    red_from = models.DecimalField(_("红色预警起点（%）"), max_digits=5, decimal_places=1, default=DEFAULT_RED)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("预警阈值")
        verbose_name_plural = _("预警阈值")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="enrollment_policy_unique")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年预警阈值"

    def clean(self):
        steps = [self.yellow_from, *([self.orange_from] if self.orange_from is not None else []), self.red_from]
        if any(v is None or v <= 0 for v in steps):
            raise ValidationError(_("阈值应为大于0的百分比"))
        if any(a >= b for a, b in itertools.pairwise(steps)):
            raise ValidationError(_("阈值应依次递增：黄色 < 橙色 < 红色"))


class IntakeWarning(models.Model):
    """The computed warning of one school, stage and intake year (refreshed by the services
    whenever plans, 学区, children or thresholds change; never edited by hand)."""

    scope_org_field = "school"

    school = models.ForeignKey(OrgUnit, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("招生年份"))
    stage = models.CharField(_("学段"), max_length=8, choices=Stage.choices)
    applicants = models.PositiveIntegerField(_("预计学区生源"))
    seats = models.PositiveIntegerField(_("计划学位"), null=True, blank=True)
    ratio = models.DecimalField(_("生源/学位（%）"), max_digits=7, decimal_places=1, null=True, blank=True)
    level = models.CharField(_("预警等级"), max_length=8, choices=Level.choices)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("入学预警")
        verbose_name_plural = _("入学预警")
        constraints = [models.UniqueConstraint(fields=["school", "year", "stage"], name="enrollment_warning_unique")]

    def __str__(self) -> str:
        return f"{self.school} {self.year}年{self.get_stage_display()}：{self.get_level_display()}"


# --- 报名 (registration) ---------------------------------------------------------------------


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报名")
    WITHDRAWN = "withdrawn", _("已撤回")


class ResidenceProof(models.TextChoices):
    PROPERTY = "property", _("房产证")
    RENT = "rent", _("租赁备案")
    NONE = "none", _("无")


class Registration(SealedIdentity):
    """A parent's online registration (报名) of one child for the starting grade of primary school
    in one intake year: the child's identity, household registration (户籍 or 居住证 for 随迁子女),
    residence proof, siblings (长幼随学), a binding group for twins/multiples, the public 学区 school
    and at most one private school (公民同招).

    One active registration per child and year is a database constraint: double clicks, two
    browsers or retries can never make two.
    """

    scope_org_field = ("public_school", "private_school")
    scope_owner_field = "owner"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报名账号"),
        on_delete=models.PROTECT,
        related_name="enrollment_registrations",
    )
    year = models.PositiveSmallIntegerField(_("招生年份"))
    stage = models.CharField(_("学段"), max_length=8, choices=Stage.choices, default=Stage.PRIMARY)
    child_name = models.CharField(_("儿童姓名"), max_length=50)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    registration_type = models.CharField(_("户籍类型"), max_length=12, choices=RegistrationType.choices)
    community = models.ForeignKey(
        Community, verbose_name=_("户籍/居住小区"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("详细地址"), max_length=200)
    residence_proof = models.CharField(_("居住证明"), max_length=10, choices=ResidenceProof.choices)
    proof_no = models.CharField(_("房产证/居住证号"), max_length=60, blank=True)
    proof_in_district = models.BooleanField(_("房产/居住地在学区内"), default=True)
    sibling_school = models.ForeignKey(
        OrgUnit, verbose_name=_("哥哥姐姐就读学校"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sibling_student_no = models.CharField(_("哥哥姐姐学籍号"), max_length=30, blank=True)
    # registrations of twins/multiples share this key: admitted together or not at all
    multiple_group = models.CharField(_("多孩绑定组"), max_length=32, blank=True, db_index=True)
    public_school = models.ForeignKey(
        OrgUnit, verbose_name=_("学区公办学校"), on_delete=models.PROTECT, related_name="+"
    )
    private_school = models.ForeignKey(
        OrgUnit, verbose_name=_("民办学校志愿"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.SUBMITTED
    )
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("入学报名")
        verbose_name_plural = _("入学报名")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "id_number_hash"],
                condition=~Q(status="withdrawn"),
                name="enrollment_one_active_registration",
            )
        ]
        indexes = [models.Index(fields=["id_number_hash"], name="enrollment_reg_id_hash_idx")]

    def __str__(self) -> str:
        return f"{self.child_name} {self.year}年报名"


class RegistrationDocument(models.Model):
    """A document uploaded with a registration (户口簿、房产证、居住证 …): PDF, JPG or PNG, ≤ 5 MB."""

    scope_org_field = ("registration__public_school", "registration__private_school")
    scope_owner_field = "registration__owner"

    registration = models.ForeignKey(
        Registration, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(_("文件"), upload_to="enrollment/documents/%Y/")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("报名材料")
        verbose_name_plural = _("报名材料")

    def __str__(self) -> str:
        return self.original_name


class PriorityCategory(models.Model):
    """One admission priority category (招生类别, e.g. 第一类：户籍与房产均在学区) of a county's
    policy for one intake year. Categories are ordered by `rank` (1 first); a registration falls
    into the first category whose conditions it meets for the school in question. Conditions are
    a small fixed vocabulary over registration attributes (see priority.CONDITIONS)."""

    scope_org_field = "county"

    county = models.ForeignKey(OrgUnit, verbose_name=_("区县"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("招生年份"))
    rank = models.PositiveSmallIntegerField(_("顺位"))
    name = models.CharField(_("类别名称"), max_length=100)
    conditions = models.JSONField(_("条件"), default=dict)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("招生类别")
        verbose_name_plural = _("招生类别")
        ordering = ["county_id", "year", "rank"]
        constraints = [models.UniqueConstraint(fields=["county", "year", "rank"], name="enrollment_category_rank")]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class DrawStatus(models.TextChoices):
    DRAFT = "draft", _("待录入种子")
    SEEDED = "seeded", _("种子已公布")
    RUNNING = "running", _("派位中")
    RUN = "run", _("已派位")
    PUBLISHED = "published", _("已公布结果")


class Draw(models.Model):
    """One county's 电脑派位 for one intake year and stage.

    The seed is entered (and shown on the public page) before the run and never changes after;
    the run stores the canonical engine input, its hash, the algorithm and version and the output
    hash, so anyone can re-run it from the public page (重新验证).
    """

    scope_org_field = "county"

    county = models.ForeignKey(OrgUnit, verbose_name=_("区县"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("招生年份"))
    stage = models.CharField(_("学段"), max_length=8, choices=Stage.choices, default=Stage.PRIMARY)
    mechanism = models.CharField(
        _("派位办法"),
        max_length=8,
        choices=[("da", _("平行志愿（延迟接受）")), ("boston", _("志愿优先"))],
        default="da",
    )
    status = models.CharField(_("状态"), max_length=10, choices=DrawStatus.choices, default=DrawStatus.DRAFT)
    seed = models.CharField(_("随机种子"), max_length=200, blank=True)
    seed_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("种子录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    seed_entered_at = models.DateTimeField(_("种子录入时间"), null=True, blank=True)
    input_json = models.JSONField(_("派位输入"), null=True, blank=True)
    input_hash = models.CharField(_("输入哈希"), max_length=64, blank=True)
    algorithm = models.CharField(_("算法"), max_length=60, blank=True)
    version = models.CharField(_("算法版本"), max_length=20, blank=True)
    output_hash = models.CharField(_("结果哈希"), max_length=64, blank=True)
    run_at = models.DateTimeField(_("派位时间"), null=True, blank=True)
    # the background run (执行派位): its progress is shown on the draw page
    job = models.ForeignKey(
        "jobs.Job", verbose_name=_("派位任务"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # set once when the parents' inbox messages and SMS are sent, so they are sent exactly once
    notified_at = models.DateTimeField(_("通知家长时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("电脑派位")
        verbose_name_plural = _("电脑派位")
        constraints = [models.UniqueConstraint(fields=["county", "year", "stage"], name="enrollment_draw_unique")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年{self.get_stage_display()}派位"


class WaiverStatus(models.TextChoices):
    """A parent's request to give up an admission (放弃录取), decided by the admitting school or its bureau."""

    NONE = "", _("无")
    PENDING = "pending", _("放弃申请待学校确认")
    CONFIRMED = "confirmed", _("已放弃录取")
    REFUSED = "refused", _("放弃申请未同意")


class Admission(models.Model):
    """One registration's result in a draw: the admitted school (None = 未录取) and lottery number.

    After publication a parent may ask to give the seat up (放弃录取, with a reason); the admitting
    school or the county bureau confirms (the seat is lost for good, the registration withdrawn) or
    refuses it. The admission row itself stays: the draw's record must still re-verify."""

    # bureaus see their counties' results; a school sees the children admitted to it
    scope_org_field = ("draw__county", "school")
    scope_owner_field = "registration__owner"

    draw = models.ForeignKey(Draw, verbose_name=_("派位"), on_delete=models.CASCADE, related_name="admissions")
    registration = models.ForeignKey(
        Registration, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="admissions"
    )
    school = models.ForeignKey(
        OrgUnit, verbose_name=_("录取学校"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lottery_number = models.CharField(_("随机号"), max_length=64)
    category = models.PositiveSmallIntegerField(_("招生类别"), null=True, blank=True)
    waiver_status = models.CharField(
        _("放弃录取"), max_length=10, choices=WaiverStatus.choices, default=WaiverStatus.NONE, blank=True
    )
    waiver_reason = models.CharField(_("放弃原因"), max_length=200, blank=True)
    waiver_requested_at = models.DateTimeField(_("申请放弃时间"), null=True, blank=True)
    waiver_decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    waiver_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    waiver_note = models.CharField(_("处理意见"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("录取结果")
        verbose_name_plural = _("录取结果")
        constraints = [models.UniqueConstraint(fields=["draw", "registration"], name="enrollment_admission_unique")]

    def __str__(self) -> str:
        return f"{self.registration} → {self.school or '未录取'}"


# --- 招生政策: registration window and 派位办法 -------------------------------------------------


class Mechanism(models.TextChoices):
    """How a county's 电脑派位 assigns seats (the engine's mechanisms)."""

    DA = "da", _("平行志愿（延迟接受）")
    BOSTON = "boston", _("志愿优先")


class EnrollmentPolicy(models.Model):
    """A county's 招生政策 for one intake year beyond its categories and thresholds: the
    registration window (报名时间, parents may register from `registration_opens` until, not
    including, `registration_closes`; no window = not restricted) and the 派位办法 its draws use
    (平行志愿 by default, or 志愿优先). Set only through enrollment.policy."""

    scope_org_field = "county"

    county = models.ForeignKey(OrgUnit, verbose_name=_("区县"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("招生年份"))
    registration_opens = models.DateTimeField(_("报名开始时间"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("报名截止时间"), null=True, blank=True)
    mechanism = models.CharField(_("派位办法"), max_length=8, choices=Mechanism.choices, default=Mechanism.DA)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("招生政策")
        verbose_name_plural = _("招生政策")
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="enrollment_rules_unique"),
            # both ends or neither, and the window must not be empty
            models.CheckConstraint(
                condition=(
                    Q(registration_opens__isnull=True, registration_closes__isnull=True)
                    | Q(registration_opens__lt=models.F("registration_closes"))
                ),
                name="enrollment_rules_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年招生政策"
