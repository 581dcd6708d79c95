"""一网通办: the service catalogue (事项目录, data), the applications (each a case on the engine) and
the certificates issued (学籍证明 / 在读证明, with a public verification code).

A service says who may apply, which unit handles it, the materials (attachments, with the file
types and size allowed), the form (field lines in the platform's form description,
mofang/platform/web/formspec.py) and the legal
time limit in working days. An application is seen by the student's school and the target school
(and the regions above them) and by its applicant (`@own`); the case carries the workflow.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit


class Workflow(models.TextChoices):
    TRANSFER = "transfer", _("转学")
    SUSPEND = "suspend", _("休学")
    RESUME = "resume", _("复学")
    ROLL_CERTIFICATE = "roll_certificate", _("学籍证明")
    STUDY_CERTIFICATE = "study_certificate", _("在读证明")
    GENERAL = "general", _("一般事项（受理、审核、办结）")


class HandlerKind(models.TextChoices):
    SCHOOL = "school", _("就读学校")
    COUNTY = "county", _("区县教育局")
    CITY = "city", _("市教育局")


class Applicant(models.TextChoices):
    PARENT = "parent", _("家长")
    STUDENT = "student", _("学生")
    TEACHER = "teacher", _("教师")
    SCHOOL = "school", _("学校")


class Service(models.Model):
    """One education service of the catalogue (e.g. 义务教育阶段学生转学), with its rules as data."""

    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    workflow = models.CharField(_("办理流程"), max_length=20, choices=Workflow.choices, default=Workflow.GENERAL)
    applicants = models.JSONField(_("申请人类型"), default=list)  # Applicant values
    handler_kind = models.CharField(_("办理单位"), max_length=10, choices=HandlerKind.choices)
    # [{"name": "户籍证明", "types": ["pdf", "jpg", "png"], "max_mb": 5, "required": true}, …]
    materials = models.JSONField(_("申请材料"), default=list, blank=True)
    form_spec = models.TextField(_("申请表字段"), blank=True)  # one field a line: 名称|类型[|必填][|选项]
    time_limit_days = models.PositiveSmallIntegerField(_("法定办结时限（工作日）"))
    description = models.TextField(_("办事指南"), blank=True)
    active = models.BooleanField(_("是否开通网上办理"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("一网通办事项")
        verbose_name_plural = _("一网通办事项")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def applicants_text(self) -> str:
        names = dict(Applicant.choices)
        return "、".join(str(names.get(a, a)) for a in self.applicants)


class Result(models.TextChoices):
    PENDING = "", _("办理中")
    DONE = "done", _("已办结")
    RETURNED = "returned", _("已退回")


class ForAChild(models.Model):
    """Abstract: what an application (of a service or of a bundle) says of the child and who asked:
    it belongs to the child's school and the school it transfers to, and to its applicant."""

    scope_org_field = ("school", "target_school")
    scope_owner_field = "applicant"

    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("学生"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("就读学校"))
    target_school = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("转入学校")
    )
    answers = models.JSONField(_("申请表内容"), default=dict, blank=True)

    class Meta:
        abstract = True


class Application(ForAChild):
    """One application for a service for one student; its workflow is the case's."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="online_application", verbose_name=_("案件")
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications", verbose_name=_("事项"))
    out_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("同意转出人"),
    )
    result = models.CharField(_("办理结果"), max_length=10, choices=Result.choices, default="", blank=True)
    result_text = models.CharField(_("结果说明"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("一网通办申请")
        verbose_name_plural = _("一网通办申请")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # one application of a service for a child in progress at a time (concurrent submits too)
            models.UniqueConstraint(
                fields=["service", "student"], condition=models.Q(result=""), name="online_services_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service.name}（{self.student.name}）"

    @property
    def is_cross_county(self) -> bool:
        return self.case.case_type == "online_services.transfer_cross"


class Certificate(models.Model):
    """A 学籍证明 / 在读证明 as issued: what it says is frozen at issue; the code verifies it publicly."""

    scope_org_field = "school"
    scope_owner_field = "application__applicant"

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("申请")
    )
    kind = models.CharField(_("证明类型"), max_length=20, choices=Workflow.choices)
    code = models.CharField(_("验证码"), max_length=32, unique=True)
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("学生"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("出具学校"))
    student_name = models.CharField(_("学生姓名"), max_length=50)
    school_name = models.CharField(_("学校名称"), max_length=100)
    status_label = models.CharField(_("出具时学籍状态"), max_length=20)
    grade_label = models.CharField(_("年级"), max_length=20, blank=True)
    issued_on = models.DateField(_("出具日期"))
    revoked = models.BooleanField(_("已作废"), default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("学籍证明")
        verbose_name_plural = _("学籍证明")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    @property
    def masked_name(self) -> str:
        n = self.student_name
        return n[0] + "*" * (len(n) - 1) if len(n) > 1 else "*"


class Bundle(models.Model):
    """一件事: several services of the catalogue applied for together, with one form and one set of
    materials (seed 003 教育事务一件事, seed 004 一证通办). Data like the services: `steps` lists the
    member services in order, each optionally after another (it is applied for only when that one
    is 办结) and with answers the bundle fills in itself; `held` names the materials the platform
    already holds (shown filled in, never asked)."""

    code = models.CharField(_("一件事编码"), max_length=40, unique=True)
    name = models.CharField(_("一件事名称"), max_length=100)
    # [{"service": "transfer"}, {"service": "roll_certificate", "after": "transfer", "answers": {"用途": "转学"}}]
    steps = models.JSONField(_("包含事项"), default=list)
    held = models.JSONField(_("平台已有材料"), default=list, blank=True)  # names of HELD (bundles.py)
    description = models.TextField(_("办事指南"), blank=True)
    active = models.BooleanField(_("是否开通网上办理"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class BundleApplication(ForAChild):
    """One application for a bundle for one child: the one form's answers; its steps are the member
    applications, each its own case at its own unit."""

    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="applications", verbose_name=_("一件事"))
    number = models.CharField(_("编号"), max_length=30, unique=True)
    held = models.JSONField(_("平台已有材料"), default=dict, blank=True)  # {name: what the platform holds}
    materials = models.JSONField(_("材料"), default=dict, blank=True)  # {material name: CaseAttachment pk}
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("一件事申请")
        verbose_name_plural = _("一件事申请")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.bundle.name}（{self.student.name}）"


class StepState(models.TextChoices):
    WAITING = "waiting", _("等待前一事项办结")
    STARTED = "started", _("已发起")
    CANCELLED = "cancelled", _("不再办理")
    FAILED = "failed", _("未能发起")


class BundleStep(models.Model):
    """One member of a bundle application: its service, the step it waits for, and (once started)
    its application. Seen where its bundle application is."""

    scope_org_field = ("bundle_application__school", "bundle_application__target_school")
    scope_owner_field = "bundle_application__applicant"

    bundle_application = models.ForeignKey(
        BundleApplication, on_delete=models.CASCADE, related_name="steps", verbose_name=_("一件事申请")
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("事项"))
    after = models.PositiveSmallIntegerField(_("前置事项顺序"), null=True, blank=True)
    answers = models.JSONField(_("申请表内容"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=StepState.choices, default=StepState.WAITING)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bundle_step",
        verbose_name=_("事项申请"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("一件事步骤")
        verbose_name_plural = _("一件事步骤")
        ordering = ["bundle_application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bundle_application", "position"], name="online_services_step_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.service.name}"
