"""A verifiable run: the assignment, every applicant's lottery number, and a run record
(input hash, seed, algorithm and version, output hash) from which anyone can re-run and compare."""

import hashlib
from dataclasses import dataclass
from operator import itemgetter

from .lottery import lottery_numbers
from .mechanisms import assign
from .problem import Problem, canonical_json, input_hash

ENGINE_VERSION = "1.1"  # 1.1: no claim left at a school no group applied to (docs §3)
ALGORITHMS = {
    "da": "deferred-acceptance/single-lottery",  # 平行志愿·学生提出的延迟接受算法
    "boston": "immediate-acceptance/boston",  # 志愿优先
}


@dataclass
class RunResult:
    assignments: list[dict]  # sorted by applicant id: {"applicant", "school" or None, "lottery" (64 hex digits)}
    record: dict

    def as_json(self) -> dict:
        return {"assignments": self.assignments, "record": self.record}


def output_hash(assignments: list[dict]) -> str:
    return hashlib.sha256(canonical_json(assignments)).hexdigest()


def run_lottery(problem: Problem, seed: str, mechanism: str = "da") -> RunResult:
    """Assign every applicant for this seed; the result does not depend on the order of the input."""
    if mechanism not in ALGORITHMS:
        raise ValueError(f"未知的派位办法 {mechanism!r}（可选：{'、'.join(ALGORITHMS)}）")
    numbers = lottery_numbers(problem.applicant_ids, seed)
    school, _ranks = assign(problem, seed, mechanism, numbers)
    sids = problem.school_ids
    assignments = sorted(
        (
            {"applicant": aid, "school": sids[s] if s >= 0 else None, "lottery": f"{numbers[a]:064x}"}
            for a, (aid, s) in enumerate(zip(problem.applicant_ids, school))
        ),
        key=itemgetter("applicant"),
    )
    record = {
        "algorithm": ALGORITHMS[mechanism],
        "mechanism": mechanism,
        "engine_version": ENGINE_VERSION,
        "seed": seed,
        "lottery": "SHA-256(UTF-8(seed) ‖ 0x00 ‖ UTF-8(applicant id)), smaller wins",
        "input_sha256": input_hash(problem),
        "output_sha256": output_hash(assignments),
        "applicants": len(problem.applicant_ids),
        "schools": len(sids),
        "assigned": sum(1 for s in school if s >= 0),
    }
    return RunResult(assignments, record)


def verify(problem: Problem, seed: str, record: dict, assignments: list[dict] | None = None) -> list[str]:
    """Re-run and compare with a published record (and, if given, the published assignments).
    Returns the discrepancies in Chinese; an empty list means the run is confirmed."""
    problems = []
    if record.get("seed") != seed:
        problems.append(f"种子不一致：记录为 {record.get('seed')!r}，核验使用 {seed!r}")
    mechanism = record.get("mechanism")
    if mechanism not in ALGORITHMS:
        return problems + [f"记录中的派位办法 {mechanism!r} 无法识别"]
    if record.get("algorithm") != ALGORITHMS[mechanism]:
        problems.append(f"算法名称不一致：记录为 {record.get('algorithm')!r}")
    if record.get("engine_version") != ENGINE_VERSION:
        problems.append(f"算法版本不同：记录为 {record.get('engine_version')!r}，本程序为 {ENGINE_VERSION}")
    again = run_lottery(problem, seed, mechanism)
    if record.get("input_sha256") != again.record["input_sha256"]:
        problems.append("输入数据的哈希与记录不符：报名数据被改动过，或不是这次派位的输入")
    if record.get("output_sha256") != again.record["output_sha256"]:
        problems.append("重新派位的结果哈希与记录不符")
    if assignments is not None:
        if output_hash(assignments) != record.get("output_sha256"):
            problems.append("结果文件中的录取名单与记录中的结果哈希不符：结果被改动过")
        mine = {r["applicant"]: r for r in again.assignments}
        for row in assignments:
            ref = mine.get(row.get("applicant")) if isinstance(row, dict) else None
            if ref != row:
                should = "无此学生" if ref is None else ref["school"] or "未录取"
                problems.append(
                    f"学生 {row.get('applicant') if isinstance(row, dict) else row!r}：结果与重新派位不同"
                    f"（应为 {should}）"
                )
                if len(problems) > 20:
                    break
    return problems
