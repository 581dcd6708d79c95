"""Read-only questions about 课后服务: figures per school for the indicators page, and whether a
school's 托管 hours come from roll calls (the time bank asks, through its duty-source registry)."""

from dataclasses import dataclass

from django.utils import timezone

from .facts import (
    students_participating,
    students_total,
    survey_responses,
    survey_satisfied,
    teachers_participating,
    teachers_total,
)
from .models import Term


def manual_duty_closed(school) -> str | None:
    """Where a school runs after-school courses, 托管 is credited by roll call only."""
    if Term.objects.filter(school=school).exists():
        return (
            f"{school.name}已开设课后服务课程：课后托管课时由教师提交课后服务点名后自动入账，"
            f"不能再手工登记或导入托管记录"
        )
    return None


@dataclass
class Figures:
    students_total: int = 0
    students_participating: int = 0
    teachers_total: int = 0
    teachers_participating: int = 0
    survey_responses: int = 0
    survey_satisfied: int = 0

    @staticmethod
    def _pct(num, den):
        return None if not den else round(100 * num / den, 1)

    @property
    def student_rate(self):
        return self._pct(self.students_participating, self.students_total)

    @property
    def teacher_rate(self):
        return self._pct(self.teachers_participating, self.teachers_total)

    @property
    def satisfaction(self):
        return self._pct(self.survey_satisfied, self.survey_responses)

    def add(self, other: "Figures") -> None:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) + getattr(other, f))


def figures_by_school(school_ids: list[int], period) -> dict[int, Figures]:
    """The six facts for the given schools (the caller passes schools it may see)."""
    out = {pk: Figures() for pk in school_ids}
    wanted = set(school_ids)
    for name, collect in (
        ("students_total", students_total),
        ("students_participating", students_participating),
        ("teachers_total", teachers_total),
        ("teachers_participating", teachers_participating),
        ("survey_responses", survey_responses),
        ("survey_satisfied", survey_satisfied),
    ):
        for org_id, n in collect(period):
            if org_id in wanted:
                setattr(out[org_id], name, n)
    return out


def year_period(value=None):
    """The calendar year asked for (?year=2026), else the current one, as the indicators core's Period."""
    from mofang.platform.indicators.periods import parse_period

    year = timezone.localdate().year
    try:
        asked = int(str(value))
        if 2000 <= asked <= year + 1:
            year = asked
    except (TypeError, ValueError):
        pass
    return parse_period(str(year))
