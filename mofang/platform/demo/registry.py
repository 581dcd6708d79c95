"""Modules add their demo story through builders registered in AppConfig.ready().

`mofang demo` builds the core province first (org tree, people, one user per role), then calls
every builder with the DemoContext, in registration order. The core never imports a module.

A module whose story needs a login of its own role (入学早知道's 公证员) registers a DemoLogin
here, when its demo module is imported, and creates the user in its builder with
story.add_module_login; the printed logins table and the role walk read story.all_logins().
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class DemoContext:
    rng: random.Random
    scale: float
    province: object  # OrgUnit 浙江省
    users: dict = field(default_factory=dict)  # username -> User (the demo logins)
    staff: dict = field(default_factory=dict)  # username -> Staff, for demo users who are staff
    schools: list = field(default_factory=list)  # every school OrgUnit
    log: Callable[[str], None] = print


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # Role.code
    role_name: str
    org: str
    hint: str  # what to try, for the README and the command's table


DEMO_BUILDERS: list[tuple[str, Callable[[DemoContext], None]]] = []
MODULE_LOGINS: list[DemoLogin] = []


# name -> the builders it must run after (a module whose story reads another module's demo rows)
DEMO_AFTER: dict[str, tuple[str, ...]] = {}


def register_demo(name: str, builder: Callable[[DemoContext], None], *, after: tuple[str, ...] = ()) -> None:
    """Add a module's demo builder; `after` names builders whose rows it reads (they run first
    wherever the apps are listed)."""
    DEMO_BUILDERS.append((name, builder))
    if after:
        DEMO_AFTER[name] = tuple(after)


def ordered_builders() -> list[tuple[str, Callable[[DemoContext], None]]]:
    """The builders in registration order, each moved after the builders it names in `after`
    (a name that is not registered is ignored: its module is not installed)."""
    names = {name for name, _ in DEMO_BUILDERS}
    done: list[tuple[str, Callable[[DemoContext], None]]] = []
    placed: set[str] = set()
    waiting = list(DEMO_BUILDERS)
    while waiting:
        for i, (name, _builder) in enumerate(waiting):
            if all(dep in placed or dep not in names for dep in DEMO_AFTER.get(name, ())):
                done.append(waiting.pop(i))
                placed.add(name)
                break
        else:
            cycle = ", ".join(name for name, _ in waiting)
            raise RuntimeError(f"demo builders wait for each other: {cycle}")
    return done


def register_demo_login(login: DemoLogin) -> None:
    """A module's demo login (its builder creates the user); registering twice changes nothing."""
    if all(m.username != login.username for m in MODULE_LOGINS):
        MODULE_LOGINS.append(login)
