"""The workbench shell (工作台): a user's apps grouped by business, the grouped menu, the phone tab
bar and the watermark of pages with personal data.

An app is a module (its MenuEntry.module) with the pages of it the user may open; its entry page is
the first of them. Everything is derived from the menu registry, so a module registers once and
its pages appear in the menu, as a home tile and in 应用 alike.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from mofang.platform.accounts.scope import has_perm

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


def may_see(user, permission) -> bool:
    perms = permission() if callable(permission) else permission
    if not perms:
        return perms is None  # no permission named: everyone; an empty tuple: nobody
    if isinstance(perms, str):
        perms = (perms,)
    return any(has_perm(user, p) for p in perms)


def visible_entries(user) -> list[MenuEntry]:
    """The menu entries the user may see, in menu order (cached on the user for the request)."""
    cache = user.__dict__.setdefault("_mofang_shell", {})
    if "entries" not in cache:
        order = list(BUSINESSES)
        cache["entries"] = [
            e
            for e in sorted(MENU, key=lambda e: (order.index(e.business), e.order, e.label))
            if may_see(user, e.permission)
        ]
    return cache["entries"]


def workbench(user) -> list[Business]:
    """Business → app → pages, only what the user may open; personal pages are left to 我的."""
    groups: dict[str, Business] = {}
    apps: dict[tuple[str, str], App] = {}
    for e in visible_entries(user):
        if e.personal:
            continue
        business = groups.setdefault(e.business, Business(e.business, BUSINESSES[e.business]))
        app = apps.get((e.business, e.module))
        if app is None:
            app = apps[(e.business, e.module)] = App(e.business, e.module)
            business.apps.append(app)
        app.pages.append(Page(e.label, reverse(e.url_name), e.url_name))
    return list(groups.values())


def personal_pages(user) -> list[Page]:
    return [Page(e.label, reverse(e.url_name), e.url_name) for e in visible_entries(user) if e.personal]


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


def public_tabs() -> list[Page]:
    """A visitor's bottom tab bar on a phone: the public services (at most four), then 登录."""
    tabs = [Page(tab, reverse(name), name) for _label, name, _text, tab in PUBLIC_LINKS[:4]]
    return [*tabs, Page("登录", reverse("accounts:login"), "accounts:login")]
