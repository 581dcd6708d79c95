"""`mofang demo [--scale S] [--seed N] [--reset]`: build the demo province (SPEC §1.10)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from mofang.platform.demo.generator import DEFAULT_SEED
from mofang.platform.demo.services import (
    COUNT_LABELS,
    DemoExists,
    build_demo,
    demo_counts,
    migrate_if_needed,
    reset_database,
)
from mofang.platform.demo.story import logins_table


def _scale(value: str) -> float:
    try:
        v = float(value)
    except ValueError:
        raise CommandError(f"--scale 须为正数，收到 {value!r}") from None
    if not 0 < v <= 1000:
        raise CommandError("--scale 须大于 0 且不超过 1000")
    return v


class Command(BaseCommand):
    help = "生成演示省份：浙江省的真实地市与区县、学校、班级、学生、教职工、家长和各角色演示账号。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1.0,
            help="规模：1 约数万名学生（默认）；可为小数（0.05）或更大（100 约数百万）",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"随机种子，相同种子生成相同数据（默认 {DEFAULT_SEED}）"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="先清空整个数据库（SQLite 删除数据文件；PostgreSQL 重建 public 模式）再生成",
        )
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="--reset 时不再询问确认"
        )

    def handle(self, *args, scale, seed, reset, interactive, **options):
        say = self.stdout.write
        if reset:
            if interactive and sys.stdin.isatty():
                answer = input("将清空整个数据库（包括审计日志与所有业务数据）。输入 yes 继续：")
                if answer.strip().lower() != "yes":
                    raise CommandError("已取消")
            reset_database(log=say)
        migrate_if_needed(log=say)
        try:
            report = build_demo(scale=scale, seed=seed, log=say)
        except DemoExists:
            say(
                self.style.WARNING(
                    "演示省份「浙江省」（330000）已存在，未重复生成。如需重建，请运行：mofang demo --reset"
                )
            )
            self._print_counts(demo_counts())
            return
        except OverflowError as exc:
            raise CommandError(str(exc)) from exc
        say(self.style.SUCCESS(f"演示数据已生成，用时 {report.seconds:.1f} 秒。"))
        self._print_counts(report.counts)
        say("\n演示账号：\n" + logins_table())

    def _print_counts(self, counts: dict) -> None:
        self.stdout.write("  " + "　".join(f"{COUNT_LABELS[k]} {v:,}" for k, v in counts.items()))
