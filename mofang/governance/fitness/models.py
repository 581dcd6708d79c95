"""体质健康 — models: one test result per student per school year (学年), raw and scored.

A result keeps the child's raw measurements as the school's test equipment gave them and the
outcome the scoring engine (`scoring/`) computed from them at import or entry: item scores, BMI,
base total, bonus, total and band. It also keeps the grade, sex, school and class *at test time*,
so that a year's 合格率 stays what it was after the child moves up, changes class or school.
"""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.people.models import SchoolYear, Student

# The measured items, in the order of the equipment's export (学籍号, 身高, 体重, 肺活量 …).
MEASURED = (
    "height_cm",
    "weight_kg",
    "vital_capacity",
    "run_50m",
    "sit_and_reach",
    "rope_skipping_1min",
    "situps_1min",
    "pullups",
    "standing_long_jump",
    "run_50x8",
    "run_1000m",
    "run_800m",
)
# The items that get a score of their own (height and weight are scored together as BMI).
SCORED = ("bmi", *MEASURED[2:])

PASS_MARK = 60  # 合格: total ≥ 60 (及格 and above)
GOOD_MARK = 80  # 优良: total ≥ 80 (良好 and 优秀)

# The import upserts on one column (the platform's writers do): student id × KEY_BASE + 学年起始年份.
KEY_BASE = 10_000


def result_key(student_id: int, start_year: int) -> int:
    return student_id * KEY_BASE + start_year


class Band(models.TextChoices):
    EXCELLENT = "优秀", _("优秀")
    GOOD = "良好", _("良好")
    PASS = "及格", _("及格")
    FAIL = "不及格", _("不及格")


def _measure(label, digits: int = 8, places: int = 2):
    return models.DecimalField(label, max_digits=digits, decimal_places=places, null=True, blank=True)


def _score(label):
    return models.SmallIntegerField(label, null=True, blank=True)


class FitnessResult(models.Model):
    """A student's 《国家学生体质健康标准》 test result (体质健康测试成绩) for one school year.

    Re-importing or re-entering the same student and year updates this row (`student_year` is the
    upsert key). A result with an item of the grade missing has no total and no band (缺测) and
    counts in no rate.
    """

    scope_org_field = ("school", "klass")  # a 班主任 holds the class, the school its results
    scope_owner_field = "student__guardianships__guardian__user"  # a parent: their own children

    student_year = models.BigIntegerField(_("学生学年键"), editable=False)
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="fitness_results", db_index=False, verbose_name=_("学生")
    )
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("学年")
    )
    # at test time; indexed by fitness_rates_idx (school_year, school, grade, sex, total)
    school = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("学校")
    )
    klass = models.ForeignKey(
        OrgUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("班级"),
    )
    grade = models.SmallIntegerField(_("年级"))
    sex = models.CharField(_("性别"), max_length=1)

    # raw measurements (times in seconds)
    height_cm = _measure(_("身高（厘米）"))
    weight_kg = _measure(_("体重（千克）"))
    vital_capacity = _measure(_("肺活量（毫升）"))
    run_50m = _measure(_("50米跑（秒）"))
    sit_and_reach = _measure(_("坐位体前屈（厘米）"))
    rope_skipping_1min = _measure(_("一分钟跳绳（次）"))
    situps_1min = _measure(_("一分钟仰卧起坐（次）"))
    pullups = _measure(_("引体向上（次）"))
    standing_long_jump = _measure(_("立定跳远（厘米）"))
    run_50x8 = _measure(_("50米×8往返跑（秒）"))
    run_1000m = _measure(_("1000米跑（秒）"))
    run_800m = _measure(_("800米跑（秒）"))

    # the scored outcome
    bmi = _measure(_("体重指数"), digits=4, places=1)
    bmi_class = models.CharField(_("体重指数等级"), max_length=8, blank=True)
    score_bmi = _score(_("体重指数得分"))
    score_vital_capacity = _score(_("肺活量得分"))
    score_run_50m = _score(_("50米跑得分"))
    score_sit_and_reach = _score(_("坐位体前屈得分"))
    score_rope_skipping_1min = _score(_("一分钟跳绳得分"))
    score_situps_1min = _score(_("一分钟仰卧起坐得分"))
    score_pullups = _score(_("引体向上得分"))
    score_standing_long_jump = _score(_("立定跳远得分"))
    score_run_50x8 = _score(_("50米×8往返跑得分"))
    score_run_1000m = _score(_("1000米跑得分"))
    score_run_800m = _score(_("800米跑得分"))
    base_total = _measure(_("标准分"), digits=4, places=1)
    bonus_total = models.SmallIntegerField(_("附加分"), default=0)
    total = _measure(_("学年总分"), digits=4, places=1)
    band = models.CharField(_("等级"), max_length=4, choices=Band.choices, blank=True)

    # a set-based writer (COPY) that leaves it out stamps the row all the same
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_default=Now())

    objects = ScopedManager()

    class Meta:
        verbose_name = _("体质健康测试成绩")
        verbose_name_plural = _("体质健康测试成绩")
        ordering = ["school_year_id", "school_id", "student_id"]
        constraints = [models.UniqueConstraint(fields=["student_year"], name="fitness_student_year_unique")]
        indexes = [
            # a student's years (the report, the 毕业 total)
            models.Index(fields=["student"], name="fitness_student_idx"),
            # 合格率/优良率 by school, grade and sex: an index-only count on PostgreSQL
            models.Index(fields=["school_year", "school", "grade", "sex", "total"], name="fitness_rates_idx"),
            # a class's results (the teacher's form, the class's rates)
            models.Index(fields=["school_year", "klass"], name="fitness_class_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.school_year_id}"

    @property
    def values(self) -> dict:
        """The measured values present, item code → Decimal (what the engine scores)."""
        return {code: getattr(self, code) for code in MEASURED if getattr(self, code) is not None}
