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

from .lottery import lottery_order, ranks_of
from .problem import Problem


@dataclass
class Units:
    """The problem recast for the inner loops, units in lottery order of their best member.

    A single's key is computed when it proposes (most applicants propose once or twice, so building
    every key up front would cost more than the matching); a group's keys are precomputed.
    """

    n: int  # applicants
    members: list[list[int]]  # unit → applicant indices (the first is the best in the lottery)
    size: list[int]  # unit → seats needed
    rank: list[int]  # unit → lottery rank of its first member
    rank_unit: list[int]  # lottery rank → unit
    group_keys: dict[int, list[int]]  # unit of two or more → priority key at each of its choices
    choices: list[list[int]]  # applicant → school indices, best first (the problem's lists)
    categories: list[list[int]]
    siblings: list[list[bool]]
    capacities: list[int]

    def key(self, u: int, i: int) -> int:
        """The priority key of unit u at its i-th choice (lower is better)."""
        keys = self.group_keys.get(u)
        if keys is not None:
            return keys[i]
        a = self.members[u][0]
        return (self.categories[a][i] * 2 + (not self.siblings[a][i])) * self.n + self.rank[u]

    def unit_choices(self, u: int) -> list[int]:
        return self.choices[self.members[u][0]]


def build_units(problem: Problem, order: list[int]) -> Units:
    """Units from the lottery order (applicant indices, best first)."""
    n = len(order)
    cats, sibs, groups = problem.categories, problem.siblings, problem.groups
    caps = list(problem.capacities)
    if not any(groups):
        return Units(
            n, [[a] for a in order], [1] * n, list(range(n)), list(range(n)), {}, problem.choices, cats, sibs, caps
        )
    members: list[list[int]] = []
    rank: list[int] = []
    rank_unit = [0] * n
    unit_of_group: dict[str, int] = {}
    for r, a in enumerate(order):
        g = groups[a]
        if g is not None and g in unit_of_group:
            u = unit_of_group[g]
            members[u].append(a)
        else:
            u = len(members)
            members.append([a])
            rank.append(r)
            if g is not None:
                unit_of_group[g] = u
        rank_unit[r] = u
    ranks = [0] * n
    for r, a in enumerate(order):
        ranks[a] = r
    group_keys = {}
    for u in unit_of_group.values():
        m = members[u]
        if len(m) > 1:
            group_keys[u] = [
                min((cats[a][i] * 2 + (not sibs[a][i])) * n + ranks[a] for a in m)
                for i in range(len(problem.choices[m[0]]))
            ]
    return Units(n, members, [len(m) for m in members], rank, rank_unit, group_keys, problem.choices, cats, sibs, caps)


