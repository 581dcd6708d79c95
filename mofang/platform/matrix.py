"""The permission matrix: every role × every endpoint × an in-scope and an out-of-scope object.

Each app may ship a `matrix.py` with two functions:

    make_objects(tree) -> dict       # create one object inside tree.school (or below) and one
                                     # inside tree.other_school (another county), return them
    endpoints(objs) -> list[Endpoint]

and the app that declares a role seats its matrix user with `register_matrix_place(role, place)`.

The test (tests/test_permission_matrix.py) places one user per registered role at its place
(a role without one fails) and checks, for every endpoint and both objects, that the object is shown exactly when the
role's declared permissions cover the object's org unit. The expectation comes from the role
declarations and the tree (an oracle independent of the scope layer it checks).
"""

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

from mofang.platform.testing import Tree

# Where each role's matrix user sits: an attribute of mofang.platform.testing.Tree. The app that
# declares a role registers its place (in its matrix.py); a role without one fails the matrix test.
MATRIX_PLACES: dict[str, str] = {}


def register_matrix_place(role_code: str, place: str) -> None:
    """Seat the matrix user of `role_code` at `place` ("county", "school", "klass" …)."""
    if place not in Tree.__dataclass_fields__:
        raise ValueError(
            f"matrix place {place!r} of role {role_code!r} is not one of {list(Tree.__dataclass_fields__)}"
        )
    MATRIX_PLACES[role_code] = place


@dataclass
class Target:
    url: str
    marker: str  # text that appears only when the object itself is shown
    orgs: list  # the org units the object belongs to (any of them grants visibility)
    # units the object has moved away from (a case escalated or re-routed): a grant held *at* one of
    # them no longer sees it, even where its subtree covers one of `orgs` (a county over its school)
    moved_from: list = field(default_factory=list)


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
    # the page leaves the figure out when it is 0 (a to-do); otherwise a page the role may open must
    # show the figure, and a label the test cannot find fails instead of reading as 0
    hidden_at_zero: bool = False

    def __post_init__(self):
        if self.kind not in {"list", "detail", "export", "count", "change"}:
            raise ValueError(self.kind)


def matrix_modules():
    """Each app's matrix.py, or the parts it lists in PARTS (each part is built on a tree of its
    own, so one part's objects never enter another part's counts)."""
    for config in apps.get_app_configs():
        if config.name.startswith("mofang.") and find_spec(f"{config.name}.matrix"):
            module = import_module(f"{config.name}.matrix")
            yield from getattr(module, "PARTS", [module])


def matrix_id(module) -> str:
    """people for people/matrix.py, people:roll for its part people/matrix_roll.py (test ids)."""
    *_, app, name = module.__name__.split(".")
    return app if name == "matrix" else f"{app}:{name.removeprefix('matrix_')}"


def expected_visible(role_permissions: set[str], member_org, perm: str, orgs: list, moved_from=()) -> bool:
    """The oracle: a subtree grant of `perm` at `member_org` covering one of the object's orgs,
    unless the object has moved away from `member_org` itself."""
    if perm not in role_permissions:
        return False  # an "@own" grant never covers an object the matrix user does not own
    if any(m.pk == member_org.pk for m in moved_from):
        return False
    return any(o.path.startswith(member_org.path) for o in orgs)


def role_places() -> dict[str, str]:
    """Every registered place, once every app's matrix.py (which registers them) is imported."""
    for _module in matrix_modules():
        pass
    return dict(MATRIX_PLACES)


# The core's roles (declared in mofang/platform/accounts/roles.py).
for _role, _place in (
    ("province_admin", "province"),
    ("city_admin", "city"),
    ("county_admin", "county"),
    ("principal", "school"),
    ("academic", "school"),
    ("head_teacher", "klass"),
    ("psych_teacher", "school"),
    ("teacher", "school"),
    ("dept_liaison", "department"),
    ("parent", "school"),
):
    register_matrix_place(_role, _place)
