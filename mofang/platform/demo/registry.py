"""Modules add their demo story through builders registered in AppConfig.ready().

`mofang demo` builds the core province first (org tree, people, one user per role), then calls
every builder with the DemoContext, in registration order. The core never imports a module.
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


DEMO_BUILDERS: list[tuple[str, Callable[[DemoContext], None]]] = []


def register_demo(name: str, builder: Callable[[DemoContext], None]) -> None:
    DEMO_BUILDERS.append((name, builder))
