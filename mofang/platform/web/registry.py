"""Menu entries, home-page to-do providers and cockpit counters, filled by the core and modules in ready().

The navigation is grouped by the three core businesses (SPEC §2), plus the platform itself.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Q, QuerySet

BUSINESSES = {"management": "教育管理", "resources": "教育资源", "data": "教育数据", "platform": "平台管理"}


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
    # a page of the user's own (修改密码): reached from 我的 and the user menu, not an app tile
    personal: bool = False


MENU: list[MenuEntry] = []

# Roles that work from a phone (SPEC: 家长、教师 use 浙里办/浙政钉 on the phone): a user whose every
# membership is one of them gets the bottom tab bar (首页 / 应用 / 消息 / 我的) at phone width.
PHONE_ROLES: set[str] = set()


def register_phone_roles(*codes: str) -> None:
    PHONE_ROLES.update(codes)


def register_menu(*entries: MenuEntry) -> None:
    for e in entries:
        if e.business not in BUSINESSES:
            raise KeyError(e.business)
        MENU.append(e)


# Pages that show personal data (student, staff and guardian records, roll call, time-bank
# statements, case details, registrations …) by URL name: they carry a faint watermark with the
# viewer's name and the time (web/shell.py), as the province's government systems do.
PERSONAL_DATA_PAGES: set[str] = set()


def register_personal_data_pages(*url_names: str) -> None:
    PERSONAL_DATA_PAGES.update(url_names)


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


# Public services (no login) shown on the login page and, on a phone, in the visitor's bottom tab
# bar, e.g. 入学早知道: (label, url_name, description, tab) — tab is the short name in the tab bar
PUBLIC_LINKS: list[tuple[str, str, str, str]] = []


def register_public_link(label: str, url_name: str, description: str = "", tab: str = "") -> None:
    PUBLIC_LINKS.append((label, url_name, description, tab or label))


# Counters of open and overdue items for the cockpit (一屏掌控: 待办与逾期), registered by each
# module beside its to-do with the same queryset rule. The case engine's types are counted by
# the cockpit itself; a counter is for a module's other pending items.
@dataclass(frozen=True)
class CockpitCounter:
    code: str  # unique, e.g. "timebank.leave_pending"
    module: str  # the module's Chinese name, e.g. 教师时间银行
    label: str  # what is counted, e.g. 待审批抵假申请
    permission: str  # the row is shown to users holding it (and counted through visible_to with it)
    # (user, region OrgUnit, now) -> (open, overdue or None); must read through visible_to(user, permission)
    # and narrow with in_region(qs, region)
    count: Callable[[object, object, dt.datetime], tuple[int, int | None]]
    url_name: str = ""  # where the items are worked (reversed without arguments), optional
    order: int = 100


COCKPIT_COUNTERS: dict[str, CockpitCounter] = {}


def register_cockpit_counter(counter: CockpitCounter) -> None:
    """Register (or re-register after a reload) one counter; codes are unique."""
    COCKPIT_COUNTERS[counter.code] = counter


_QS = TypeVar("_QS", bound=QuerySet)


def in_region(qs: _QS, region) -> _QS:
    """Narrow an already scoped queryset to the rows under `region`, by the model's own scope field(s).
    A scope field through a to-many relation may repeat a row: count such querysets with distinct()."""
    fields = qs.model.scope_org_field
    fields = fields if isinstance(fields, tuple) else (fields,)
    q = Q()
    for f in fields:
        q |= Q(**{(f"{f}__path__startswith" if f else "path__startswith"): region.path})
    return qs.filter(q)
