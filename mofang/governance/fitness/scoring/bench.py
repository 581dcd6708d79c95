"""Speed of score(): ``python -m mofang.governance.fitness.scoring.bench [calls] [students]``.

Scores ``calls`` results cycling over ``students`` random students of every grade and sex (values
as a school would record them), and reports calls per second of wall time and of CPU time (the
second does not depend on what else the machine is doing). With ``students`` equal to ``calls``
every value is a fresh Decimal, as when an import parses each row.
"""

import random
import sys
import time
from decimal import Decimal

from .engine import items_for, score

# plausible ranges (not the limits: most children fall well inside them) and decimals recorded
_RANGES = {
    "height_cm": (110, 185, 1),
    "weight_kg": (18, 80, 1),
    "vital_capacity": (700, 5000, 0),
    "run_50m": (6.8, 13, 1),
    "sit_and_reach": (-5, 25, 1),
    "rope_skipping_1min": (20, 200, 0),
    "situps_1min": (5, 60, 0),
    "pullups": (0, 20, 0),
    "standing_long_jump": (120, 280, 0),
    "run_50x8": (85, 170, 0),
    "run_1000m": (190, 400, 0),
    "run_800m": (190, 360, 0),
}


def students(n: int, seed: int = 1) -> list[tuple[int, str, dict[str, Decimal | None]]]:
    rnd = random.Random(seed)
    out: list[tuple[int, str, dict[str, Decimal | None]]] = []
    for _ in range(n):
        grade, sex = rnd.randint(1, 12), rnd.choice("MF")
        values: dict[str, Decimal | None] = {}
        for item in items_for(grade, sex):
            lo, hi, places = _RANGES[item]
            values[item] = Decimal(str(round(rnd.uniform(lo, hi), places)))
        out.append((grade, sex, values))
    return out


def run(calls: int, n_students: int) -> tuple[float, float]:
    rows = students(n_students)
    wall, cpu = time.perf_counter(), time.process_time()
    for k in range(calls):
        grade, sex, values = rows[k % n_students]
        score(grade, sex, values)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str]) -> None:
    calls = int(argv[0]) if argv else 1_000_000
    n_students = int(argv[1]) if len(argv) > 1 else 20_000
    wall, cpu = run(calls, n_students)
    sys.stdout.write(
        f"{calls} score() calls over {n_students} students: {wall:.2f} s wall = {calls / wall:,.0f}/s; "
        f"{cpu:.2f} s CPU = {calls / cpu:,.0f} per CPU-second\n"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
