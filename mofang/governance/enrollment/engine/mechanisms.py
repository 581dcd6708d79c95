"""The two mechanisms: deferred acceptance (the default) and 志愿优先 (Boston, immediate acceptance).

Both work on *units*: an applicant alone, or a binding group (twins, triplets) that needs as many
seats as it has members and is admitted together or not at all. A school ranks units by one small
integer, the priority key (lower is better):

    key = (category × 2 + (0 if an elder sibling attends else 1)) × n + lottery rank

where n is the number of applicants and the lottery rank (0 … n−1) orders applicants by their
lottery number. A group's key at a school is its best member's. Keys are unique per (unit, school),
so the unit behind a key is `rank_unit[key % n]`.

A school chooses from the units before it in key order, passing over a unit that needs more seats
than are left (so singles behind a group that does not fit may still take the remaining seats).
Without groups this is the ordinary responsive choice and deferred acceptance gives the
student-optimal stable assignment.
"""

import heapq
from dataclasses import dataclass

from .lottery import lottery_ranks
from .problem import Problem


@dataclass
class Units:
    """The problem recast for the inner loops (all lists indexed by unit or school)."""

    n: int                         # applicants
    members: list[list[int]]       # unit → applicant indices
    size: list[int]                # unit → seats needed
    choices: list[list[int]]       # unit → school indices, best first
    keys: list[list[int]]          # unit → priority key at each choice
    rank_unit: list[int]           # lottery rank → unit
    capacities: list[int]


def build_units(problem: Problem, ranks: list[int]) -> Units:
    """Units in a canonical order (by lottery rank of their best member) with their priority keys."""
    n = len(problem.applicant_ids)
    by_group: dict[str, list[int]] = {}
    members: list[list[int]] = []
    for a, g in enumerate(problem.groups):
        if g is None:
            members.append([a])
        elif g in by_group:
            by_group[g].append(a)
        else:
            by_group[g] = lst = [a]
            members.append(lst)
    # canonical order: the input's row order must not matter anywhere
    members.sort(key=lambda m: min(ranks[a] for a in m))
    choices, keys, size = [], [], []
    rank_unit = [0] * n
    cats, sibs = problem.categories, problem.siblings
    for u, m in enumerate(members):
        size.append(len(m))
        a0 = m[0]
        choices.append(problem.choices[a0])
        if len(m) == 1:
            r = ranks[a0]
            rank_unit[r] = u
            keys.append([((c + c + (not s)) * n + r) for c, s in zip(cats[a0], sibs[a0])])
        else:
            for a in m:
                rank_unit[ranks[a]] = u
            keys.append([min((cats[a][i] * 2 + (not sibs[a][i])) * n + ranks[a] for a in m)
                         for i in range(len(problem.choices[a0]))])
    return Units(n, members, size, choices, keys, rank_unit, list(problem.capacities))


def deferred_acceptance(units: Units) -> list[int]:
    """Student-proposing deferred acceptance; returns the school index of each unit, or -1.

    Each school keeps the units it holds in a heap of negated keys (its worst on top) and the seats
    they use. A proposal that fits is held; otherwise the worst units are released until it fits,
    and those released that still fit in priority order are taken back (a group that no longer
    fits leaves its seats to the smaller units behind it).
    """
    n, size, choices, keys, rank_unit = units.n, units.size, units.choices, units.keys, units.rank_unit
    caps = units.capacities
    heaps: list[list[int]] = [[] for _ in caps]
    used = [0] * len(caps)
    nxt = [0] * len(size)
    free = list(range(len(size) - 1, -1, -1))  # best lottery proposes first; the result does not depend on it
    push, pushpop, pop = heapq.heappush, heapq.heappushpop, heapq.heappop
    while free:
        u = free.pop()
        i = nxt[u]
        ch = choices[u]
        if i >= len(ch):
            continue
        nxt[u] = i + 1
        s = ch[i]
        g = keys[u][i]
        k = size[u]
        cap = caps[s]
        total = used[s] + k
        if total <= cap:
            push(heaps[s], -g)
            used[s] = total
            continue
        if k > cap:
            free.append(u)
            continue
        h = heaps[s]
        if k == 1:
            w = -pushpop(h, -g)
            if w == g:                      # the proposer is the worst: rejected
                free.append(u)
                continue
            wu = rank_unit[w % n]
            free.append(wu)
            if size[wu] != 1:               # a group left: its other seats stay free (nothing behind it)
                used[s] = total - size[wu]
            continue
        # a group proposes to a school without room: release the worst until it fits, then take
        # back, best first, those released units that still fit
        push(h, -g)
        released = []
        while total > cap:
            w = -pop(h)
            wu = rank_unit[w % n]
            total -= size[wu]
            released.append((w, wu))
        for w, wu in reversed(released):
            if total + size[wu] <= cap:
                push(h, -w)
                total += size[wu]
            else:
                free.append(wu)
        used[s] = total
    school_of = [-1] * len(size)
    for s, h in enumerate(heaps):
        for negkey in h:
            school_of[rank_unit[(-negkey) % n]] = s
    return school_of


def immediate_acceptance(units: Units) -> list[int]:
    """志愿优先 (Boston): round r, every unit still without a seat applies to its r-th choice and the
    school admits them for good, in priority order, into the seats still left."""
    size, choices, keys = units.size, units.choices, units.keys
    left = list(units.capacities)
    school_of = [-1] * len(size)
    waiting = list(range(len(size)))
    r = 0
    while waiting:
        buckets: dict[int, list[tuple[int, int]]] = {}
        still = []
        for u in waiting:
            if r < len(choices[u]):
                buckets.setdefault(choices[u][r], []).append((keys[u][r], u))
                still.append(u)
        for s, applicants in buckets.items():
            applicants.sort()
            for _key, u in applicants:
                if size[u] <= left[s]:
                    left[s] -= size[u]
                    school_of[u] = s
        waiting = [u for u in still if school_of[u] < 0]
        r += 1
    return school_of


MECHANISMS = {"da": deferred_acceptance, "boston": immediate_acceptance}


def assign(problem: Problem, seed: str, mechanism: str = "da") -> tuple[list[int], list[int]]:
    """(school index or −1 per applicant, lottery rank per applicant) for this seed and mechanism."""
    ranks = lottery_ranks(problem.applicant_ids, seed)
    units = build_units(problem, ranks)
    school_of_unit = MECHANISMS[mechanism](units)
    school = [-1] * len(problem.applicant_ids)
    for u, m in enumerate(units.members):
        s = school_of_unit[u]
        if s >= 0:
            for a in m:
                school[a] = s
    return school, ranks
