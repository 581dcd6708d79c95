"""Public 入学早知道 pages (no login): school search by name or pinyin initials, the school page
(学区, planned intake, 3-year warning, 分流, offline map) and the address → school look-up.

They read only through lookup.py, which returns public facts and is cached.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from mofang.platform.accounts.ratelimit import Limit, Rate, RateLimited, client_ip
from mofang.platform.orgs import boundaries

from .. import lookup

# 重新验证 re-runs a whole draw: a public button, limited per real client address.
DRAW_VERIFICATIONS = Limit(
    "enrollment.draw_verify.address", (Rate(10, 600, "重新验证过于频繁：同一网络10分钟内最多验证10次，请稍后再试"),)
)


def index(request):
    """One search box for schools and one for addresses; results swap in with htmx."""
    q = (request.GET.get("q") or "").strip()
    address = (request.GET.get("address") or "").strip()
    ctx = {
        "page_title": "入学早知道",
        "q": q,
        "address": address,
        "schools": lookup.search_schools(q) if q else None,
        "communities": lookup.search_address(address) if address else None,
    }
    template = "enrollment/public_index.html"
    if request.htmx and request.htmx.target in {"school-results", "address-results"}:
        template = f"{template}#{request.htmx.target}"
    return render(request, template, ctx)


def school_list(request):
    """学校列表 (no login): every school as a card with the next intake's warning colour, a search
    box (name or pinyin initials) whose results swap in with htmx, 20 a page."""
    q = (request.GET.get("q") or "").strip()
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        page = 1
    ctx = {"page_title": "学校列表 · 入学早知道", "q": q, "result": lookup.school_list(q, page)}
    template = "enrollment/public_schools.html"
    if request.htmx and request.htmx.target == "school-list":
        template = f"{template}#school-list"
    return render(request, template, ctx)


def school(request, pk: int):
    page = lookup.school_page(pk)
    if page is None:
        raise Http404("未找到该学校")
    points = (
        [{"name": page["school"]["name"], "value": [page["lng"], page["lat"]], "school": True}] if page["lat"] else []
    )
    for block in page["blocks"]:
        points += [{"name": c["name"], "value": [c["lng"], c["lat"]]} for c in block["communities"] if c["lat"]]
    return render(
        request,
        "enrollment/public_school.html",
        {
            "page_title": f"{page['school']['name']} · 入学早知道",
            "page": page,
            "points": points,
            "map_county": boundaries.county_at(page["lng"], page["lat"]) if page["lat"] else None,
        },
    )


def draws_index(request):
    """Public 电脑派位公示 index (no login): every draw whose seed is public, so anyone can note the
    seed before the run and re-verify the result after it."""
    from .. import draws

    page = Paginator(draws.public_draws(), 50).get_page(request.GET.get("page"))
    return render(request, "enrollment/public_draws.html", {"page_title": "电脑派位公示", "page": page})


def draw(request, pk: int):
    """Public 派位公示 page (no login): seed, algorithm and version, input/output hashes and a
    重新验证 button that re-runs the draw from its stored input and compares (一致/不一致)."""
    from .. import draws

    d = draws.draw(pk)
    if d is None or d.status == "draft":
        raise Http404("未找到该派位")
    problems, notice, status = None, "", 200
    if request.method == "POST" and d.input_json:
        try:
            DRAW_VERIFICATIONS.consume(client_ip(request))
        except RateLimited as exc:
            notice, status = exc.messages[0], exc.status
        else:
            problems = draws.verify_draw(d)
    return render(
        request,
        "enrollment/public_draw.html",
        {"page_title": f"{d} · 派位公示", "draw": d, "problems": problems, "notice": notice},
        status=status,
    )
