"""The assignment engine: pure Python, no Django — student-proposing deferred acceptance with
single lottery tie-breaking (and the 志愿优先/Boston option), reproducible from a published seed."""

from .checks import justified_claims, rule_violations
from .lottery import lottery_number, lottery_numbers, lottery_ranks
from .mechanisms import assign
from .problem import InputError, Problem, canonical_input, input_hash, load_problem
from .run import ALGORITHMS, ENGINE_VERSION, RunResult, run_lottery, verify

__all__ = [
    "ALGORITHMS",
    "ENGINE_VERSION",
    "InputError",
    "Problem",
    "RunResult",
    "assign",
    "canonical_input",
    "input_hash",
    "justified_claims",
    "load_problem",
    "lottery_number",
    "lottery_numbers",
    "lottery_ranks",
    "rule_violations",
    "run_lottery",
    "verify",
]
