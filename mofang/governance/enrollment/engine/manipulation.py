"""Why 平行志愿 (deferred acceptance) and not 志愿优先 (Boston): a small instance on which an
applicant gains under Boston by misreporting, while under deferred acceptance no report of hers
ever beats the truth, whatever the others report. The policy page shows this example."""

from copy import deepcopy
from itertools import permutations, product

from .mechanisms import assign
from .problem import Problem

SEED = "示例"
# Three schools with one seat each. 小林 is in category 1 at 乙校 (her 学区) and category 2 at 甲校;
# 小陈 lives in 甲校's 学区; 小王 is in category 2 at 乙校. Everyone likes 甲校 best.
_SCHOOLS = ["甲校", "乙校", "丙校"]
_CATEGORY = {  # applicant → school → priority category
    "小林": {"甲校": 2, "乙校": 1, "丙校": 3},
    "小陈": {"甲校": 1, "乙校": 3, "丙校": 3},
    "小王": {"甲校": 3, "乙校": 2, "丙校": 3},
}
TRUE_PREFERENCES = {
    "小林": ["甲校", "乙校", "丙校"],
    "小陈": ["甲校", "乙校", "丙校"],
    "小王": ["乙校", "甲校", "丙校"],
}
MANIPULATOR = "小林"
MISREPORT = ["乙校", "甲校", "丙校"]


def build(reports: dict[str, list[str]]) -> Problem:
    ids = list(_CATEGORY)
    idx = {s: i for i, s in enumerate(_SCHOOLS)}
    return Problem(
        school_ids=list(_SCHOOLS),
        capacities=[1, 1, 1],
        applicant_ids=ids,
        choices=[[idx[s] for s in reports[a]] for a in ids],
        categories=[[_CATEGORY[a][s] for s in reports[a]] for a in ids],
        siblings=[[False] * len(reports[a]) for a in ids],
    )


def outcome(reports: dict[str, list[str]], who: str, mechanism: str) -> str | None:
    problem = build(reports)
    school, _ = assign(problem, SEED, mechanism)
    s = school[problem.applicant_ids.index(who)]
    return problem.school_ids[s] if s >= 0 else None


def better(a: str | None, b: str | None, truth: list[str]) -> bool:
    """Whether school a is strictly better than b by `truth` (no seat is worst)."""
    place: dict[str | None, int] = {s: i for i, s in enumerate(truth)}
    return place.get(a, len(truth)) < place.get(b, len(truth))


def all_reports() -> list[list[str]]:
    return [list(p) for k in range(len(_SCHOOLS) + 1) for p in permutations(_SCHOOLS, k)]


def manipulation_example() -> dict:
    """The instance and what 小林 gets under each mechanism, truthful and misreporting."""
    lie = deepcopy(TRUE_PREFERENCES)
    lie[MANIPULATOR] = MISREPORT
    return {
        "schools": _SCHOOLS,
        "categories": _CATEGORY,
        "true_preferences": TRUE_PREFERENCES,
        "manipulator": MANIPULATOR,
        "misreport": MISREPORT,
        "boston": {
            "truthful": outcome(TRUE_PREFERENCES, MANIPULATOR, "boston"),
            "misreport": outcome(lie, MANIPULATOR, "boston"),
        },
        "da": {"truthful": outcome(TRUE_PREFERENCES, MANIPULATOR, "da"), "misreport": outcome(lie, MANIPULATOR, "da")},
    }


def profitable_deviations(mechanism: str, who: str = MANIPULATOR) -> list[tuple[dict, list[str]]]:
    """Every (others' reports, report of `who`) that gives `who` more than telling the truth,
    over all reports of everyone on the instance."""
    truth = TRUE_PREFERENCES[who]
    others = [a for a in _CATEGORY if a != who]
    found = []
    for their in product(all_reports(), repeat=len(others)):
        reports = dict(zip(others, their))
        honest = outcome({**reports, who: truth}, who, mechanism)
        for mine in all_reports():
            got = outcome({**reports, who: mine}, who, mechanism)
            if better(got, honest, truth):
                found.append((reports, mine))
    return found