def deferred_acceptance(units: Units, max_recalls: int | None = None) -> list[int]:
    """Student-proposing deferred acceptance; returns the school index of each unit, or -1.

    Each school keeps the units it holds in a heap of negated keys (its worst on top) and the seats
    they use. A proposal that fits is held; otherwise the worst units are released until it fits,
    and those released that still fit in priority order are taken back (a group that no longer
    fits leaves its seats to the smaller units behind it).

    Groups add one step (never taken without them, so plain DA is unchanged): when a school loses
    seats held above some unit it turned away — a group pushed out, or a unit recalled elsewhere —
    it *recalls*: the best unit it turned away that still prefers it and would now be chosen
    proposes to it again, leaving its current school (which may recall in turn). A stable
    assignment need not exist with bound groups (recalls can then go round in a cycle), so a unit
    is recalled to the same school at most once, and there are at most `max_recalls` recalls
    (default: one per unit). Those limits can leave a claim at a school no group applied to; a last
    step (`settle_schools_without_groups`) removes any such claim, so the claims left, if any, are at
    schools groups applied to (reported by `checks.justified_claims`).
    """
    n, size, rank, rank_unit, group_keys = units.n, units.size, units.rank, units.rank_unit, units.group_keys
    rep = [m[0] for m in units.members]
    choices, cats, sibs = units.choices, units.categories, units.siblings
    caps = units.capacities
    heaps: list[list[int]] = [[] for _ in caps]
    used = [0] * len(caps)
    nxt = [0] * len(size)
    free = list(range(len(size) - 1, -1, -1))  # best lottery first (without groups the order cannot matter)
    push, pushpop, pop = heapq.heappush, heapq.heappushpop, heapq.heappop
    has_groups = bool(group_keys)
    rejected: list[list[int]] = [[] for _ in caps] if has_groups else []  # keys each school turned away
    events: list[int] = []  # schools that lost seats above a unit they turned away
    held_at = [-1] * len(size)  # kept up to date only with groups (the recall needs it)
    recalls_left = len(size) if max_recalls is None else max_recalls
    recalled: set[tuple[int, int]] = set()
    while True:
        while free:
            u = free.pop()
            i = nxt[u]
            a = rep[u]
            ch = choices[a]
            if i >= len(ch):
                continue
            nxt[u] = i + 1
            s = ch[i]
            k = size[u]
            if k == 1:
                g = (cats[a][i] * 2 + (not sibs[a][i])) * n + rank[u]
            else:
                g = group_keys[u][i]
            cap = caps[s]
            total = used[s] + k
            if total <= cap:
                push(heaps[s], -g)
                used[s] = total
                if has_groups:
                    held_at[u] = s
                continue
            if k > cap:
                free.append(u)
                continue
            h = heaps[s]
            if k == 1:
                w = -pushpop(h, -g)
                if w == g:  # the proposer is the worst: rejected
                    free.append(u)
                    if has_groups:
                        rejected[s].append(w)
                    continue
                wu = rank_unit[w % n]
                free.append(wu)
                if has_groups:
                    rejected[s].append(w)
                    held_at[u] = s
                    held_at[wu] = -1
                if size[wu] != 1:  # a group left: its other seats stay free
                    used[s] = total - size[wu]
                    events.append(s)
                continue
            # a group proposes to a school without room: release the worst until it fits, then take
            # back, best first, those released units that still fit
            push(h, -g)
            held_at[u] = s
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
                    rejected[s].append(w)
                    held_at[wu] = -1
            used[s] = total
            events.append(s)
        if not events or recalls_left <= 0:
            break
        s = events.pop()
        r = _recall(s, units, heaps, nxt, rejected, rep, held_at, recalled)
        if r is None:
            continue
        recalls_left -= 1
        u, pos, t = r
        if t >= 0:  # leave the current school, which may recall in turn
            tk = units.key(u, nxt[u] - 1)
            h = heaps[t]
            h.remove(-tk)
            heapq.heapify(h)
            used[t] -= size[u]
            held_at[u] = -1
            events.append(t)
        nxt[u] = pos
        free.append(u)
        events.append(s)  # look again once the recalled unit is seated
    school_of = [-1] * len(size)
    for s, h in enumerate(heaps):
        for negkey in h:
            school_of[rank_unit[(-negkey) % n]] = s
    if has_groups:
        settle_schools_without_groups(units, school_of)
    return school_of


