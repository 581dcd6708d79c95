"""Administrative boundaries shipped with the platform (no online tiles, no CDN).

`boundaries/330000.json`: the 11 cities of 浙江 (GeoJSON, simplified; source and licence in
boundaries/README.md). There is no county boundary file yet: a city's counties are drawn as a
tile map (tiles laid out in a near-square grid in division-code order), a county's schools as
points at their coordinates.
"""

import json
from functools import lru_cache
from pathlib import Path

DIR = Path(__file__).resolve().parent / "boundaries"


@lru_cache(maxsize=8)
def _load(code: str) -> dict | None:
    path = DIR / f"{code}.json"
    if not code.isdigit() or not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def region_map(region, children) -> dict | None:
    """GeoJSON of `region`'s children when a boundary file covers it, each feature named after the
    child it matches (joined by GB/T 2260 code, 6 digits or the 4-digit prefix, else by name);
    None when there is no file (the page then draws a tile map)."""
    data = _load(region.code or "")
    if data is None:
        return None
    by_code, by_name = {}, {}
    for c in children:
        if c.code:
            by_code[c.code.ljust(6, "0")[:6]] = c
        by_name[c.name] = c
    features = []
    for f in data["features"]:
        child = by_code.get(str(f["properties"]["code"])) or by_name.get(f["properties"]["name"])
        if child is None:
            continue  # a region outside the user's scope is not drawn at all
        features.append({**f, "properties": {**f["properties"], "name": child.name, "org_id": child.pk}})
    return {"type": "FeatureCollection", "features": features}


def tile_layout(children) -> dict[int, tuple[int, int]]:
    """(column, row) of each child in a near-square grid, in division-code order."""
    import math

    ordered = sorted(children, key=lambda c: (c.code or "~", c.path))
    cols = max(1, math.ceil(math.sqrt(len(ordered))))
    return {c.pk: (i % cols, i // cols) for i, c in enumerate(ordered)}
