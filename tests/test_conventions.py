"""Conventions enforced by a test, not by review (STYLE.md)."""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent / "mofang"
# Host names assembled from parts, so this file is not itself reported as referencing a CDN.
CDN = re.compile(
    "|".join(
        [
            "cdn" + r"\.",
            "unpkg" + r"\.com",
            "jsd" + "elivr",
            "google" + r"apis\.com",
            "boot" + "cdn",
            "staticfile" + r"\.org",
        ]
    ),
    re.I,
)


def _view_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if path.name == "views.py" or "views" in parts[:-1] or (path.parent.name == "api" and path.name == "views.py"):
            yield path


def _unscoped_managers(paths):
    """(file, line, "Model.objects.X") for every Model.objects.X other than .visible_to itself."""
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "objects"
                and node.attr not in {"visible_to", "get_ancestors"}
            ):
                yield str(path.relative_to(ROOT.parent)), node.lineno, f"{ast.unparse(node.value)}.{node.attr}"


def test_views_never_use_an_unscoped_manager():
    """A view reaches rows only through visible_to()/get_visible_or_404(), never Model.objects.X
    directly — except .visible_to( itself."""
    offenders = [f"{f}:{line} {use}" for f, line, use in _unscoped_managers(_view_files())]
    assert not offenders, "unscoped manager in a view:\n" + "\n".join(offenders)


# The other files that put rows in front of a user: API endpoints, menu badges and to-do counts,
# cockpit counters and figures, dashboards (NetBox's leaks were in exactly such places: counts,
# exports, template tags).
MODULE_FILES = {"api.py", "menu.py", "counters.py", "figures.py", "dashboard.py"}

# (file, "Model.objects.X") → why it may read without a user's scope.
UNSCOPED_ALLOWED = {
    (
        "mofang/data/cockpit/figures.py",
        "FactRefresh.objects.aggregate",
    ): "the newest refresh time of any fact, only a cache key's version stamp: no row is shown"
}


def _module_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if path.name in MODULE_FILES and "tests" not in parts and "migrations" not in parts:
            yield path


def test_api_menu_counter_figure_and_dashboard_files_never_use_an_unscoped_manager():
    """These reach rows only through visible_to(), the scope layer's selectors or a registered
    counter's scoped queryset — never a bare Model.objects.X, unless allowed above with a reason."""
    found = list(_unscoped_managers(_module_files()))
    offenders = [f"{f}:{line} {use}" for f, line, use in found if (f, use) not in UNSCOPED_ALLOWED]
    assert not offenders, "unscoped manager (use visible_to / a selector taking the user):\n" + "\n".join(offenders)
    stale = set(UNSCOPED_ALLOWED) - {(f, use) for f, _line, use in found}
    assert not stale, f"allowed but no longer there, remove from UNSCOPED_ALLOWED: {sorted(stale)}"


def test_no_asset_comes_from_a_cdn():
    offenders = [
        str(p.relative_to(ROOT.parent))
        for p in ROOT.rglob("*")
        if p.suffix in {".html", ".py", ".js", ".css"} and CDN.search(p.read_text(encoding="utf-8", errors="ignore"))
    ]
    assert not offenders, offenders


def test_templates_are_chinese():
    """Every full page template says something in Chinese (no English-only page slips in)."""
    han = re.compile(r"[\u4e00-\u9fff]")
    offenders = [
        str(p.relative_to(ROOT.parent))
        for p in ROOT.rglob("templates/**/*.html")
        if not han.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


def test_every_model_says_what_it_is_in_the_domain():
    from django.apps import apps

    missing = [
        f"{m._meta.label}"
        for m in apps.get_models()
        if m.__module__.startswith("mofang.") and (not m.__doc__ or m.__doc__.startswith(f"{m.__name__}("))
    ]
    assert not missing, missing


AUDIT_WRITERS = {"create", "bulk_create", "get_or_create", "update_or_create"}


def test_views_write_no_audit_row_themselves():
    """Audit rows are written by services (accounts.services, imports.exports.export_xlsx/record_export,
    each module's services), never by a view: no view module imports audit.services or creates an
    AuditEntry. The generic list view (web/lists.py) counts as a view."""
    offenders = []
    for path in [*_view_files(), ROOT / "platform" / "web" / "lists.py"]:
        where = path.relative_to(ROOT.parent)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {a.name for a in node.names}
                if node.module.endswith("audit.services") or (node.module.endswith("audit") and "services" in names):
                    offenders.append(f"{where}:{node.lineno} imports audit.services")
            elif isinstance(node, ast.Import) and any(a.name.endswith("audit.services") for a in node.names):
                offenders.append(f"{where}:{node.lineno} imports audit.services")
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id == "AuditEntry":
                    offenders.append(f"{where}:{node.lineno} AuditEntry(...)")
                elif (
                    isinstance(func, ast.Attribute)
                    and func.attr in AUDIT_WRITERS
                    and isinstance(func.value, ast.Attribute)
                    and isinstance(func.value.value, ast.Name)
                    and func.value.value.id == "AuditEntry"
                ):
                    offenders.append(f"{where}:{node.lineno} AuditEntry.{func.value.attr}.{func.attr}")
    assert not offenders, "a view writes audit rows itself (call a service):\n" + "\n".join(offenders)


REFUSALS = {"ValidationError", "_refuse", "_field_error", "add_error", "_bad", "Refusal"}
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_validation_messages_go_through_gettext():
    """A refusal's Chinese message is written gettext("…") (placeholders filled with .format), as the
    models' labels are, never a bare literal or f-string: one catalogue holds every message."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name not in REFUSALS:
                continue
            args = [*node.args, *(k.value for k in node.keywords)]
            values = [v for a in args for v in (a.values if isinstance(a, ast.Dict) else [a])]
            for v in values:
                text = (
                    v.value
                    if isinstance(v, ast.Constant) and isinstance(v.value, str)
                    else "".join(c.value for c in v.values if isinstance(c, ast.Constant))
                    if isinstance(v, ast.JoinedStr)
                    else ""
                )
                if HAN.search(str(text)):
                    offenders.append(f"{path.relative_to(ROOT.parent)}:{v.lineno} {name}(…{str(text)[:30]}…)")
    assert not offenders, "wrap validation messages in gettext():\n" + "\n".join(offenders)


NAIVE_NOW = re.compile(r"\b(?:date|datetime)\.(?:today|now)\(\s*\)")


def test_today_is_the_bureaus_date_not_the_servers():
    """`date.today` and `datetime.now` (called bare) are the server's clock in its own zone (UTC on these
    machines): from 16:00 UTC they are already yesterday in Zhejiang, so a form refused "tomorrow"
    and a list ended "today" one day off. Code and tests use timezone.localdate() / localtime()."""
    found = [
        f"{path.relative_to(ROOT.parent)}:{n}: {line.strip()}"
        for base in (ROOT, ROOT.parent / "tests")
        for path in base.rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NAIVE_NOW.search(line)
    ]
    assert not found, "use django.utils.timezone.localdate() / localtime():\n" + "\n".join(found)
