"""`mofang enrollment match INPUT.json --seed SEED --output OUTPUT.json [--mechanism da|boston]` and
`mofang enrollment verify INPUT.json OUTPUT.json`: the 电脑派位 run and its public check (SPEC §3.1).
The JSON formats are in docs/enrollment-match.md."""

import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mofang.governance.enrollment.engine import InputError, justified_claims, load_problem, run_lottery, verify
from mofang.governance.enrollment.engine.run import ALGORITHMS

OUTPUT_FORMAT = "mofang-enrollment-match/1"


def _read_json(path: str, what: str):
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise CommandError(f"{what}文件不存在：{path}") from None
    except IsADirectoryError:
        raise CommandError(f"{what}路径是目录，不是文件：{path}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{what}文件不是 UTF-8 编码：{path}") from None
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{what}文件不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）：{path}"
        ) from None
    except OSError as exc:
        raise CommandError(f"无法读取{what}文件 {path}：{exc.strerror}") from None


def _load(path: str):
    try:
        return load_problem(_read_json(path, "报名数据"))
    except InputError as exc:
        raise CommandError(f"报名数据有误：{exc}") from None


def _write_output(path: str, data: dict) -> None:
    """The output file, one assignment a line (a province's file stays readable and diffable);
    written to a temporary file first so a failed run never leaves half a result behind."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=".match-", suffix=".json")
    except OSError as exc:
        raise CommandError(f"无法写入结果文件 {path}：{exc.strerror}") from None
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f'{{\n "format": {dumps(data["format"])},\n "assignments": [\n')
            fh.write(",\n".join("  " + dumps(row) for row in data["assignments"]))
            fh.write("\n ],\n")
            fh.write(",\n".join(f" {dumps(key)}: {dumps(data[key])}" for key in ("record", "summary")))
            fh.write("\n}\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CommandError(f"无法写入结果文件 {path}：{exc.strerror}") from None


class Command(BaseCommand):
    help = "义务教育招生电脑派位：match 按公布的种子派位并写出结果与运行记录；verify 重新派位并核对结果文件。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{match,verify}")
        match = sub.add_parser("match", help="派位：读入报名数据，按种子摇号并分配学位")
        match.add_argument("input", metavar="INPUT.json", help="报名数据（学校、招生计划数、学生志愿）")
        match.add_argument("--seed", required=True, help="公开的随机种子（例如公证现场产生的数字串）")
        match.add_argument("--output", required=True, metavar="OUTPUT.json", help="结果文件")
        match.add_argument(
            "--mechanism",
            choices=sorted(ALGORITHMS),
            default="da",
            help="da = 平行志愿（延迟接受，默认）；boston = 志愿优先",
        )
        check = sub.add_parser("verify", help="核验：用结果文件中记录的种子重新派位并逐一比对")
        check.add_argument("input", metavar="INPUT.json", help="报名数据")
        check.add_argument("output", metavar="OUTPUT.json", help="match 写出的结果文件")

    def handle(self, *args, action, **options):
        if action == "match":
            self.match(options["input"], options["seed"], options["output"], options["mechanism"])
        else:
            self.verify(options["input"], options["output"])

    def match(self, input_path: str, seed: str, output_path: str, mechanism: str) -> None:
        if not seed.strip():
            raise CommandError("--seed 不能为空")
        problem = _load(input_path)
        run = run_lottery(problem, seed, mechanism)
        index = {sid: s for s, sid in enumerate(problem.school_ids)}
        by_id = {aid: a for a, aid in enumerate(problem.applicant_ids)}
        school = [-1] * len(problem.applicant_ids)
        for row in run.assignments:
            if row["school"] is not None:
                school[by_id[row["applicant"]]] = index[row["school"]]
        claims = justified_claims(problem, school, seed) if mechanism == "da" else None
        _write_output(
            output_path,
            {
                "format": OUTPUT_FORMAT,
                **run.as_json(),
                "summary": {
                    "applicants": run.record["applicants"],
                    "assigned": run.record["assigned"],
                    "unassigned": run.record["applicants"] - run.record["assigned"],
                    "justified_claims": None if claims is None else len(claims),
                },
            },
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"派位完成（{'平行志愿·延迟接受' if mechanism == 'da' else '志愿优先'}）：{run.record['applicants']:,} 名学生，"
                f"{run.record['assigned']:,} 名获得学位，{run.record['applicants'] - run.record['assigned']:,} 名未获得。"
            )
        )
        if claims:
            self.stdout.write(
                self.style.WARNING(
                    f"注意：因多胞胎须同校录取，有 {len(claims)} 个学生—学校组合存在可主张的学位（详见文档）。"
                )
            )
        self.stdout.write(
            f"结果已写入 {output_path}；输入哈希 {run.record['input_sha256']}，结果哈希 {run.record['output_sha256']}"
        )

    def verify(self, input_path: str, output_path: str) -> None:
        problem = _load(input_path)
        output = _read_json(output_path, "结果")
        if (
            not isinstance(output, dict)
            or not isinstance(output.get("record"), dict)
            or not isinstance(output.get("assignments"), list)
        ):
            raise CommandError("结果文件缺少 record（运行记录）或 assignments（录取名单）")
        record = output["record"]
        seed = record.get("seed")
        if not isinstance(seed, str):
            raise CommandError("结果文件的运行记录中没有种子（record.seed）")
        problems = verify(problem, seed, record, output["assignments"])
        if problems:
            raise CommandError("核验未通过：\n  " + "\n  ".join(problems))
        self.stdout.write(
            self.style.SUCCESS(
                f"核验通过：用种子 {seed!r} 重新派位，{len(output['assignments']):,} 名学生的结果与文件完全一致。"
            )
        )