def settle_schools_without_groups(units: Units, school_of: list[int]) -> bool:
    """Leave no justified claim at a school no group applied to; True if anything had to move.

    The recalls above are limited (once per unit and school, one per unit in all), so a seat freed a
    second time at a school only singles applied to can be left empty below someone who wants it, or
    taken by someone of lower priority. If that happened, the singles who list such a school before
    the seat they hold (or any such school, if they hold none or hold one) run deferred acceptance
    again among those schools only: each proposes from the top of its list; a school no group applied
    to holds the best proposers up to its seats, as always; a school a group applied to is never
    disturbed — it takes a proposer only into a seat that is free, and turns nobody out — and a
    proposer moving up frees the seat it held there. Every one of those singles ends rejected by
    each such school it prefers to where it ends, which is then full of applicants ranked above it;
    the other singles do not list one above the seat they keep, and groups list none. So a justified
    claim can remain only at a school a group applied to. Groups and everyone outside these schools'
    lists keep their seats; without groups this never runs."""
    caps, size, n, rank_unit = units.capacities, units.size, units.n, units.rank_unit
    grouped = [False] * len(caps)
    for u in units.group_keys:
        for s in units.unit_choices(u):
            grouped[s] = True
    if all(grouped):
        return False
    used = [0] * len(caps)
    worst = [-1] * len(caps)  # the worst key held at each school no group applied to
    for u, s in enumerate(school_of):
        if s >= 0:
            used[s] += size[u]
            if not grouped[s]:
                worst[s] = max(worst[s], units.key(u, units.unit_choices(u).index(s)))
    movers, claim = [], False
    for u in range(len(size)):
        if size[u] != 1:
            continue
        ch, now = units.unit_choices(u), school_of[u]
        stop = ch.index(now) if now >= 0 else len(ch)
        lists_one = now >= 0 and not grouped[now]
        for i in range(stop):
            s = ch[i]
            if not grouped[s]:
                lists_one = True
                if used[s] < caps[s] or units.key(u, i) < worst[s]:
                    claim = True
        if lists_one:
            movers.append(u)
    if not claim:
        return False
    heaps: list[list[int]] = [[] for _ in caps]
    for u in movers:
        s = school_of[u]
        if s >= 0 and not grouped[s]:
            used[s] -= 1
            school_of[u] = -1
    nxt = dict.fromkeys(movers, 0)
    free = movers[::-1]  # best lottery first
    while free:
        u = free.pop()
        ch, i = units.unit_choices(u), nxt[u]
        while i < len(ch):
            s = ch[i]
            if s == school_of[u]:
                break  # back at the seat it holds at a school a group applied to
            i += 1
            if grouped[s]:
                if used[s] >= caps[s]:
                    continue
            elif used[s] >= caps[s]:
                key = units.key(u, i - 1)
                w = -heaps[s][0]
                if key > w:
                    continue
                heapq.heapreplace(heaps[s], -key)
                wu = rank_unit[w % n]
                school_of[wu] = -1
                free.append(wu)
                used[s] -= 1
            else:
                heapq.heappush(heaps[s], -units.key(u, i - 1))
            if school_of[u] >= 0:
                used[school_of[u]] -= 1
            school_of[u] = s
            used[s] += 1
            break
        nxt[u] = i
    return True


def _recall(s, units, heaps, nxt, rejected, rep, held_at, recalled):
    """The best unit school s turned away that still prefers s and would now be chosen:
    (unit, position of s in its list, the school it holds now or −1), or None.
    Called only when no proposal is pending, so a unit either holds its latest choice or has
    run out of choices. Units that hold s or a school they like better are forgotten: if they ever
    come down their list again, they will propose to s in the ordinary way."""
    n, size, cap, rank_unit = units.n, units.size, units.capacities[s], units.rank_unit
    held = sorted((-x, size[rank_unit[(-x) % n]]) for x in heaps[s])
    cands = sorted(set(rejected[s]))
    keep, found, j, above = [], None, 0, 0
    for idx, key in enumerate(cands):
        u = rank_unit[key % n]
        while j < len(held) and held[j][0] < key:
            above += held[j][1]
            j += 1
        t = held_at[u]
        pos = units.choices[rep[u]].index(s)
        if (t >= 0 and pos >= nxt[u] - 1) or (u, s) in recalled:
            continue  # holds s or a school it prefers; or recalled here before
        if above + size[u] <= cap:
            recalled.add((u, s))
            found = (u, pos, t)
            keep.extend(cands[idx + 1 :])
            break
        keep.append(key)
    rejected[s] = keep
    return found


def immediate_acceptance(units: Units) -> list[int]:
    """志愿优先 (Boston): round r, every unit still without a seat applies to its r-th choice and the
    school admits them for good, in priority order, into the seats still left."""
    size, key = units.size, units.key
    choices = [units.unit_choices(u) for u in range(len(size))]
    left = list(units.capacities)
    school_of = [-1] * len(size)
    waiting = list(range(len(size)))
    r = 0
    while waiting:
        buckets: dict[int, list[tuple[int, int]]] = {}
        still = []
        for u in waiting:
            if r < len(choices[u]):
                buckets.setdefault(choices[u][r], []).append((key(u, r), u))
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


def assign(
    problem: Problem, seed: str, mechanism: str = "da", numbers: list[int] | None = None
) -> tuple[list[int], list[int]]:
    """(school index or −1 per applicant, lottery rank per applicant) for this seed and mechanism.
    `numbers`, if the caller has them, are the applicants' lottery numbers for this seed."""
    order = lottery_order(problem.applicant_ids, seed, numbers)
    units = build_units(problem, order)
    school_of_unit = MECHANISMS[mechanism](units)
    school = [-1] * len(problem.applicant_ids)
    for u, m in enumerate(units.members):
        s = school_of_unit[u]
        if s >= 0:
            for a in m:
                school[a] = s
    return school, ranks_of(order)
