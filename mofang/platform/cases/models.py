"""Cases, their append-only timeline, attachments and hand-offs to external platforms."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager, ScopedQuerySet, grants_for
from mofang.platform.orgs.models import OrgUnit

from .registry import CLOSED_FIXED, CLOSED_NOT_FIXED, OPEN, case_type


class StateKind(models.TextChoices):
    OPEN = OPEN, _("办理中")
    CLOSED_FIXED = CLOSED_FIXED, _("已办结（已解决）")
    CLOSED_NOT_FIXED = CLOSED_NOT_FIXED, _("已办结（未解决）")


# The rules of 办理中 and 逾期, written once: the case lists and their cards, the API, the per-unit
# reports, the overdue scan, the cockpit and the modules' dashboards and facts all count with these.
OPEN_CASES = Q(state_kind=StateKind.OPEN)


def overdue_condition(now) -> Q:
    """逾期: still open and past its deadline — strictly: a case due at 17:00 is on time at 17:00."""
    return OPEN_CASES & Q(due_at__lt=now)


class CaseScopedQuerySet(ScopedQuerySet):
    """The scope of a case and of what hangs on it (timeline, attachments, hand-offs): the reporting
    unit's and the responsible unit's subtrees (`scope_org_field`), except for a unit the case has
    moved away from. A unit that held the case once (a timeline event was written while it was the
    responsible unit) and no longer holds it — escalated to the unit above, re-routed — loses it
    through that grant, even where it is above the reporting unit (a county over its school): it no
    longer reads the comments, attachments or reporter, and sees only that the case was moved
    (queries.moved_away). Other grants (the units above it, the reporting school) keep the case."""

    case_field = ""  # the path from this model to its Case ("" for Case itself)

    def visible_to(self, user, perm: str):
        qs = super().visible_to(user, perm)
        grants = grants_for(user, perm)
        if not grants:
            return qs
        model, prefix = self.model, f"{self.case_field}__" if self.case_field else ""
        declared = getattr(model, "scope_org_field")  # noqa: B009  (declared by each scoped model)
        org_fields = declared if isinstance(declared, tuple) else (declared,)
        owner_field = getattr(model, "scope_owner_field", None)
        case_ref = OuterRef(f"{self.case_field}_id" if self.case_field else "pk")
        keep, matched = Q(), False
        for g in grants:
            cover = Q()
            for f in org_fields:
                cover |= Q(**{f"{f}__path__startswith": g.path})
            if g.own:
                if owner_field:  # a reporter's own case stays theirs
                    keep |= cover & Q(**{owner_field: user.pk})
                    matched = True
                continue
            moved_away = Exists(CaseEvent.objects.filter(case_id=case_ref, org_id=g.org_id)) & ~Q(
                **{f"{prefix}responsible_org__path__startswith": g.path}
            )
            keep |= cover & ~moved_away
            matched = True
        return self.filter(keep) if matched else self.none()


class CaseQuerySet(CaseScopedQuerySet):
    def open(self):
        """办理中: not closed (fixed or not)."""
        return self.filter(OPEN_CASES)

    def overdue(self, now):
        """逾期 at `now` (overdue_condition)."""
        return self.filter(overdue_condition(now))


class Case(models.Model):
    """One closed-loop case (闭环事项): a hazard, a rectification, a complaint … found, queued at
    a responsible unit, claimed, handled, checked and closed — and perhaps re-opened (回头看).
    Its type (declared in code by a module) says which states and transitions it may go through."""

    # the reporting unit and the unit responsible now both see the case
    scope_org_field = ("reporting_org", "responsible_org")
    scope_owner_field = "reporter"

    case_type = models.CharField(_("案件类型"), max_length=40, db_index=True)
    number = models.CharField(_("编号"), max_length=40, unique=True, null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("描述"), blank=True)
    category = models.CharField(_("类别"), max_length=40, blank=True, db_index=True)
    severity = models.CharField(_("紧急程度"), max_length=20, default="normal")
    lon = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("地点"), max_length=200, blank=True)
    public = models.BooleanField(_("公开"), default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报告人"),
    )
    reporting_org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("报告单位"))
    responsible_org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位"))
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("认领人"),
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    first_claimed_at = models.DateTimeField(_("首次认领时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=30)
    state_kind = models.CharField(_("状态类别"), max_length=20, choices=StateKind.choices, default=StateKind.OPEN)
    state_entered_at = models.DateTimeField(_("进入状态时间"))
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True)
    # the case's own due date (整改期限, a legal time limit): while set, every open state is due at
    # the end of this day instead of the state's deadline
    due_on = models.DateField(_("案件期限"), null=True, blank=True)
    opened_at = models.DateTimeField(_("创建时间"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    reopened_count = models.PositiveIntegerField(_("重新打开次数"), default=0)
    # the overdue scan acts once per deadline: it stamps the due_at it reminded of / escalated
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_for = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)  # the scan run that did it
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalation_count = models.PositiveIntegerField(_("升级次数"), default=0)
    supervised_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    data = models.JSONField(_("扩展数据"), default=dict, blank=True)  # the declaring module's own fields

    objects = ScopedManager.from_queryset(CaseQuerySet)()

    class Meta:
        verbose_name = _("闭环案件")
        verbose_name_plural = _("闭环案件")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["state_kind", "due_at"], name="cases_open_due_idx"),
            models.Index(fields=["case_type", "state_kind", "opened_at"], name="cases_type_kind_idx"),
            # the overdue scan finds the rows it has just marked by these stamps
            models.Index(fields=["escalated_at"], name="cases_escalated_at_idx"),
            models.Index(fields=["reminded_at"], name="cases_reminded_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.title}"

    @property
    def type(self):
        return case_type(self.case_type)

    @property
    def state_label(self) -> str:
        """What the case reads now (a claimed case no longer reads 待认领: State.claimed_label)."""
        return self.type.status_label(self.state, claimed=self.claimed_by_id is not None)

    @property
    def is_open(self) -> bool:
        return self.state_kind == StateKind.OPEN

    def is_overdue(self, now) -> bool:
        """Overdue strictly after the deadline: a case due at 17:00 is still on time at 17:00."""
        return self.is_open and self.due_at is not None and now > self.due_at


class OnCaseQuerySet(CaseScopedQuerySet):
    """Rows of a case (timeline, attachments, hand-offs): the case's scope."""

    case_field = "case"


