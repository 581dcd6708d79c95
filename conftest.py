"""Shared pytest fixtures: a real org tree and users per role (mofang.platform.testing)."""

import pytest

from mofang.platform.testing import build_tree


@pytest.fixture
def tree(db):
    return build_tree()
