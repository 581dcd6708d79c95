"""Fact sources: modules tell the indicators core how to count their records (SPEC §1.9).

A module registers its sources in AppConfig.ready(); the core never imports a module. A fact is
a number per org unit and period ("teachers with a time-bank account"); an indicator is a
numerator fact over a denominator fact. Values at an org are summed up the tree, so a source
reports each record once, at the lowest org it belongs to (usually the school).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .periods import Period

IMPORT_PREFIX = "import."  # imported statistics are facts whose code starts with this


@dataclass(frozen=True)
class FactSource:
    code: str  # "afterschool.students_participating", dotted: <module>.<fact>
    name: str  # Chinese, e.g. "参加课后服务的学生数"
    collect: Callable[["Period"], Iterable[tuple[int, Decimal | int]]]
    # org ids whose facts may have changed since the given time (incremental refresh); None = always full
    changed_orgs: Callable[[datetime], Iterable[int]] | None = None
    # optional: collect only for these org ids (lets an incremental refresh skip the full count)
    collect_orgs: Callable[["Period", list[int]], Iterable[tuple[int, Decimal | int]]] | None = None
    # optional: the org ids where the module keeps records for the period (a module used by some
    # schools or counties only). A covered org without a count reports 0; an org with no covered
    # org in its subtree has no data (暂无数据), not 0. None: the source covers the whole tree.
    covers: Callable[["Period"], Iterable[int]] | None = None


FACT_SOURCES: dict[str, FactSource] = {}


def register_fact_source(source: FactSource) -> None:
    """Called from a module's AppConfig.ready(); registering the same code again replaces it."""
    if "." not in source.code or source.code.startswith(IMPORT_PREFIX):
        raise ValueError(f"fact code {source.code!r} must be <module>.<fact> and not import.*")
    FACT_SOURCES[source.code] = source


def fact_source(code: str) -> FactSource | None:
    return FACT_SOURCES.get(code)


def is_imported(code: str) -> bool:
    return code.startswith(IMPORT_PREFIX)


# The Chinese names of the imported statistics the shipped indicators and rules read; an import
# may bring other codes too (shown as 其他导入统计 with their code).
IMPORTED_FACT_NAMES = {
    "import.kg_enrolled": "在园幼儿数",
    "import.inclusive_kg_enrolled": "普惠性幼儿园在园幼儿数",
    "import.inclusive_kindergartens": "普惠性幼儿园数",
    "import.public_kindergartens": "公办幼儿园数",
    "import.inclusive_private_kindergartens": "普惠性民办幼儿园数",
    "import.smart_campus_schools": "智慧校园数（达标校及以上）",
}


def is_sparse(code: str) -> bool:
    """Whether a missing total of this fact means "no data" rather than 0: imported statistics
    exist only where rows were imported; a source with `covers` only where the module is used."""
    if is_imported(code):
        return True
    source = FACT_SOURCES.get(code)
    return source is not None and source.covers is not None
