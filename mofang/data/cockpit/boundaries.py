"""The cockpit's map payload: which boundaries a region's map draws, and how.

The outlines are the platform's (mofang.platform.orgs.boundaries: 浙江's cities, and each city's
counties under today's GB/T 2260 codes). A province or city is drawn as a choropleth of its
children; a county as its own outline with its schools as points in ECharts' geo coordinate
system; a school as its county's outline with the school on it. Regions without a shipped
outline (another province) fall back to a tile map of the children.
"""

import math

from mofang.platform.orgs import boundaries as shipped
from mofang.platform.orgs.models import OrgKind


def _code6(org) -> str:
    return (org.code or "").ljust(6, "0")[:6]


def region_map(region, children) -> dict | None:
    """GeoJSON of `region`'s children when a boundary file covers it, each feature named after the
    child it matches (joined by GB/T 2260 code, 6 digits or the 4-digit prefix, else by name);
    None when there is no file (the page then draws a tile map)."""
    data = shipped.load(_code6(region)) if region.code else None
    if data is None:
        return None
    by_code, by_name = {}, {}
    for c in children:
        if c.code:
            by_code[_code6(c)] = c
        by_name[c.name] = c
    features = []
    for f in data["features"]:
        child = by_code.get(str(f["properties"]["code"])) or by_name.get(f["properties"]["name"])
        if child is None:
            continue  # a region outside the user's scope is not drawn at all
        features.append({**f, "properties": {**f["properties"], "name": child.name, "org_id": child.pk}})
    return _collection(features)


def _collection(features: list[dict]) -> dict:
    """A FeatureCollection; `approx` names the regions whose outline is an approximation (the legend says so)."""
    approx = [f["properties"]["name"] for f in features if f["properties"].get("approx")]
    return {"type": "FeatureCollection", "features": features, "approx": approx}


def outline(org) -> dict | None:
    """The one-feature GeoJSON of a county (or a city) by its code, named after the org; None if none."""
    f = shipped.feature(_code6(org)) if org.code else None
    if f is None:
        return None
    return _collection([{**f, "properties": {**f["properties"], "name": org.name}}])


def map_payload(region, children, county=None) -> tuple[str, dict | None]:
    """(mode, geo) of the region's map: "geo" (choropleth of the children), "points" (a county's
    schools on its outline), "point" (a school on its county's outline) or "tiles" (no outline)."""
    if region.kind == OrgKind.SCHOOL:
        return "point", outline(county) if county is not None else None
    if region.kind == OrgKind.COUNTY:
        return "points", outline(region)
    geo = region_map(region, children) if children else None
    if geo is not None and geo["features"]:
        return "geo", geo
    return "tiles", None


def tile_layout(children) -> dict[int, tuple[int, int]]:
    """(column, row) of each child in a near-square grid, in division-code order."""
    ordered = sorted(children, key=lambda c: (c.code or "~", c.path))
    cols = max(1, math.ceil(math.sqrt(len(ordered))))
    return {c.pk: (i % cols, i // cols) for i, c in enumerate(ordered)}
