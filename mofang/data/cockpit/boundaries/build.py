"""Build the shipped boundary file from ECharts 4.9.0's compressed Zhejiang map (run by hand).

    npm pack echarts@4.9.0 && tar xzf echarts-4.9.0.tgz package/map/json/province/zhejiang.json
    python mofang/data/cockpit/boundaries/build.py package/map/json/province/zhejiang.json

Decodes ECharts' "UTF8Encoding" polygons (zig-zag delta coding, scale 1024), simplifies each ring
(Douglas–Peucker), drops islets too small to see on a province map and writes plain GeoJSON keyed
by the GB/T 2260 code (feature id, properties.code) and the city name.
"""

import json
import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[3] / "platform" / "orgs" / "static" / "orgs" / "boundaries" / "330000.json"
TOLERANCE = 0.004  # degrees (~400 m): a whole-province map is ~600 px across
MIN_AREA = 0.0008  # square degrees: smaller islets are dropped (the largest ring of a city is always kept)


def decode_ring(encoded: str, offset, scale: float = 1024) -> list[list[float]]:
    out, px, py = [], offset[0], offset[1]
    for i in range(0, len(encoded), 2):
        x, y = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x, y = (x >> 1) ^ (-(x & 1)), (y >> 1) ^ (-(y & 1))
        px, py = px + x, py + y
        out.append([px / scale, py / scale])
    return out


def _dist(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - x1 - t * dx, y - y1 - t * dy)


def simplify(points, tol: float):
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        best, idx = 0.0, -1
        for i in range(lo + 1, hi):
            d = _dist(points[i], points[lo], points[hi])
            if d > best:
                best, idx = d, i
        if best > tol:
            keep[idx] = True
            stack += [(lo, idx), (idx, hi)]
    return [p for p, k in zip(points, keep) if k]


def area(ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def polygons(geometry) -> list[list[list[list[float]]]]:
    coords, offsets = geometry["coordinates"], geometry["encodeOffsets"]
    if geometry["type"] == "Polygon":
        return [[decode_ring(r, o) for r, o in zip(coords, offsets)]]
    return [[decode_ring(r, o) for r, o in zip(poly, offs)] for poly, offs in zip(coords, offsets)]


def build(source: Path) -> dict:
    raw = json.loads(source.read_text(encoding="utf-8"))
    features = []
    for f in raw["features"]:
        polys = polygons(f["geometry"])
        biggest = max(area(p[0]) for p in polys)
        kept = []
        for poly in polys:
            if area(poly[0]) < MIN_AREA and area(poly[0]) < biggest:
                continue
            rings = [[[round(x, 4), round(y, 4)] for x, y in simplify(r, TOLERANCE)] for r in poly]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                kept.append(rings)
        geometry = (
            {"type": "Polygon", "coordinates": kept[0]}
            if len(kept) == 1
            else {"type": "MultiPolygon", "coordinates": kept}
        )
        features.append(
            {
                "type": "Feature",
                "id": f["id"],
                "properties": {"code": f["id"], "name": f["properties"]["name"], "cp": f["properties"].get("cp")},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    data = build(Path(sys.argv[1]))
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT}: {len(data['features'])} features, {OUT.stat().st_size} bytes")
