"""The permission matrix: every role × every endpoint × an in-scope and an out-of-scope object.

Each app may ship a `matrix.py` with two functions:

    make_objects(tree) -> dict       # create one object inside tree.school (or below) and one
                                     # inside tree.other_school (another county), return them
    endpoints(objs) -> list[Endpoint]

The test (tests/test_permission_matrix.py) places one user per role at its natural org unit
and checks, for every endpoint and both objects, that the object is shown exactly when the
role's declared permissions cover the object's org unit. The expectation comes from the role
declarations and the tree (an oracle independent of the scope layer it checks).
"""

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

# Where each role's matrix user sits (attribute of mofang.platform.testing.Tree).
ROLE_PLACES = {
    "province_admin": "province",
    "city_admin": "city",
    "county_admin": "county",
    "inspector": "county",
    "principal": "school",
    "academic": "school",
    "bank_auditor": "school",
    "head_teacher": "klass",
    "psych_teacher": "school",
    "teacher": "school",
    "dept_liaison": "department",
    "parent": "school",
    "notary": "county",
}


@dataclass
class Target:
    url: str
    marker: str  # text that appears only when the object itself is shown
    orgs: list  # the org units the object belongs to (any of them grants visibility)


@dataclass
class Endpoint:
    name: str
    kind: str  # list | detail | export | count | change
    perm: str
    inside: Target
    outside: Target
    method: str = "GET"
    data: dict = field(default_factory=dict)
    api: bool = False
    count_label: str = ""  # for a figure on a page of cards (label → value) instead of a list total

    def __post_init__(self):
        if self.kind not in {"list", "detail", "export", "count", "change"}:
            raise ValueError(self.kind)


def matrix_modules():
    for config in apps.get_app_configs():
        if config.name.startswith("mofang.") and find_spec(f"{config.name}.matrix"):
            yield import_module(f"{config.name}.matrix")


def expected_visible(role_permissions: set[str], member_org, perm: str, orgs: list) -> bool:
    """The oracle: a subtree grant of `perm` at `member_org` covering one of the object's orgs."""
    if perm not in role_permissions:
        return False  # an "@own" grant never covers an object the matrix user does not own
    return any(o.path.startswith(member_org.path) for o in orgs)
