"""Administrative boundaries shipped with the platform (no online tiles, no CDN): division facts
of the org tree, like the codes in data/, so the core and every module can draw them.

static/orgs/boundaries/330000.json holds the 11 cities of 浙江; `<city code>.json` (330100.json …)
the counties of one city under today's GB/T 2260 codes. GeoJSON in longitude/latitude, feature
`id` = `properties.code` = the division code, `properties.cp` a label point inside the region.
Sources, licences and the GB/T 2260 updates: mofang/data/cockpit/boundaries/README.md. Pages fetch
the same files from /static/orgs/boundaries/ (county_map.js).
"""

import json
from functools import lru_cache
from pathlib import Path

DIR = Path(__file__).resolve().parent / "static" / "orgs" / "boundaries"
PROVINCE_CODE = "330000"


@lru_cache(maxsize=16)
def load(code: str) -> dict | None:
    """The boundary file named by a division code (province or city), or None."""
    if not code or not code.isdigit() or len(code) != 6:
        return None
    path = DIR / f"{code}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def file_code(code: str) -> str | None:
    """The file that draws the region `code` as one feature among its siblings: a city in the
    province's file, a county in its city's file."""
    code = (code or "").ljust(6, "0")[:6]
    if not code.isdigit() or code == PROVINCE_CODE:
        return None
    return PROVINCE_CODE if code.endswith("0000") or code[4:] == "00" else code[:4] + "00"


@lru_cache(maxsize=256)
def feature(code: str) -> dict | None:
    """The outline of one city or county, by its division code, or None when none is shipped."""
    data = load(file_code(code) or "")
    if data is None:
        return None
    code6 = code.ljust(6, "0")[:6]
    return next((f for f in data["features"] if str(f["properties"]["code"]) == code6), None)


def _rings(geometry) -> list[list[list[list[float]]]]:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _inside_ring(x: float, y: float, ring) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(feat: dict, lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies inside the feature (holes excluded)."""
    for poly in _rings(feat["geometry"]):
        if _inside_ring(lon, lat, poly[0]) and not any(_inside_ring(lon, lat, h) for h in poly[1:]):
            return True
    return False


def bounds(feat: dict) -> tuple[float, float, float, float]:
    xs = [p[0] for poly in _rings(feat["geometry"]) for p in poly[0]]
    ys = [p[1] for poly in _rings(feat["geometry"]) for p in poly[0]]
    return min(xs), min(ys), max(xs), max(ys)


def place_inside(feat: dict, u: float, v: float) -> tuple[float, float]:
    """A point inside the feature for two numbers in [0, 1): (u, v) scaled to its bounding box, then
    pulled towards the label point until inside (no further random draws, so a seeded generator
    that calls this stays reproducible)."""
    x0, y0, x1, y1 = bounds(feat)
    cx, cy = feat["properties"].get("cp") or ((x0 + x1) / 2, (y0 + y1) / 2)
    x, y = x0 + u * (x1 - x0), y0 + v * (y1 - y0)
    for _ in range(40):
        if contains(feat, x, y):
            return x, y
        x, y = cx + (x - cx) * 0.7, cy + (y - cy) * 0.7
    return cx, cy


def county_at(lon, lat) -> str | None:
    """The division code of the shipped county whose outline holds (lon, lat), or None: the city
    first (11 outlines), then that city's counties. No database query."""
    if lon is None or lat is None:
        return None
    x, y = float(lon), float(lat)
    province = load(PROVINCE_CODE) or {"features": []}
    for city in province["features"]:
        if not contains(city, x, y):
            continue
        for county in (load(str(city["properties"]["code"])) or {"features": []})["features"]:
            if contains(county, x, y):
                return str(county["properties"]["code"])
    # near a border the simplified city and county outlines differ slightly: try every county
    for code in sorted(f["properties"]["code"] for f in province["features"]):
        for county in (load(str(code)) or {"features": []})["features"]:
            if contains(county, x, y):
                return str(county["properties"]["code"])
    return None
