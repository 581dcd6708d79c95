"""The periodic flush of the view and like counters (every tick of the scheduler, about a minute)."""

from django.utils import timezone

from mofang.platform.jobs.services import PeriodicJob

from . import tally


def _minute(now) -> str:
    return timezone.localtime(now).strftime("%Y-%m-%dT%H:%M")


COUNTER_FLUSH = PeriodicJob(
    name="lessons.counter_flush",
    title="教育资源观看与点赞计数入库",
    period_of=_minute,
    run=lambda period: tally.flush(),
    once_per_period=False,
)
