"""The layers, enforced (STYLE.md: 一个平台 · 三个核心业务 · N 个应用模块): import-linter checks the
contracts in .importlinter — the core imports no module, modules import each other only where
declared — and every module app is under that contract."""

import configparser
import pathlib
import subprocess
import sys

import pytest
from django.apps import apps

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"
BUSINESSES = ("mofang.governance.", "mofang.resources.", "mofang.data.")


def test_the_import_contracts_hold():
    # lint-imports in a fresh interpreter (it imports nothing of Django), from the repository root
    command = [
        sys.executable,
        "-c",
        "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())",
    ]
    run = subprocess.run(
        [*command, "--no-cache", "--no-logo", str(CONFIG)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if run.returncode:
        pytest.fail(f"import contracts broken (.importlinter):\n{run.stdout}\n{run.stderr}", pytrace=False)


def test_every_module_is_under_the_independence_contract():
    config = configparser.ConfigParser()
    config.read(CONFIG, encoding="utf-8")
    listed = set(config["importlinter:contract:modules-are-independent"]["modules"].split())
    installed = {c.name for c in apps.get_app_configs() if c.name.startswith(BUSINESSES)}
    assert installed <= listed, f"add to .importlinter's modules-are-independent: {sorted(installed - listed)}"
