"""课后服务: terms with their selection window, courses, selections, sessions with roll call, the survey."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager, ScopedQuerySet
from mofang.platform.orgs.models import OrgUnit

# The after-school periods of a day (课后服务时段); a course takes one or more consecutive ones.
PERIODS = {1: "第1节 15:30–16:10", 2: "第2节 16:20–17:00", 3: "第3节 17:10–17:50"}
WEEKDAYS = {1: "周一", 2: "周二", 3: "周三", 4: "周四", 5: "周五"}
GUARDIAN_OWNER = "guardianships__guardian__user"


class SelectionMode(models.TextChoices):
    FIRST_COME = "first_come", _("先到先得")
    LOTTERY = "lottery", _("报满后抽签")


class Term(models.Model):
    """A school's after-school term (学期) and its selection window (选课时间).

    In 先到先得 a selection takes a seat at once; in 抽签 parents apply during the window and the
    school draws each oversubscribed course after it closes (seeded, the seed published)."""

    scope_org_field = "school"

    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    name = models.CharField(_("学期名称"), max_length=50)
    starts_on = models.DateField(_("开课日期"))
    ends_on = models.DateField(_("结课日期"))
    opens_at = models.DateTimeField(_("选课开始时间"))
    closes_at = models.DateTimeField(_("选课截止时间"))
    mode = models.CharField(
        _("名额分配方式"), max_length=12, choices=SelectionMode.choices, default=SelectionMode.FIRST_COME
    )
    max_courses = models.PositiveSmallIntegerField(_("每生限选门数"), default=2)
    lottery_seed = models.CharField(_("抽签种子"), max_length=64, blank=True)
    lottery_at = models.DateTimeField(_("抽签时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("课后服务学期")
        verbose_name_plural = _("课后服务学期")
        ordering = ["-starts_on", "school_id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="afterschool_term_name_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="afterschool_term_dates"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="afterschool_term_window"),
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.name}"


class CourseQuerySet(ScopedQuerySet):
    """The rules of 今日点名, shared by its page and the teacher's to-do."""

    def meeting_on(self, day):
        """Held on `day`: the course's weekday, in a term running that day."""
        return self.filter(weekday=day.isoweekday(), term__starts_on__lte=day, term__ends_on__gte=day)

    def awaiting_roll(self, day):
        """待点名: held on `day` and no roll call submitted for it yet."""
        taken = Session.objects.filter(date=day, submitted_at__isnull=False).values("course_id")
        return self.meeting_on(day).exclude(pk__in=taken)


