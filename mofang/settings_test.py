"""Test settings: the production settings plus what a test run needs and nothing else."""

from .settings import *  # noqa: F403
from .settings import DATABASES, PASSWORD_HASHERS

# Django's test flush must empty append-only tables between transactional tests.
ALLOW_PURGE = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c mofang.allow_purge=on"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True
