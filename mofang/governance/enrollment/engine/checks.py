"""Checks of an assignment against the rules, used by the tests and the command's audit:
capacities, choices, groups together, and justified claims (envy or a wasted seat)."""

from bisect import bisect_left

from .lottery import lottery_order
from .mechanisms import build_units
from .problem import Problem


def justified_claims(problem: Problem, school: list[int], seed: str) -> list[tuple[str, str]]:
    """(applicant id, school id) pairs where a unit prefers a school and could sit there by
    displacing only units of lower priority (free seats included): justified envy or a wasted seat.
    For a group, its first member's id is reported."""
    units = build_units(problem, lottery_order(problem.applicant_ids, seed))
    held: list[list[tuple[int, int]]] = [[] for _ in problem.school_ids]
    unit_school = [school[m[0]] for m in units.members]
    for u, s in enumerate(unit_school):
        if s >= 0:
            held[s].append((units.key(u, units.unit_choices(u).index(s)), units.size[u]))
    sorted_keys, seats_before = [], []
    for h in held:
        h.sort()
        sorted_keys.append([k for k, _ in h])
        acc, cum = 0, [0]
        for _k, z in h:
            acc += z
            cum.append(acc)
        seats_before.append(cum)
    claims = []
    for u, s_now in enumerate(unit_school):
        for i, s in enumerate(units.unit_choices(u)):
            if s == s_now:
                break
            key = units.key(u, i)
            above = seats_before[s][bisect_left(sorted_keys[s], key)]
            if above + units.size[u] <= units.capacities[s]:
                claims.append((problem.applicant_ids[units.members[u][0]], problem.school_ids[s]))
    return claims


def rule_violations(problem: Problem, school: list[int]) -> list[str]:
    """Capacities kept, every assignment on the applicant's own list, groups never split."""
    out = []
    count = [0] * len(problem.school_ids)
    for a, s in enumerate(school):
        if s >= 0:
            count[s] += 1
            if s not in problem.choices[a]:
                out.append(f"{problem.applicant_ids[a]} 被分到未填报的学校 {problem.school_ids[s]}")
    out += [
        f"{problem.school_ids[s]} 超出计划 {c} > {problem.capacities[s]}"
        for s, c in enumerate(count)
        if c > problem.capacities[s]
    ]
    together: dict[str, set] = {}
    for a, g in enumerate(problem.groups):
        if g is not None:
            together.setdefault(g, set()).add(school[a])
    out += [f"绑定组 {g} 被拆分" for g, ss in together.items() if len(ss) > 1]
    return out
