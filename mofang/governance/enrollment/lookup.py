"""The public look-up (入学早知道, no login): what the pages read, as plain cached dicts.

Only public facts leave this module: school names and addresses, 学区 communities, planned
seats, the warning levels and their aggregate counts, 分流. Household children are only ever
counted (in services.compute_warnings), never listed.

Every answer is cached under the current cache version; any change through the services bumps
the version (services.invalidate_public_cache), so a change is visible on the next request.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Prefetch, Q

from .models import Community, EnrollmentSchool, IntakePlan, IntakeWarning, Level, Stage
from .services import cache_version, intake_years, name_initials, stages_of

CACHE_SECONDS = 600
MAX_RESULTS = 30
LEVEL_CLASS = {
    Level.GREEN: "ok",
    Level.YELLOW: "warning",
    Level.ORANGE: "orange",
    Level.RED: "danger",
    Level.UNKNOWN: "muted",
}


def _cached(kind: str, arg: str, compute):
    digest = hashlib.sha1(arg.encode("utf-8")).hexdigest()[:20]
    key = f"enrollment:public:{cache_version()}:{kind}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _school_card(profile: EnrollmentSchool) -> dict:
    s = profile.school
    return {
        "id": s.pk,
        "name": s.name,
        "type": s.get_school_type_display(),
        "ownership": s.get_ownership_display(),
        "address": s.address,
        "code": s.code,
    }


def _with_levels(profiles: list[EnrollmentSchool]) -> list[dict]:
    """School cards with the next intake's warning (primary first, else junior) read in one
    query: the result a parent looks for first, shown in its colour."""
    year = intake_years()[0]
    warnings: dict[int, IntakeWarning] = {}
    for w in IntakeWarning.objects.filter(school__in=[p.school_id for p in profiles], year=year).order_by("stage"):
        if w.school_id not in warnings or w.stage == Stage.PRIMARY:
            warnings[w.school_id] = w
    cards = []
    for p in profiles:
        card, found = _school_card(p), warnings.get(p.school_id)
        level = found.level if found is not None else Level.UNKNOWN
        card.update(
            year=year,
            level=level,
            level_label=str(Level(level).label),
            stage_label=str(Stage(found.stage).label) if found is not None else "",
            ratio=str(found.ratio) if found is not None and found.ratio is not None else None,
            seats=found.seats if found is not None else None,
            applicants=found.applicants if found is not None else None,
        )
        cards.append(card)
    return cards


def _matching(q: str):
    """Profiles whose name contains `q` or whose pinyin initials contain it ("hzxx"), the
    initials' prefix matches first."""
    profiles = EnrollmentSchool.objects.select_related("school").order_by("school__name")
    letters = name_initials(q) if q.isascii() else ""
    if not letters:
        return list(profiles.filter(school__name__icontains=q)[:MAX_RESULTS])
    # names that start with the letters first (the indexed prefix match), then any that contain them
    found = list(profiles.filter(initials__startswith=letters)[:MAX_RESULTS])
    seen = {p.pk for p in found}
    found += [p for p in profiles.filter(initials__contains=letters)[:MAX_RESULTS] if p.pk not in seen]
    return found[:MAX_RESULTS]


def search_schools(q: str) -> list[dict]:
    """Schools whose name contains `q`, or whose pinyin initials contain it ("hzxx"), each with
    the next intake's warning level."""
    q = (q or "").strip()[:30]
    if not q:
        return []
    return _cached("search", q.lower(), lambda: _with_levels(_matching(q)))


LIST_PAGE = 20