class Course(models.Model):
    """One after-school course (丛林穿越, 鲁班学艺 …) of a term: a weekday, one or more periods, a
    place and a capacity, taught by a teacher of the school or a white-listed institution."""

    scope_org_field = "school"
    scope_owner_field = "teacher__user"

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="courses", verbose_name=_("学期"))
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    name = models.CharField(_("课程名称"), max_length=50)
    description = models.CharField(_("课程介绍"), max_length=500, blank=True)
    grade_from = models.PositiveSmallIntegerField(_("适用年级起"), default=1)
    grade_to = models.PositiveSmallIntegerField(_("适用年级止"), default=6)
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=sorted(WEEKDAYS.items()))
    period_from = models.PositiveSmallIntegerField(_("起始节次"), choices=sorted(PERIODS.items()))
    period_to = models.PositiveSmallIntegerField(_("结束节次"), choices=sorted(PERIODS.items()))
    place = models.CharField(_("上课地点"), max_length=50)
    capacity = models.PositiveIntegerField(_("名额"))
    # Seats taken (先到先得) or won (抽签): changed only by one conditional UPDATE, never past capacity.
    taken = models.PositiveIntegerField(_("已选人数"), default=0)
    teacher = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("授课教师")
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("校外机构"),
    )
    fee = models.DecimalField(_("收费（元/学期）"), max_digits=8, decimal_places=2, default=0)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    objects = models.Manager.from_queryset(CourseQuerySet)()  # CourseQuerySet is a ScopedQuerySet

    class Meta:
        verbose_name = _("课后服务课程")
        verbose_name_plural = _("课后服务课程")
        ordering = ["term", "weekday", "period_from", "name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "name"], name="afterschool_course_name_unique"),
            models.CheckConstraint(condition=Q(taken__lte=models.F("capacity")), name="afterschool_never_oversold"),
            models.CheckConstraint(
                condition=Q(period_to__gte=models.F("period_from")), name="afterschool_course_periods"
            ),
            models.CheckConstraint(
                condition=Q(teacher__isnull=False) | Q(institution__isnull=False),
                name="afterschool_course_has_provider",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def periods(self) -> int:
        return self.period_to - self.period_from + 1

    @property
    def schedule(self) -> str:
        span = (
            f"第{self.period_from}节"
            if self.period_from == self.period_to
            else f"第{self.period_from}–{self.period_to}节"
        )
        return f"{WEEKDAYS.get(self.weekday, '')} {span}"

    @property
    def provider(self) -> str:
        if self.institution is not None:  # an unset foreign key reads as None without a query
            return self.institution.name
        return self.teacher.name if self.teacher is not None else ""

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def fee_text(self) -> str:
        return "免费" if not self.fee else f"{Decimal(self.fee).normalize():f}元/学期"

    @property
    def grades_text(self) -> str:
        return (
            f"{self.grade_from}–{self.grade_to}年级" if self.grade_from != self.grade_to else f"{self.grade_from}年级"
        )

    def clashes_with(self, other: "Course") -> bool:
        return (
            self.weekday == other.weekday
            and self.period_from <= other.period_to
            and other.period_from <= self.period_to
        )


class SelectionStatus(models.TextChoices):
    APPLIED = "applied", _("已报名待抽签")
    CONFIRMED = "confirmed", _("已选上")
    LOST = "lost", _("未中签")
    WITHDRAWN = "withdrawn", _("已退选")


ACTIVE = (SelectionStatus.APPLIED, SelectionStatus.CONFIRMED)


class Selection(models.Model):
    """A child's choice of a course (选课), made by a parent."""

    scope_org_field = "course__school"
    scope_owner_field = "student__" + GUARDIAN_OWNER
    # not a column: set on the selection services.select_course returns (the child's active
    # selections in the term, read under the child's lock), so the page's answer needs no query
    active_count: int

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="selections", verbose_name=_("学期"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="selections", verbose_name=_("课程"))
    # indexed with the term below (the child's selections in a term), not alone
    student = models.ForeignKey(
        "people.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("学生"), db_index=False
    )
    status = models.CharField(_("状态"), max_length=10, choices=SelectionStatus.choices, db_index=True)
    created_at = models.DateTimeField(_("选课时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    withdrawn_at = models.DateTimeField(_("退选时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("选课记录")
        verbose_name_plural = _("选课记录")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "student"],
                condition=Q(status__in=["applied", "confirmed"]),
                name="afterschool_one_active_selection",
            )
        ]
        # what every selection reads under the child's lock: the child's selections in the term. Without
        # it the planner may AND the term's index (every selection of the school's term) with the
        # child's, and that read grows with the surge (0.4 ms at 20,000 selections)
        indexes = [models.Index(fields=["student", "term"], name="afterschool_sel_student_term")]

    def __str__(self) -> str:
        return f"{self.student} · {self.course}"


class Session(models.Model):
    """One held (or opened) class of a course on a date: the unit of roll call and of the time bank's credit."""

    scope_org_field = "course__school"
    scope_owner_field = "course__teacher__user"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("课程"))
    date = models.DateField(_("日期"))
    submitted_at = models.DateTimeField(_("点名提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("点名人"),
    )
    duty_record_no = models.CharField(_("时间银行记录编号"), max_length=40, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("课次")
        verbose_name_plural = _("课次")
        ordering = ["-date", "course_id"]
        constraints = [models.UniqueConstraint(fields=["course", "date"], name="afterschool_one_session_a_day")]

    def __str__(self) -> str:
        return f"{self.course} {self.date:%Y-%m-%d}"

    @property
    def record_no(self) -> str:
        """The time bank's natural key for this session's credit (one per session, ever)."""
        return f"KH-{self.pk}"


class Attendance(models.Model):
    """Roll call (点名): one student's presence at one session."""

    scope_org_field = "session__course__school"
    scope_owner_field = "student__" + GUARDIAN_OWNER

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("课次"))
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("学生"))
    present = models.BooleanField(_("到课"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("点名记录")
        verbose_name_plural = _("点名记录")
        constraints = [models.UniqueConstraint(fields=["session", "student"], name="afterschool_attendance_once")]

    def __str__(self) -> str:
        return f"{self.session} {self.student} {'到' if self.present else '缺'}"


class Rating(models.TextChoices):
    VERY = "very", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    NEUTRAL = "neutral", _("一般")
    UNSATISFIED = "unsatisfied", _("不满意")


SATISFIED = (Rating.VERY, Rating.SATISFIED)


class SurveyResponse(models.Model):
    """A parent's 满意度 answer for one child and term (one per child per term)."""

    scope_org_field = "term__school"
    scope_owner_field = "student__" + GUARDIAN_OWNER

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="responses", verbose_name=_("学期"))
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("学生"))
    rating = models.CharField(_("满意度"), max_length=12, choices=Rating.choices)
    comment = models.CharField(_("意见建议"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("填写时间"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填写人"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("满意度问卷")
        verbose_name_plural = _("满意度问卷")
        constraints = [models.UniqueConstraint(fields=["term", "student"], name="afterschool_one_answer_per_child")]

    def __str__(self) -> str:
        return f"{self.term} {self.student} {self.get_rating_display()}"
