"""心理健康护航 — models: who is assigned to a student, screening campaigns and their answers, crisis alerts.

Individual records (a student's answers, an alert) are scoped by the student's school and class AND,
for the professionals who hold `@assigned` grants (心理教师, 班主任), by the student's care
assignments (`scope_assignee_field`, see mofang/platform/accounts/scope.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.people.models import Student

from .scales import Risk

STUDENT_SCOPE = ("student__school", "student__klass")
STUDENT_ASSIGNEES = "student__care_assignments__user"


class CareRole(models.TextChoices):
    PSYCHOLOGIST = "psych", _("心理教师")
    HEAD_TEACHER = "head", _("班主任")


class CareAssignment(models.Model):
    """A professional assigned to a student (护航责任人): the school's psychologist(s) and the head
    teacher of the student's class; only they open the student's screening answers, alerts and cases."""

    scope_org_field = STUDENT_SCOPE
    scope_assignee_field = "user"

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="care_assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_assignments", verbose_name=_("责任人")
    )
    role = models.CharField(_("身份"), max_length=8, choices=CareRole.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("分配人")
    )
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("护航分配")
        verbose_name_plural = _("护航分配")
        constraints = [models.UniqueConstraint(fields=["student", "user"], name="mh_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.student.name} ← {self.user}（{self.get_role_display()}）"


class Answerer(models.TextChoices):
    STUDENT = "student", _("学生本人作答（中学：PHQ-9 + GAD-7）")
    PARENT = "parent", _("家长代答（小学：家长观察版，仅供参考）")


class Campaign(models.Model):
    """A screening campaign (心理筛查) of one school for one term: every student on the roll (of the
    chosen grades) gets a one-time answer code the school hands out."""

    scope_org_field = "school"

    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    term = models.CharField(_("学期"), max_length=40)
    title = models.CharField(_("名称"), max_length=80)
    answerer = models.CharField(_("作答方式"), max_length=8, choices=Answerer.choices)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("心理筛查")
        verbose_name_plural = _("心理筛查")
        ordering = ["-opens_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Screening(models.Model):
    """One student's questionnaire in a campaign: the one-time code, then the answers, totals and risk."""

    scope_org_field = STUDENT_SCOPE
    scope_assignee_field = STUDENT_ASSIGNEES

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="screenings")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+", verbose_name=_("学生"))
    code = models.CharField(_("作答码"), max_length=12, unique=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    phq9 = models.JSONField(_("PHQ-9 作答"), default=list)
    gad7 = models.JSONField(_("GAD-7 作答"), default=list)
    phq9_total = models.PositiveSmallIntegerField(_("PHQ-9 总分"), null=True)
    gad7_total = models.PositiveSmallIntegerField(_("GAD-7 总分"), null=True)
    risk = models.CharField(_("风险等级"), max_length=8, choices=Risk.choices, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("筛查答卷")
        verbose_name_plural = _("筛查答卷")
        constraints = [models.UniqueConstraint(fields=["campaign", "student"], name="mh_screening_unique")]
        indexes = [models.Index(fields=["campaign", "risk"], name="mh_screening_risk_idx")]

    def __str__(self) -> str:
        return f"{self.campaign.title}：{self.student.name}"


class CrisisAlert(models.Model):
    """A crisis alert (危机预警): raised in the request that stored a positive self-harm answer, sent to
    the student's assigned professionals; unacknowledged by `due_at`, its case escalates to the county."""

    scope_org_field = STUDENT_SCOPE
    scope_assignee_field = STUDENT_ASSIGNEES

    screening = models.OneToOneField(Screening, on_delete=models.CASCADE, related_name="alert")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+", verbose_name=_("学生"))
    raised_at = models.DateTimeField(_("预警时间"))
    due_at = models.DateTimeField(_("确认时限"))
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("个案")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("危机预警")
        verbose_name_plural = _("危机预警")
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"危机预警：{self.student.name}"


class HospitalReferral(models.Model):
    """教医联动: a crisis case referred to a hospital (转介诊疗) — which hospital, when, and the outcome
    the hospital reports back (recorded by the case's handler)."""

    scope_org_field = ("case__reporting_org", "case__responsible_org")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("个案"))
    hospital = models.CharField(_("医院"), max_length=80)
    department = models.CharField(_("科室"), max_length=40, blank=True)
    referred_at = models.DateTimeField(_("转介时间"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("诊疗结果"), max_length=300, blank=True)
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("转介医院记录")
        verbose_name_plural = _("转介医院记录")
        ordering = ["referred_at", "pk"]

    def __str__(self) -> str:
        return f"转介{self.hospital}"


class CallerKind(models.TextChoices):
    STUDENT = "student", _("学生")
    PARENT = "parent", _("家长")
    TEACHER = "teacher", _("教师")
    OTHER = "other", _("其他")


class HotlineCall(models.Model):
    """A call to the county's 心理热线: who called, when, what was said, the risk judged, and the
    crisis case it is linked to (an existing one, or one the call opens)."""

    # the county that runs the hotline, and the school of the student the call is about (where the
    # student's assigned professionals hold their @assigned grants)
    scope_org_field = ("org", "student__school")
    scope_assignee_field = STUDENT_ASSIGNEES

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("热线所属区县"))
    called_at = models.DateTimeField(_("来电时间"))
    caller_kind = models.CharField(_("来电人"), max_length=8, choices=CallerKind.choices)
    caller_name = models.CharField(_("来电人称呼"), max_length=40, blank=True)
    summary = models.TextField(_("通话摘要"))
    risk = models.CharField(_("风险等级"), max_length=8, choices=Risk.choices)
    student = models.ForeignKey(
        Student, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("学生")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("个案")
    )
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("心理热线记录")
        verbose_name_plural = _("心理热线记录")
        ordering = ["-called_at", "pk"]

    def __str__(self) -> str:
        return f"心理热线 {self.called_at:%Y-%m-%d %H:%M}"
