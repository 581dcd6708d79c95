"""Types, enforced: mypy with django-stubs checks the whole `mofang` package ([tool.mypy] in
pyproject.toml). A wrong type — an Optional used as if always set, a field given the wrong kind of
value, a call that cannot exist — fails CI here with mypy's list of errors."""

import pathlib
import subprocess
import sys
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def test_mypy_finds_no_type_error():
    # A fresh interpreter from the repository root: mypy reads [tool.mypy] and keeps its cache in
    # .mypy_cache (git-ignored), so a second run only re-checks what changed.
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-color-output", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if run.returncode:
        errors = [line for line in run.stdout.splitlines() if ": error:" in line]
        pytest.fail(
            f"mypy found {len(errors)} type error(s) (run `.venv/bin/mypy` to see them with their notes):\n"
            + "\n".join(errors or [run.stdout, run.stderr]),
            pytrace=False,
        )


def _covers_the_platform(module: str) -> bool:
    return module in {"*", "mofang", "mofang.*"} or module.startswith("mofang.platform")


def test_the_platform_is_checked_in_full():
    """No escape hatch for the core: the whole mofang package is in the files mypy checks, no
    override silences errors in mofang.platform (a module's code may be excepted, by name, while it is
    being replaced), and missing imports are ignored only for named third-party libraries."""
    config = _config()
    assert "mofang" in config["files"], config["files"]
    assert not config.get("ignore_errors") and not config.get("ignore_missing_imports")
    for override in config.get("overrides", []):
        modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
        if override.get("ignore_errors"):
            assert not any(_covers_the_platform(m) or m.endswith("*") for m in modules), modules
        if override.get("ignore_missing_imports"):
            assert all(not m.startswith("mofang") and m != "*" for m in modules), modules
