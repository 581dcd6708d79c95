"""The selection rules without the database: time clashes, the per-student limit, the lottery.

The services apply these under row locks; the hypothesis tests drive them directly.
"""

import hashlib
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    """When a course meets: a weekday and a span of after-school periods (inclusive)."""

    weekday: int
    period_from: int
    period_to: int

    def clashes_with(self, other: "Slot") -> bool:
        return (
            self.weekday == other.weekday
            and self.period_from <= other.period_to
            and other.period_from <= self.period_to
        )


def refusal(slot: Slot, held: list[tuple[str, Slot]], limit: int) -> str | None:
    """Why a child holding `held` ((course name, slot) of active selections) may not add a course
    at `slot`; None when it may."""
    if len(held) >= limit:
        return f"每位学生本学期最多选{limit}门课程，已选满"
    for name, other in held:
        if slot.clashes_with(other):
            return f"与已选课程“{name}”上课时间冲突"
    return None


def course_rng(seed: str, course_id: int) -> random.Random:
    """One reproducible stream per course: anyone with the published seed can redo the draw."""
    digest = hashlib.sha256(f"{seed}:{course_id}".encode()).hexdigest()
    return random.Random(int(digest, 16))


def draw(seed: str, capacities: dict[int, int], applications: list[tuple[int, int]]) -> set[int]:
    """摇号: the winning application ids. `applications` are (application id, course id).

    Each course's applicants, ordered by application id, are shuffled with the course's stream;
    the first `capacity` win. Undersubscribed courses take everyone."""
    by_course: dict[int, list[int]] = {}
    for app_id, course_id in applications:
        by_course.setdefault(course_id, []).append(app_id)
    winners: set[int] = set()
    for course_id in sorted(by_course):
        ids = sorted(by_course[course_id])
        cap = capacities.get(course_id, 0)
        if len(ids) > cap:
            course_rng(seed, course_id).shuffle(ids)
            ids = ids[:cap]
        winners.update(ids)
    return winners
