"""Query budgets: a list costs the same number of queries for 20 rows as for 2 (no N+1).

The endpoints are found in the code, not in a hand list: every URL whose view is a
ScopedListView, every API viewset's list route (the router built from register_api), and every
page of the menu. `discover()` returns them; a new list, viewset or menu page is measured (or
fails for want of a scene) without anyone adding it here.

Each app may ship a `budgets.py` (or list its parts in PARTS, as matrix.py does) with:

    COVERS: tuple[str, ...]           # the URL names its scene fills with rows (besides the
                                      # discovered ones, any page that lists rows, e.g. a detail
                                      # page with a table: measured as a page, its URL in scene.urls)
    scene(tree, n) -> Scene           # n rows of every covered list, all visible to scene.user
    SLACK: dict[str, tuple[int, str]] # optional: name -> (extra queries allowed, the reason)
    NOT_LISTS: dict[str, str]         # optional: menu pages that list no rows -> why

tests/test_query_budgets.py builds each scene with FEW and with MANY rows (each in a
rolled-back savepoint on the same org tree), requests every covered endpoint — the page, its
htmx body and its xlsx export for a list; the list with one page covering every row for the
API — and compares the counts. The failure names the endpoint, both counts and the statements
that were repeated. A scene must also add at least MANY − FEW rows to every list's total (and
lengthen every other page), or an empty list would pass without proving anything.
"""

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mofang.platform.web.lists import ScopedListView
from mofang.platform.web.registry import MENU

FEW, MANY = 2, 20


@dataclass(frozen=True)
class ListEndpoint:
    name: str  # the URL name: "timebank:bank_list", "case-list"
    route: str  # the URL pattern, for messages
    kind: str  # list (a ScopedListView) | api (a viewset's list) | page (a menu page of another kind)


@dataclass
class Scene:
    user: object  # sees every row the scene built, on every covered endpoint not in `users`
    urls: dict[str, str] = field(default_factory=dict)  # name -> URL, where it takes arguments or a query
    users: dict[str, object] = field(default_factory=dict)  # name -> the user of a list of one's own


@dataclass
class Measure:
    url: str
    queries: list[str]  # the SQL of each query
    rows: int | None  # the list's total (page count or API count); None for a plain page
    size: int  # the length of the answer
    status: int


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, object]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x)
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name, p.callback


def _is_api_list(callback) -> bool:
    from rest_framework.viewsets import ViewSetMixin

    cls = getattr(callback, "cls", None)
    actions = getattr(callback, "actions", None) or {}
    return isinstance(cls, type) and issubclass(cls, ViewSetMixin) and actions.get("get") == "list"


def url_names() -> set[str]:
    """Every named URL (namespaced), to tell a budget naming a page that no longer exists."""
    return {name for _route, name, _callback in _walk(get_resolver())}


def endpoint(name: str, discovered: dict[str, ListEndpoint]) -> ListEndpoint:
    """A covered name as measured: discovered, or a page of another kind named by a budget."""
    return discovered.get(name) or ListEndpoint(name, name, "page")


def discover() -> list[ListEndpoint]:
    """Every scoped list page, API list and menu page, once each (by URL name)."""
    found: dict[str, ListEndpoint] = {}
    for route, name, callback in _walk(get_resolver()):
        view_class = getattr(callback, "view_class", None)
        if isinstance(view_class, type) and issubclass(view_class, ScopedListView):
            found.setdefault(name, ListEndpoint(name, route, "list"))
        elif _is_api_list(callback) and "(?P<format>" not in route:
            found.setdefault(name, ListEndpoint(name, route, "api"))
    for entry in MENU:
        if entry.url_name not in found:
            found[entry.url_name] = ListEndpoint(entry.url_name, reverse(entry.url_name), "page")
    return sorted(found.values(), key=lambda e: e.name)


def budget_modules():
    """Each app's budgets.py, or the parts it lists in PARTS (each built on its own)."""
    for config in apps.get_app_configs():
        if config.name.startswith("mofang.") and find_spec(f"{config.name}.budgets"):
            module = import_module(f"{config.name}.budgets")
            yield from getattr(module, "PARTS", [module])


def budget_id(module) -> str:
    *_, app, name = module.__name__.split(".")
    return app if name == "budgets" else f"{app}:{name.removeprefix('budgets_')}"


# --- measuring ---------------------------------------------------------------------------------


def login(client: Client, user) -> None:
    """Sign in, with a confirmed second factor where the user's roles require one."""
    client.force_login(user)
    if user.requires_second_factor:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, confirmed=True, name="budget"
        )
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()