def school_list(q: str = "", page: int = 1) -> dict:
    """The public school list (学校列表): every school with a profile, by name, LIST_PAGE a page,
    or those matching `q`; each card with the next intake's warning."""
    q = (q or "").strip()[:30]
    page = max(1, page)

    def compute():
        if q:
            profiles, total = _matching(q), None
        else:
            qs = EnrollmentSchool.objects.select_related("school").order_by("school__name", "pk")
            total = qs.count()
            profiles = list(qs[(page - 1) * LIST_PAGE : page * LIST_PAGE])
        total = len(profiles) if total is None else total
        return {
            "schools": _with_levels(profiles),
            "total": total,
            "page": page,
            "pages": max(1, -(-total // LIST_PAGE)) if not q else 1,
        }

    return _cached("list", f"{q.lower()}|{page}", compute)


def _coord(value) -> float | None:
    return float(value) if value is not None else None


def school_page(school_id: int) -> dict | None:
    """Everything the public school page shows, or None when the school has no profile."""

    def compute():
        profile = (
            EnrollmentSchool.objects.select_related("school", "overflow_school").filter(school_id=school_id).first()
        )
        if profile is None:
            return {}
        school = profile.school
        years = intake_years()
        stages = [s for s in Stage.values if s in stages_of(school)]
        districts = {}
        for stage in Stage.values:
            field = "primary_schools" if stage == Stage.PRIMARY else "junior_schools"
            rows = Community.objects.filter(**{field: school}).order_by("name")
            districts[stage] = [
                {"name": c.name, "keywords": c.address_keywords, "lng": _coord(c.longitude), "lat": _coord(c.latitude)}
                for c in rows
            ]
            if districts[stage] and stage not in stages:
                stages.append(stage)
        plans = {(p.stage, p.year): p for p in IntakePlan.objects.filter(school=school, year__in=years)}
        warnings = {(w.stage, w.year): w for w in IntakeWarning.objects.filter(school=school, year__in=years)}
        blocks = []
        for stage in stages:
            rows = []
            for y in years:
                plan, w = plans.get((stage, y)), warnings.get((stage, y))
                level = w.level if w is not None else Level.UNKNOWN
                rows.append(
                    {
                        "year": y,
                        "classes": plan.classes if plan else None,
                        "class_size": plan.class_size if plan else None,
                        "seats": plan.seats if plan else None,
                        "applicants": w.applicants if w is not None else None,
                        "ratio": str(w.ratio) if w is not None and w.ratio is not None else None,
                        "level": level,
                        "level_label": str(Level(level).label),
                        "level_class": LEVEL_CLASS[level],
                    }
                )
            blocks.append(
                {"stage": stage, "label": str(Stage(stage).label), "years": rows, "communities": districts[stage]}
            )
        overflow = None
        if profile.overflow_school is not None:
            overflow = {"id": profile.overflow_school_id, "name": profile.overflow_school.name}
        return {
            "school": _school_card(profile),
            "lng": _coord(school.longitude),
            "lat": _coord(school.latitude),
            "blocks": blocks,
            "overflow": overflow,
            "overflow_note": profile.overflow_note,
        }

    return _cached("school", str(int(school_id)), compute) or None


def search_address(q: str) -> list[dict]:
    """Communities whose name or address keywords contain `q`, with their 学区 schools per stage."""
    q = (q or "").strip()[:50]
    if not q:
        return []

    def compute():
        words = q.split()
        cond = Q()
        for w in words:
            cond &= Q(name__icontains=w) | Q(address_keywords__icontains=w)
        schools = Prefetch("primary_schools"), Prefetch("junior_schools")
        rows = (
            Community.objects.filter(cond)
            .select_related("county")
            .prefetch_related(*schools)
            .order_by("county__path", "name")[:MAX_RESULTS]
        )
        return [
            {
                "name": c.name,
                "county": c.county.name,
                "keywords": c.address_keywords,
                "primary": [
                    {"id": s.pk, "name": s.name} for s in sorted(c.primary_schools.all(), key=lambda s: s.name)
                ],
                "junior": [{"id": s.pk, "name": s.name} for s in sorted(c.junior_schools.all(), key=lambda s: s.name)],
            }
            for c in rows
        ]

    return _cached("address", q.lower(), compute)
