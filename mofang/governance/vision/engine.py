"""Myopia classification of one screening, as the national documents define screening myopia
(see README.md for the rules and their sources). Pure functions: no database.

- 视力 in 5-point notation (五分记录, GB/T 11533 标准对数视力表): 4.0–5.3 in steps of 0.1.
- An eye is 筛查性近视 when its 裸眼视力 < 5.0 and, where refraction was measured
  (non-cycloplegic), its spherical equivalent SE = S + C/2 < −0.50 D.
- An eye with 裸眼视力 < 5.0 and no refraction is 视力不良 (suspected, not counted as myopic);
  an eye with 裸眼视力 < 5.0 whose SE is ≥ −0.50 D is 视力不良 too (hyperopia, astigmatism …).
- A child is myopic when either eye is; a child wearing 角膜塑形镜 (OK镜) is counted as myopic
  (the lens flattens the cornea overnight, so the day's 裸眼视力 hides the myopia).
- Degree by the more myopic eye's SE: 低度 −0.50 > SE ≥ −3.00, 中度 −3.00 > SE ≥ −6.00, 高度 SE < −6.00.
"""

from dataclasses import dataclass
from decimal import Decimal

NORMAL, POOR, MYOPIA = "normal", "poor", "myopia"
LOW, MODERATE, HIGH = "low", "moderate", "high"
RANK = {NORMAL: 0, POOR: 1, MYOPIA: 2}
DEGREE_RANK = {"": 0, LOW: 1, MODERATE: 2, HIGH: 3}

ACUITY_MIN, ACUITY_MAX = Decimal("4.0"), Decimal("5.3")
NORMAL_ACUITY = Decimal("5.0")
MYOPIA_SE = Decimal("-0.50")
LOW_LIMIT, MODERATE_LIMIT = Decimal("-3.00"), Decimal("-6.00")
ORTHOK = "orthok"


@dataclass(frozen=True)
class Eye:
    acuity: Decimal  # 裸眼视力, 5-point notation
    sphere: Decimal | None = None  # 球镜 S (D)
    cylinder: Decimal | None = None  # 柱镜 C (D)

    @property
    def se(self) -> Decimal | None:
        """Spherical equivalent S + C/2 (None without refraction; C missing counts as 0)."""
        if self.sphere is None:
            return None
        return self.sphere + (self.cylinder or Decimal(0)) / 2


@dataclass(frozen=True)
class Result:
    status: str  # NORMAL / POOR / MYOPIA
    degree: str  # "" / LOW / MODERATE / HIGH (only for MYOPIA with a measured SE)


def eye_status(eye: Eye) -> str:
    if eye.acuity >= NORMAL_ACUITY:
        return NORMAL
    se = eye.se
    if se is not None and se < MYOPIA_SE:
        return MYOPIA
    return POOR


def degree_of(se: Decimal) -> str:
    if se >= MYOPIA_SE:
        return ""
    if se >= LOW_LIMIT:
        return LOW
    if se >= MODERATE_LIMIT:
        return MODERATE
    return HIGH


def classify(right: Eye, left: Eye, glasses: str = "none") -> Result:
    statuses = [eye_status(right), eye_status(left)]
    status = max(statuses, key=RANK.__getitem__)
    if glasses == ORTHOK:
        status = MYOPIA
    degree = ""
    if status == MYOPIA:
        # the more myopic eye; with OK lenses the SE of an eye is read whatever its acuity
        ses = [
            e.se
            for e, s in zip((right, left), statuses, strict=True)
            if e.se is not None and (s == MYOPIA or glasses == ORTHOK)
        ]
        if ses:
            degree = degree_of(min(ses))
    return Result(status, degree)


def check_acuity(value: Decimal) -> str:
    """'' when `value` is a valid 5-point acuity, else the Chinese reason."""
    if value < ACUITY_MIN or value > ACUITY_MAX:
        return "视力应在4.0～5.3之间（五分记录）"
    if value * 10 != int(value * 10):
        return "视力应精确到0.1（五分记录，如4.8）"
    return ""


def check_diopter(value: Decimal, limit: int, what: str) -> str:
    if value < -limit or value > limit:
        return f"{what}应在−{limit}～+{limit}D之间"
    if value * 4 != int(value * 4):
        return f"{what}应为0.25D的整数倍（如−1.25）"
    return ""


def check_axis(value: int) -> str:
    return "" if 0 <= value <= 180 else "轴位应在0～180度之间"
