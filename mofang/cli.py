"""The `mofang` command: Django management commands, plus `mofang serve` and `mofang demo`."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mofang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mofang", *sys.argv[1:]])


if __name__ == "__main__":
    main()
