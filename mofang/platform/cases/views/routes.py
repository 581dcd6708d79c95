"""The routing table page (分派规则), one for every module's table: the counties a user keeps, and a
county's table — each category's unit and where it comes from — with the form that sets a rule
and a button that deletes one.

A module mounts these views under its own addresses with `urlpatterns_for(table_code)`, so its
menu entry and links keep their names (`<module>:routes`, `:routes_county`, `:routes_delete`);
the views reverse within whichever namespace they were reached through.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from mofang.platform.accounts.scope import get_visible_or_404, has_perm
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .. import routing
from ..forms import RouteRuleForm
from ..models import RouteRule


def _name(request, name: str) -> str:
    ns = request.resolver_match.namespace
    return f"{ns}:{name}" if ns else name


def _table(code: str):
    try:
        return routing.routing_table(code)
    except KeyError:
        raise Http404("页面不存在或您没有权限") from None


@login_required
def index(request, table: str):
    """The counties whose table this user keeps (straight to it when there is one)."""
    t = _table(table)
    if not has_perm(request.user, t.permission):
        raise Http404("页面不存在或您没有权限")
    counties = list(OrgUnit.objects.visible_to(request.user, t.permission).filter(kind=OrgKind.COUNTY))
    if len(counties) == 1:
        return redirect(_name(request, "routes_county"), counties[0].pk)
    return render(
        request,
        "cases/routes_index.html",
        {"page_title": t.title, "table": t, "counties": counties, "county_url": _name(request, "routes_county")},
    )


def _page(request, t, county, form=None, status=200):
    rules = routing.rules_of(t, county, RouteRule.objects.visible_to(request.user, t.permission))
    departments = routing.departments_of(county)
    queue = t.in_county_queue.format(county=county.name)
    rows = []
    codes = [c for c, _ in t.county_keeps + t.categories] + ([routing.CATCH_ALL] if t.catch_all else [])
    for code in codes:
        if code == routing.CATCH_ALL:  # the catch-all's own line: its rule, else the county's queue
            rule = rules.get(code)
            unit, source = (rule.department, routing.RULE) if rule else (county, routing.QUEUE)
        else:
            unit, source = routing.resolve(t, county, code, rules, departments)
            rule = rules.get(code)
        rows.append(
            {
                "label": t.label(code),
                "unit": unit.name if unit != county or source == routing.KEPT else queue,
                "queued": unit == county and source != routing.KEPT,
                "source": routing.SOURCES[source],
                "rule": rule,
            }
        )
    form = form or RouteRuleForm(table=t, departments=departments)
    fields = [
        {"field": f, "errors": [e.removeprefix(f"{f.label}：") for e in f.errors]} for f in form
    ]  # a service's refusal already names its field: the page names it once
    return render(
        request,
        "cases/routes.html",
        {
            "page_title": f"{county.name}{t.title}",
            "table": t,
            "county": county,
            "description": t.description.format(county=county.name),
            "rows": rows,
            "form": form,
            "fields": fields,
            "departments": departments,
            "delete_url": _name(request, "routes_delete"),
        },
        status=status,
    )


@login_required
def county_table(request, table: str, pk: int):
    """GET: the table; POST: set one category's rule (the department may come in the address)."""
    t = _table(table)
    county = get_visible_or_404(OrgUnit, request.user, t.permission, pk=pk, kind=OrgKind.COUNTY)
    if request.method != "POST":
        return _page(request, t, county)
    departments = routing.departments_of(county)
    data = request.POST.copy()
    for name in ("department", "category"):
        if name not in data and request.GET.get(name):
            data[name] = request.GET[name]
    form = RouteRuleForm(data, table=t, departments=departments)
    if form.is_valid():
        d = form.cleaned_data
        try:
            rule = routing.save_rule(
                t,
                county,
                d["category"],
                next(x for x in departments if x.pk == d["department"]),
                acting_user=request.user,
                note=d["note"],
            )
        except ValidationError as exc:
            for field_name, errors in exc.message_dict.items():
                for e in errors:
                    form.add_error(field_name if field_name in form.fields else None, e)
        else:
            messages.success(request, f"已保存：{t.label(rule.category)} → {rule.department.name}")
            return redirect(_name(request, "routes_county"), county.pk)
    return _page(request, t, county, form, status=400)


@login_required
@require_POST
def delete(request, table: str, pk: int, rule_pk: int):
    t = _table(table)
    county = get_visible_or_404(OrgUnit, request.user, t.permission, pk=pk, kind=OrgKind.COUNTY)
    rule = get_visible_or_404(RouteRule, request.user, t.permission, pk=rule_pk, table=t.code, county=county)
    routing.delete_rule(rule, acting_user=request.user)
    unit = routing.responsible_for(t, county, rule.category) if rule.category else county
    now = unit.name if unit is not None and unit != county else t.in_county_queue.format(county=county.name)
    messages.success(request, f"已删除：{t.label(rule.category)} → {rule.department.name}，现交{now}")
    return redirect(_name(request, "routes_county"), county.pk)


def urlpatterns_for(table: str) -> list:
    """The table's pages under a module's own addresses: routes/, routes/<county>/ and
    routes/<county>/delete/<rule>/, named routes, routes_county and routes_delete."""
    kw = {"table": table}
    return [
        path("routes/", index, kw, name="routes"),
        path("routes/<id:pk>/", county_table, kw, name="routes_county"),
        path("routes/<id:pk>/delete/<id:rule_pk>/", delete, kw, name="routes_delete"),
    ]
