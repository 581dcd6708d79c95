"""Lint and format, checked in every test run: `ruff check` and `ruff format --check` over the
whole repository (rules and line length in pyproject.toml). The same checks run before each
commit with pre-commit (.pre-commit-config.yaml; `pre-commit install`, see README)."""

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _ruff(*args: str) -> subprocess.CompletedProcess:
    # the ruff of this interpreter's environment (the [test] extras), from the repository root
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", "."], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_ruff_finds_nothing():
    run = _ruff("check", "--output-format=concise")
    if run.returncode:
        pytest.fail(
            f"ruff check found problems (fix: .venv/bin/ruff check --fix <files>):\n{run.stdout}{run.stderr}",
            pytrace=False,
        )


def test_every_file_is_formatted():
    run = _ruff("format", "--check")
    if run.returncode:
        pytest.fail(
            f"files not formatted as ruff formats them (fix: .venv/bin/ruff format <files>):\n{run.stdout}{run.stderr}",
            pytrace=False,
        )
