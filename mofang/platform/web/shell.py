"""The workbench shell (工作台): a user's apps grouped by business, the grouped menu, the phone tab
bar and the watermark of pages with personal data.

An app is a module (its MenuEntry.module) with the pages of it the user may open; its entry page is
the first of them. Everything is derived from the menu registry, so a module registers once and
its pages appear in the menu, as a home tile and in 应用 alike.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from .registry import BUSINESSES, MENU, PERSONAL_DATA_PAGES, PHONE_ROLES, PUBLIC_LINKS, MenuEntry


@dataclass
class Page:
    label: str
    url: str
    url_name: str


@dataclass
class App:
    business: str
    name: str
    pages: list[Page] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.pages[0].url

    @property
    def glyph(self) -> str:
        """The tile's one-character mark (入 for 入学早知道), as the province's app grids do."""
        return self.name[0]


@dataclass
class Business:
    code: str
    name: str
    apps: list[App] = field(default_factory=list)


def held_permissions(user) -> frozenset[str]:
    """Every permission the user holds somewhere (an `@own`/`@assigned` form counts, as in has_perm)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(p.split("@", 1)[0] for m in user.active_memberships() for p in m.role.permissions)


def may_see(held: frozenset[str], permission) -> bool:
    perms = permission() if callable(permission) else permission
    if not perms:
        return perms is None  # no permission named: everyone; an empty tuple: nobody
    if isinstance(perms, str):
        perms = (perms,)
    return any(p in held for p in perms)


# The menu depends on nothing but the permissions a user holds (not where), so it is built once per
# permission set in each process — a few dozen sets for a whole province — with its URLs reversed.
_MENUS: dict[tuple, "Menu"] = {}
_MENUS_MAX = 1024


@dataclass
class Menu:
    entries: list[MenuEntry]
    workbench: list[Business]
    personal_pages: list[Page]
    _nav_html: str | None = None

    @property
    def nav_html(self) -> str:
        """The main menu's groups as HTML (the same for every holder of the permission set)."""
        if self._nav_html is None:
            self._nav_html = render_to_string("web/_mainnav.html", {"nav": self.workbench})
        return self._nav_html


def menu_for(user) -> Menu:
    held = held_permissions(user)
    key = (held, len(MENU), get_script_prefix(), get_urlconf())
    menu = _MENUS.get(key)
    if menu is None:
        if len(_MENUS) >= _MENUS_MAX:
            _MENUS.clear()
        menu = _MENUS[key] = _build_menu(held)
    return menu


def _build_menu(held: frozenset[str]) -> Menu:
    order = list(BUSINESSES)
    entries = [
        e
        for e in sorted(MENU, key=lambda e: (order.index(e.business), e.order, e.label))
        if may_see(held, e.permission)
    ]
    groups: dict[str, Business] = {}
    apps: dict[tuple[str, str], App] = {}
    for e in entries:
        if e.personal:
            continue
        business = groups.setdefault(e.business, Business(e.business, BUSINESSES[e.business]))
        app = apps.get((e.business, e.module))
        if app is None:
            app = apps[(e.business, e.module)] = App(e.business, e.module)
            business.apps.append(app)
        app.pages.append(Page(e.label, reverse(e.url_name), e.url_name))
    personal = [Page(e.label, reverse(e.url_name), e.url_name) for e in entries if e.personal]
    return Menu(entries, list(groups.values()), personal)


def visible_entries(user) -> list[MenuEntry]:
    """The menu entries the user may see, in menu order."""
    return menu_for(user).entries


def workbench(user) -> list[Business]:
    """Business → app → pages, only what the user may open; personal pages are left to 我的."""
    return menu_for(user).workbench


def personal_pages(user) -> list[Page]:
    return menu_for(user).personal_pages


def works_from_phone(user) -> bool:
    """A parent's or a teacher's account (every membership a phone role): the tab bar is theirs."""
    roles = {m.role.code for m in user.active_memberships()}
    return bool(roles) and roles <= PHONE_ROLES


def watermark_text(request) -> str:
    """The viewer's name and the time, for a page that shows personal data (empty otherwise)."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated or match.view_name not in PERSONAL_DATA_PAGES:
        return ""
    return viewer_stamp(user)


def viewer_stamp(user) -> str:
    name = str(user)  # 姓名, or the username of an account without one
    return f"{name} {timezone.localtime():%Y-%m-%d %H:%M}"


_PUBLIC_TABS: dict[tuple, list[Page]] = {}
_SHELL_URLS: dict[tuple, dict[str, str]] = {}
SHELL_URL_NAMES = {
    "home": "web:home",
    "apps": "web:apps",
    "inbox": "web:inbox",
    "me": "web:me",
    "logout": "accounts:logout",
}


def shell_urls() -> dict[str, str]:
    """The shell's own links (工作台, 应用, 消息, 我的, 退出), reversed once per process."""
    key = (get_script_prefix(), get_urlconf())
    if key not in _SHELL_URLS:
        _SHELL_URLS[key] = {k: reverse(name) for k, name in SHELL_URL_NAMES.items()}
    return _SHELL_URLS[key]


def public_tabs() -> list[Page]:
    """A visitor's bottom tab bar on a phone: the public services (at most four), then 登录."""
    key = (tuple(PUBLIC_LINKS[:4]), get_script_prefix(), get_urlconf())
    if key not in _PUBLIC_TABS:
        tabs = [Page(tab, reverse(name), name) for _label, name, _text, tab in PUBLIC_LINKS[:4]]
        _PUBLIC_TABS.clear()
        _PUBLIC_TABS[key] = [*tabs, Page("登录", reverse("accounts:login"), "accounts:login")]
    return _PUBLIC_TABS[key]