def variants(endpoint: ListEndpoint, url: str) -> list[tuple[str, str, dict]]:
    """(label, URL, headers) of each request that must keep to the budget."""
    sep = "&" if "?" in url else "?"
    if endpoint.kind == "list":
        return [
            ("page", url, {}),
            ("htmx", url, {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-body"}),
            ("xlsx", f"{url}{sep}export=xlsx", {}),
        ]
    if endpoint.kind == "api":
        return [("api", f"{url}{sep}page_size=500", {})]
    return [("page", url, {})]


def _rows(response, kind: str) -> int | None:
    if kind == "api" and response.status_code == 200:
        return response.json().get("count")
    context = getattr(response, "context", None)
    page = context.get("page") if context is not None else None
    return page.paginator.count if page is not None and hasattr(page, "paginator") else None


def _get(client: Client, url: str, headers: dict):
    response = client.get(url, **headers)
    if response.streaming:  # a download: read it inside the measurement
        b"".join(response.streaming_content)  # type: ignore[attr-defined]  # streaming responses have it
    return response


def measure(client: Client, endpoint: ListEndpoint, url: str, label: str, headers: dict) -> Measure:
    """One request after a warm-up one (first-use caches are not the list's cost)."""
    _get(client, url, headers)
    with CaptureQueriesContext(connection) as ctx:
        response = _get(client, url, headers)
    size = len(response.getvalue()) if not response.streaming else 0
    return Measure(
        url=url,
        queries=[q["sql"] for q in ctx.captured_queries],
        rows=_rows(response, endpoint.kind) if label != "xlsx" else None,
        size=size,
        status=response.status_code,
    )


def measure_scene(module, tree, n: int, endpoints: list[ListEndpoint]) -> dict[tuple[str, str], Measure]:
    """Build the module's scene with n rows and measure every variant of its endpoints; the rows
    are rolled back afterwards, so the next scene starts from the same tree."""
    out: dict[tuple[str, str], Measure] = {}
    with transaction.atomic():
        cache.clear()  # nothing cached by one scene's user ids may answer for the next one's
        scene = module.scene(tree, n)
        clients: dict[int, Client] = {}
        for ep in endpoints:
            user = scene.users.get(ep.name, scene.user)
            if user.pk not in clients:
                clients[user.pk] = Client()
                login(clients[user.pk], user)
            url = scene.urls.get(ep.name) or reverse(ep.name)
            for label, v_url, headers in variants(ep, url):
                out[(ep.name, label)] = measure(clients[user.pk], ep, v_url, label, headers)
        transaction.set_rollback(True)
    cache.clear()
    return out


_LITERALS = [
    (re.compile(r'"s\d+_x\d+"'), '"s…"'),  # savepoint names
    (re.compile(r"'(?:[^']|'')*'"), "?"),
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "?"),
    (re.compile(r"\((?:\s*\?\s*,)+\s*\?\s*\)"), "(?, …)"),
]


def shape(sql: str) -> str:
    """The statement without its literals: the same query for another row has the same shape."""
    for pattern, repl in _LITERALS:
        sql = pattern.sub(repl, sql)
    return sql


def repeated(few: list[str], many: list[str]) -> list[str]:
    """The statements run more often with more rows, with their counts (few → many)."""
    a, b = Counter(map(shape, few)), Counter(map(shape, many))
    return [f"  {a[s]} → {b[s]}×  {s[:600]}" for s, k in b.most_common() if k > a[s]]


def compare(name: str, label: str, few: Measure, many: Measure, slack: int = 0, slack_reason: str = "") -> list[str]:
    """The broken budgets of one request, each a message naming it, both counts and the SQL."""
    problems = []
    where = f"{name} [{label}] {many.url}"
    if few.status != 200 or many.status != 200:
        return [f"{where}: HTTP {few.status} with {FEW} rows, {many.status} with {MANY} rows (expected 200)"]
    if few.rows is not None and many.rows is not None and many.rows - few.rows < MANY - FEW:
        problems.append(
            f"{where}: the scene shows {few.rows} rows with n={FEW} and {many.rows} with n={MANY}; "
            f"it must add at least {MANY - FEW} rows, or the budget proves nothing"
        )
    if few.rows is None and label == "page" and many.size <= few.size:
        problems.append(f"{where}: the page is no longer with n={MANY} than with n={FEW}: the scene shows no rows")
    if len(many.queries) > len(few.queries) + slack:
        extra = f" (slack {slack}: {slack_reason})" if slack else ""
        problems.append(
            f"{where}: {len(few.queries)} queries with {FEW} rows, {len(many.queries)} with {MANY}{extra}; repeated:\n"
            + "\n".join(repeated(few.queries, many.queries))
        )
    elif len(many.queries) < len(few.queries):
        problems.append(
            f"{where}: {len(few.queries)} queries with {FEW} rows but {len(many.queries)} with {MANY}: "
            "the count depends on the data, not only on the page"
        )
    return problems
