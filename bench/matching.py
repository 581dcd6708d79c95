"""Benchmark: the enrollment assignment engine (电脑派位, issue 3).

  (1) 10,000 applicants × 100 schools, strict priorities (ties broken by the lottery beforehand),
      no groups: Mofang's deferred acceptance against the PyPI `matching` library's resident-optimal
      HospitalResident on the same instance. The assignments must be identical; target ≥ 100× against
      the library's create_from_dictionaries (its input checks) + solve, and the ratio against its
      solve step alone is printed next to it.
  (2) 1,000,000 applicants × 2,000 schools with twins, triplets and elder siblings: the engine alone
      on one core; target < 15 s.

Pure Python, no database. Printed, and written to bench/out/matching.json; at smoke size
(2,000 × 20 and 20,000 × 200) the targets are shown but never fail the run — only a disagreement
with the library does.

    python bench/matching.py
    python bench/matching.py --smoke          # for CI, well under a minute
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
import warnings
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

import benchlib  # noqa: E402

# This file is called matching.py: take its folder off the path so `import matching` is the library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]

from mofang.governance.enrollment.engine import Problem, justified_claims, lottery_ranks, rule_violations  # noqa: E402
from mofang.governance.enrollment.engine.mechanisms import assign  # noqa: E402
from mofang.governance.enrollment.engine.run import run_lottery  # noqa: E402

RATIO_TARGET = 100.0
PROVINCE_TARGET_S = 15.0
SEED = "2026-07-15 浙江省义务教育招生电脑派位"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="2,000 × 20 and 20,000 × 200, for CI")
    parser.add_argument("--seed", type=int, default=20260715, help="seed of the generated instances")
    parser.add_argument(
        "--check-claims",
        action="store_true",
        help="also count justified claims on the province instance (a few seconds more)",
    )
    args = parser.parse_args()
    (n1, m1), (n2, m2) = ((2_000, 20), (20_000, 200)) if args.smoke else ((10_000, 100), (1_000_000, 2_000))
    print(f"Python {sys.version.split()[0]} · {os.cpu_count()} CPU (one used) · seed {args.seed}")

    # (1) against the matching library
    print(f"\n(1) {n1:,} applicants × {m1:,} schools, strict priorities, no groups")
    p1 = generate(n1, m1, args.seed, groups=False)
    engine_s, school = best_of(3, lambda: assign(p1, SEED)[0])
    lib_s, solve_s, lib_school = library_run(p1)
    identical = school == lib_school
    ratio = lib_s / engine_s
    solve_ratio = solve_s / engine_s
    print(f"  identical assignments: {identical}")

    # (2) the province
    print(f"\n(2) {n2:,} applicants × {m2:,} schools, twins, triplets and elder siblings")
    t0 = time.perf_counter()
    p2 = generate(n2, m2, args.seed + 1, groups=True)
    print(
        f"  generated in {time.perf_counter() - t0:.1f}s: {sum(map(len, p2.choices)):,} choices, "
        f"{len({g for g in p2.groups if g}):,} bound groups, {sum(p2.capacities):,} seats"
    )
    t0, c0 = time.perf_counter(), time.process_time()
    school2, _ = assign(p2, SEED)
    province_s, province_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    run_lottery(p2, SEED)  # timed for the full run: lottery numbers, output rows and record hashes
    record_s = time.perf_counter() - t0
    violations = rule_violations(p2, school2)
    claims = None
    if args.check_claims or args.smoke:
        claims = len(justified_claims(p2, school2, SEED))
    assigned = sum(1 for s in school2 if s >= 0)
    print(
        f"  assigned {assigned:,} of {n2:,}; rule violations: {len(violations)}"
        + (f"; justified claims left by groups: {claims:,}" if claims is not None else "")
    )

    print()
    table = [
        [f"Mofang assign (DA), {n1:,} × {m1}", n1, engine_s, f"{engine_s * 1000:.1f} ms, best of 3"],
        [f"matching HospitalResident, {n1:,} × {m1}", n1, lib_s, "create_from_dictionaries + solve"],
        [f"matching HospitalResident.solve, {n1:,} × {m1}", n1, solve_s, "solve(optimal='resident') alone"],
        [
            f"Mofang assign (DA), {n2:,} × {m2:,}",
            n2,
            province_s,
            f"lottery + keys + DA; CPU {province_cpu:.2f} s (the figure on a busy machine)",
        ],
        [
            f"Mofang run_lottery, {n2:,} × {m2:,}",
            n2,
            record_s,
            f"+ output rows and record hashes; peak RSS {benchlib.peak_rss_mb():,.0f} MB",
        ],
    ]
    benchlib.print_table(["run", "applicants", "seconds", ""], table)
    print()
    verdict_ratio = "PASS" if ratio >= RATIO_TARGET else "FAIL"
    verdict_prov = "PASS" if province_s < PROVINCE_TARGET_S else "FAIL"
    benchlib.print_table(
        ["target", "measured", "target", "verdict"],
        [
            ["Mofang vs matching (same assignments)", f"{ratio:,.0f}×", f"≥ {RATIO_TARGET:.0f}×", verdict_ratio],
            ["Mofang vs matching's solve step alone", f"{solve_ratio:,.0f}×", "(shown)", ""],
            [f"province {n2:,} × {m2:,}", f"{province_s:.2f} s", f"< {PROVINCE_TARGET_S:.0f} s", verdict_prov],
        ],
    )
    if args.smoke:
        print("(smoke size: targets are informative only)")
    out = benchlib.write_json(
        "matching",
        {
            "when": dt.datetime.now().isoformat(timespec="seconds"),
            "smoke": args.smoke,
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "seed": args.seed,
            "runs": [{"run": r, "applicants": n, "seconds": round(s, 3), "note": note} for r, n, s, note in table],
            "identical_assignments": identical,
            "ratio": round(ratio, 1),
            "ratio_solve_only": round(solve_ratio, 1),
            "province_seconds": round(province_s, 3),
            "province_cpu_seconds": round(province_cpu, 3),
            "province_assigned": assigned,
            "province_rule_violations": len(violations),
            "province_claims": claims,
            "targets": {"ratio": RATIO_TARGET, "province_seconds": PROVINCE_TARGET_S},
            "verdicts": {"ratio": verdict_ratio, "province": verdict_prov},
        },
    )
    print(f"results: {out.relative_to(benchlib.REPO)}")
    if not identical:
        print("FAIL: the engine and the matching library disagree")
        return 1
    if violations:
        print("FAIL:", violations[:5])
        return 1
    return 0


def best_of(times: int, fn):
    best, result = float("inf"), None
    for _ in range(times):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def library_run(problem: Problem) -> tuple[float, float, list[int]]:
    """The `matching` library's HospitalResident (resident-optimal) on the same lottery-broken priorities:
    (seconds to create the game and solve, seconds of the solve alone, assignment). Building the
    hospitals' preference lists is not timed; `create_from_dictionaries` (which builds the players and
    checks the input) and `solve` are, separately."""
    from matching.games import HospitalResident

    ranks = lottery_ranks(problem.applicant_ids, SEED)
    n = len(ranks)
    ids, sids = problem.applicant_ids, problem.school_ids
    resident_prefs = {ids[a]: [sids[s] for s in ch] for a, ch in enumerate(problem.choices) if ch}
    applicants_of: dict[str, list] = {s: [] for s in sids}
    for a, ch in enumerate(problem.choices):
        for i, s in enumerate(ch):
            key = (problem.categories[a][i] * 2 + (not problem.siblings[a][i])) * n + ranks[a]
            applicants_of[sids[s]].append((key, ids[a]))
    hospital_prefs = {s: [a for _k, a in sorted(v)] for s, v in applicants_of.items()}
    capacities = dict(zip(sids, problem.capacities))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100 * n))  # its deepcopy recurses through the players
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        t1 = time.perf_counter()
        matching = game.solve(optimal="resident")
        t2 = time.perf_counter()
    where = {r.name: h.name for h, rs in matching.items() for r in rs}
    index = {s: i for i, s in enumerate(sids)}
    return t2 - t0, t2 - t1, [index[where[a]] if a in where else -1 for a in ids]


def generate(n: int, m: int, seed: int, *, groups: bool) -> Problem:
    """A province: districts of 20 schools (10 at small sizes); each applicant lives in a school's
    学区 and lists 1–6 schools, mostly of their own district. Category 1 (户籍与房产均在学区) or 2
    (房产) at their 学区 school, 3 elsewhere in the district, 4 outside it; an elder sibling at one of
    the listed schools for ~4%; with `groups`, ~1.1% twins and ~0.03% triplets (same choices)."""
    rng = random.Random(seed)
    per = 20 if m >= 200 else 10
    districts = max(1, m // per)
    school_ids = [f"33{s:08d}" for s in range(m)]
    popularity = [rng.uniform(0.6, 1.6) for _ in range(m)]
    scale = n * 1.02 / sum(popularity)
    capacities = [max(1, round(p * scale)) for p in popularity]
    ids, choices, categories, siblings, group_of = [], [], [], [], []
    randrange, random_ = rng.randrange, rng.random
    a = 0
    while a < n:
        home = randrange(m)
        d = home // per if home // per < districts else districts - 1
        lo, hi = d * per, min(m, (d + 1) * per)
        k = min(m, (1, 2, 3, 4, 4, 5, 5, 6)[randrange(8)])
        ch = [home] if random_() < 0.7 else []
        while len(ch) < k:
            s = randrange(lo, hi) if random_() < 0.85 else randrange(m)
            if s not in ch:
                ch.append(s)
        size = 1
        if groups:
            x = random_()
            size = 3 if x < 0.0001 else 2 if x < 0.0056 else 1
            size = min(size, n - a)
        cats = [(1 if random_() < 0.6 else 2) if s == home else 3 if lo <= s < hi else 4 for s in ch]
        sib_at = ch[randrange(len(ch))] if random_() < 0.04 else -1
        for j in range(size):
            ids.append(f"A{a + j:08d}")
            choices.append(ch)
            categories.append(cats)
            siblings.append([s == sib_at for s in ch])
            group_of.append(f"G{a:08d}" if size > 1 else None)
        a += size
    return Problem(school_ids, capacities, ids, choices, categories, siblings, group_of)


if __name__ == "__main__":
    sys.exit(main())