OnCaseManager = models.Manager.from_queryset(OnCaseQuerySet)


class EventKind(models.TextChoices):
    OPEN = "open", _("创建")
    TRANSITION = "transition", _("流转")
    CLAIM = "claim", _("认领")
    COMMENT = "comment", _("意见")
    ATTACH = "attach", _("附件")
    REMIND = "remind", _("到期提醒")
    ESCALATE = "escalate", _("升级")
    SUPERVISE = "supervise", _("督办")
    HANDOFF = "handoff", _("转外部平台")
    EXTERNAL = "external", _("外部平台回执")
    DUE = "due", _("期限调整")


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what when (transition, claim, comment, attachment,
    escalation …) with the state before and after. Append-only in the database, like the audit log."""

    scope_org_field = ("case__reporting_org", "case__responsible_org")

    case = models.ForeignKey(
        Case, on_delete=models.DO_NOTHING, db_constraint=False, related_name="events", verbose_name=_("案件")
    )
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人"), max_length=100, blank=True)
    kind = models.CharField(_("事件"), max_length=12, choices=EventKind.choices)
    transition = models.CharField(_("操作"), max_length=40, blank=True)
    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, blank=True)
    org = models.ForeignKey(
        OrgUnit,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任单位"),
    )
    comment = models.TextField(_("意见"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = OnCaseManager()

    class Meta:
        verbose_name = _("案件记录")
        verbose_name_plural = _("案件记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "id"], name="cases_event_case_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("案件记录只能新增，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("案件记录不能删除")


class CaseAttachment(models.Model):
    """A photo or document attached to a case (现场照片、整改材料): PDF, JPG or PNG, checked by its
    content, at most 10 MB."""

    scope_org_field = ("case__reporting_org", "case__responsible_org")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("案件"))
    file = models.FileField(_("文件"), upload_to="cases/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = OnCaseManager()

    class Meta:
        verbose_name = _("案件附件")
        verbose_name_plural = _("案件附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class SendState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class ExternalHandoff(models.Model):
    """A case handed off to an external platform (转四平台), tracked apart from the case state as
    FixMyStreet tracks sending a report on: send state, attempts, last error, the platform's id
    for it and its status there as last seen."""

    scope_org_field = ("case__reporting_org", "case__responsible_org")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="handoffs", verbose_name=_("案件"))
    adapter = models.CharField(_("外部平台"), max_length=40)
    send_state = models.CharField(_("发送状态"), max_length=10, choices=SendState.choices, default=SendState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    external_id = models.CharField(_("外部编号"), max_length=100, blank=True)
    external_status = models.CharField(_("外部状态"), max_length=100, blank=True)
    last_checked_at = models.DateTimeField(_("最近查询时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = OnCaseManager()

    class Meta:
        verbose_name = _("外部平台流转")
        verbose_name_plural = _("外部平台流转")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "adapter"], name="cases_handoff_once_per_adapter")]

    def __str__(self) -> str:
        return f"{self.adapter} {self.external_id or self.get_send_state_display()}"


class RouteRule(models.Model):
    """One line of a county's routing table (分派规则): a module's cases of this category, reported in
    the county, go to this department's queue. The table is declared by the module (routing.py says
    which categories it has and who keeps it); an empty category is the county's catch-all (兜底)."""

    scope_org_field = "county"

    table = models.CharField(_("规则表"), max_length=40)
    county = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    category = models.CharField(_("类别"), max_length=40, blank=True)
    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任部门"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("分派规则")
        verbose_name_plural = _("分派规则")
        ordering = ["table", "county__path", "category"]
        constraints = [
            models.UniqueConstraint(fields=["table", "county", "category"], name="cases_route_once_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.category or '兜底'} → {self.department}"
