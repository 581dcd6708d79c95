"""Menu entries and home-page to-do providers, filled by the core and modules in ready().

The navigation is grouped by the three core businesses (SPEC §2), plus the platform itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

BUSINESSES = {
    "management": "教育管理",
    "resources": "教育资源",
    "data": "教育数据",
    "platform": "平台管理",
}


@dataclass
class MenuEntry:
    business: str
    module: str  # the module's Chinese name, e.g. 教师时间银行
    label: str
    url_name: str
    # shown when the user holds it anywhere; several (any one will do) as a tuple, or a callable
    # returning them when they are only known once every module has registered (case types)
    permission: "str | tuple | Callable[[], tuple] | None" = None
    order: int = 100


MENU: list[MenuEntry] = []


def register_menu(*entries: MenuEntry) -> None:
    for e in entries:
        if e.business not in BUSINESSES:
            raise KeyError(e.business)
        MENU.append(e)


@dataclass
class TodoItem:
    title: str
    count: int
    url: str
    level: str = "info"  # info / warning / danger


# Each provider: (request) -> list[TodoItem]; they read through the scope layer like any view.
TODO_PROVIDERS: list[Callable] = []


def register_todo(provider: Callable) -> Callable:
    TODO_PROVIDERS.append(provider)
    return provider


# Overview figures on the home page ("一屏掌控" in small): (request) -> list[TodoItem], each
# counted through the scope layer, so a figure never includes out-of-scope rows.
OVERVIEW_PROVIDERS: list[Callable] = []


def register_overview(provider: Callable) -> Callable:
    OVERVIEW_PROVIDERS.append(provider)
    return provider


# Public services (no login) shown on the login page, e.g. 入学早知道: (label, url_name, description)
PUBLIC_LINKS: list[tuple[str, str, str]] = []


def register_public_link(label: str, url_name: str, description: str = "") -> None:
    PUBLIC_LINKS.append((label, url_name, description))
