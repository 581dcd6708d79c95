"""The input of a lottery run: schools with capacities and applicants with ranked choices.

`Problem` holds everything as integer-indexed lists (what the mechanisms loop over); `load_problem`
builds one from the documented JSON (docs/enrollment-match.md) and rejects bad input with a Chinese
message naming the field and the applicant. The canonical form (`canonical_input`) is sorted by
stable id, so the order of rows in a file never changes a result or its hash.
"""

import hashlib
import json
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NoReturn


class InputError(ValueError):
    """Bad input, with a message in Chinese that names the field (and the applicant or school)."""


@dataclass
class Problem:
    """One admission round: schools (seats) and applicants (ranked choices with their priorities).

    choices[a] lists school indices in the applicant's order of preference; categories[a][i] is the
    applicant's priority category at choices[a][i] (1 = highest, e.g. 户籍与房产均在学区) and
    siblings[a][i] whether an elder sibling attends that school (priority within the category).
    groups[a] is the binding group (twins, triplets) or None; a group is admitted together or not at all.
    """

    school_ids: list[str]
    capacities: list[int]
    applicant_ids: list[str]
    choices: list[list[int]]
    categories: list[list[int]]
    siblings: list[list[bool]]
    groups: list[str | None] = field(default_factory=list)

    def __post_init__(self):
        if not self.groups:
            self.groups = [None] * len(self.applicant_ids)


def canonical_input(problem: Problem) -> dict:
    """The input as plain data, schools and applicants sorted by id, every default filled in."""
    sids = problem.school_ids
    schools = sorted(({"id": s, "capacity": c} for s, c in zip(sids, problem.capacities)), key=itemgetter("id"))
    applicants: list[dict[str, Any]] = []
    for a, aid in enumerate(problem.applicant_ids):
        row: dict[str, Any] = {
            "id": aid,
            "choices": [
                {"school": sids[s], "category": cat, "sibling": bool(sib)}
                for s, cat, sib in zip(problem.choices[a], problem.categories[a], problem.siblings[a])
            ],
        }
        row["group"] = problem.groups[a]
        applicants.append(row)
    applicants.sort(key=itemgetter("id"))
    return {"schools": schools, "applicants": applicants}


def canonical_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def input_hash(problem: Problem) -> str:
    """SHA-256 of canonical_json(canonical_input(problem)), written out row by row (a province's
    input as dicts would take longer to build than the matching itself)."""
    enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    sid = [enc(s) for s in problem.school_ids]
    h = hashlib.sha256()
    ids, choices, cats, sibs, groups = (
        problem.applicant_ids,
        problem.choices,
        problem.categories,
        problem.siblings,
        problem.groups,
    )
    chunk = ['{"applicants":[']
    for j, a in enumerate(sorted(range(len(ids)), key=ids.__getitem__)):
        g = groups[a]
        sep = "," if j else ""
        group = "null" if g is None else enc(g)
        prefs = ",".join(
            [
                f'{{"category":{c:d},"school":{sid[s]},"sibling":{"true" if b else "false"}}}'
                for s, c, b in zip(choices[a], cats[a], sibs[a])
            ]
        )
        chunk.append(f'{sep}{{"choices":[{prefs}],"group":{group},"id":{enc(ids[a])}}}')
        if len(chunk) >= 10000:
            h.update("".join(chunk).encode())
            chunk = []
    chunk.append('],"schools":[')
    chunk.append(
        ",".join(
            f'{{"capacity":{problem.capacities[s]:d},"id":{sid[s]}}}'
            for s in sorted(range(len(sid)), key=problem.school_ids.__getitem__)
        )
    )
    chunk.append("]}")
    h.update("".join(chunk).encode())
    return h.hexdigest()


# --- reading the JSON ----------------------------------------------------------------------------


def _fail(msg: str) -> NoReturn:
    raise InputError(msg)


def _id(value, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value).strip() == "":
        _fail(f"{where}：id 必须是非空字符串")
    return str(value).strip()


def _positive_int(value, where: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        _fail(f"{where}须为不小于 {minimum} 的整数，收到 {value!r}")
    return value


def load_problem(data) -> Problem:
    """Build a Problem from the documented JSON object, or raise InputError (Chinese, names the field)."""
    if not isinstance(data, dict):
        _fail("输入必须是 JSON 对象，包含 schools 和 applicants 两个字段")
    schools, applicants = data.get("schools"), data.get("applicants")
    if not isinstance(schools, list) or not schools:
        _fail("字段 schools 必须是非空数组（学校及其招生计划数）")
    if not isinstance(applicants, list):
        _fail("字段 applicants 必须是数组（报名学生）")

    school_ids: list[str] = []
    capacities: list[int] = []
    index: dict[str, int] = {}
    for n, row in enumerate(schools, 1):
        if not isinstance(row, dict):
            _fail(f"schools 第 {n} 项必须是对象")
        sid = _id(row.get("id"), f"schools 第 {n} 项")
        if sid in index:
            _fail(f"学校 {sid}：id 重复")
        cap = _positive_int(row.get("capacity"), f"学校 {sid} 的 capacity（招生计划数）", minimum=0)
        index[sid] = len(school_ids)
        school_ids.append(sid)
        capacities.append(cap)

    ids, choices, categories, siblings, groups, seen = [], [], [], [], [], set()
    for n, row in enumerate(applicants, 1):
        if not isinstance(row, dict):
            _fail(f"applicants 第 {n} 项必须是对象")
        aid = _id(row.get("id"), f"applicants 第 {n} 项")
        if aid in seen:
            _fail(f"学生 {aid}：id 重复")
        seen.add(aid)
        raw = row.get("choices")
        if not isinstance(raw, list):
            _fail(f"学生 {aid}：choices（志愿）必须是数组")
        ch, cats, sibs = [], [], []
        for i, c in enumerate(raw, 1):
            where = f"学生 {aid} 的第 {i} 志愿"
            if not isinstance(c, dict):
                _fail(f"{where}必须是对象，含 school 和 category")
            chosen = c.get("school")
            if isinstance(chosen, int) and not isinstance(chosen, bool):
                chosen = str(chosen)
            if chosen not in index:
                _fail(f"{where}：学校 {chosen!r} 不在 schools 中")
            s = index[chosen]
            if s in ch:
                _fail(f"{where}：学校 {chosen} 重复填报")
            cat = _positive_int(c.get("category"), f"{where}的 category（优先类别）", minimum=1)
            sib = c.get("sibling", False)
            if not isinstance(sib, bool):
                _fail(f"{where}的 sibling（兄姐在校）须为 true 或 false，收到 {sib!r}")
            ch.append(s)
            cats.append(cat)
            sibs.append(sib)
        group = row.get("group")
        if group is not None:
            group = _id(group, f"学生 {aid} 的 group（多胞胎绑定组）")
        ids.append(aid)
        choices.append(ch)
        categories.append(cats)
        siblings.append(sibs)
        groups.append(group)

    problem = Problem(school_ids, capacities, ids, choices, categories, siblings, groups)
    check_groups(problem)
    return problem


def check_groups(problem: Problem) -> None:
    """Members of a binding group apply together: the same schools in the same order."""
    first: dict[str, int] = {}
    for a, g in enumerate(problem.groups):
        if g is None:
            continue
        if g not in first:
            first[g] = a
        elif problem.choices[a] != problem.choices[first[g]]:
            _fail(
                f"学生 {problem.applicant_ids[a]}：与同一绑定组 {g} 的学生 {problem.applicant_ids[first[g]]} "
                f"的志愿学校或顺序不一致（多胞胎须填报相同志愿）"
            )
