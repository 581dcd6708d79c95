"""Shared pytest fixtures (a real org tree and users per role, mofang.platform.testing) and the
markers CI uses to run each slow suite in one database round only.

Markers set here from what a test is, so nobody has to remember them:
- browser: drives chromium (tests/browser)
- matrix: the permission matrix (tests/test_permission_matrix.py)
- fuzz: the schemathesis run over the OpenAPI description
- hypothesis: a property test (@given)
- nodb: touches no database, so one round proves it
- postgres: proves what only PostgreSQL can (row locks, concurrent transactions); skipped on SQLite
"""

import pytest
from django.db import connection

from mofang.platform.testing import build_tree

_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.path.as_posix()
        if "/tests/browser/" in path:
            item.add_marker(pytest.mark.browser)
        if path.endswith("tests/test_permission_matrix.py"):
            item.add_marker(pytest.mark.matrix)
        if path.endswith("/test_fuzz.py"):
            item.add_marker(pytest.mark.fuzz)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.hypothesis)
        if item.get_closest_marker("django_db") is None and not _DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.nodb)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("只有 PostgreSQL 能证明（行锁、并发事务）：CI 的 PostgreSQL 轮次运行")


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def s3_server():
    """moto's standalone S3 server over HTTP with a new bucket (an S3-compatible store, as MinIO or
    the provincial cloud's OSS/OBS); yields its MOFANG_S3_* environment."""
    from mofang.platform.files_testing import start_server

    server, env = start_server()
    try:
        yield env
    finally:
        server.stop()


@pytest.fixture
def s3(s3_server, settings):
    """This process's default storage on that server, for the test."""
    from mofang.platform.files_testing import s3_storage_here

    s3_storage_here(settings, s3_server)
    return s3_server
