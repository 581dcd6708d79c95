"""Test settings: the production settings plus what a test run needs and nothing else."""

import os
import re

# pytest-xdist runs the suite in several processes: each gets a Redis database of its own (the
# tests' cache.clear() empties a whole Redis database), as pytest-django gives each its own test
# database. gw0 keeps REDIS_URL's database, gw1 the next one, and so on.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("REDIS_URL"):
    _m = re.fullmatch(r"(redis://[^/]*)(?:/(\d+))?", os.environ["REDIS_URL"])
    if _m:
        os.environ["REDIS_URL"] = f"{_m[1]}/{int(_m[2] or 0) + int(_worker[2:])}"

from .settings import *  # noqa: E402, F403
from .settings import DATABASES, PASSWORD_HASHERS  # noqa: E402

# Django's test flush must empty append-only tables between transactional tests.
ALLOW_PURGE = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c mofang.allow_purge=on"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True
# The inbox's unread count is not cached in tests (a query count then never depends on whether the
# viewer's inbox changed since the last request); the shell cache's own tests turn it on.
MOFANG_SHARED_CACHE = False
