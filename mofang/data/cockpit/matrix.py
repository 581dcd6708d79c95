"""教育智治一张图's rows in the permission matrix (see mofang.platform.matrix).

The cockpit shows org units and figures about them; its objects are the tree's two schools
(常山县第一小学 "inside", 江山市实验小学 "outside"), each with a coordinate so it is drawn as a
point. Pages at a school (`?region=`) name the school only when it is in scope (else 404); the
county page lists its schools in the league table; the 学校数 figure counts the schools the
user's map root covers.
"""

from decimal import Decimal

from mofang.platform.matrix import Endpoint, Target

from .roles import VIEW


def make_objects(tree) -> dict:
    out = {}
    for side, school, county in (
        ("inside", tree.school, tree.county),
        ("outside", tree.other_school, tree.other_county),
    ):
        school.longitude, school.latitude = Decimal("118.520000"), Decimal("28.900000")
        school.save(update_fields=["longitude", "latitude"])
        out[side] = {"school": school, "county": county, "name": school.name}
    return out


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, url, marker="name", **kw):
        def target(side):
            return Target(url=url(side), marker=side[marker], orgs=[side["school"]])

        return Endpoint(name=name, kind=kind, perm=VIEW, inside=target(i), outside=target(o), **kw)

    return [
        ep("一张图：区县排行榜", "list", lambda s: f"/cockpit/?region={s['county'].pk}"),
        ep("一张图：学校", "detail", lambda s: f"/cockpit/?region={s['school'].pk}"),
        ep("一张图：学校数", "count", lambda s: "/cockpit/", count_label="学校数"),
        ep("一张图大屏：区县", "list", lambda s: f"/cockpit/screen/?region={s['county'].pk}"),
        ep("一张图大屏：学校", "detail", lambda s: f"/cockpit/screen/?region={s['school'].pk}"),
        ep("一张图大屏：学校数", "count", lambda s: "/cockpit/screen/", count_label="学校数"),
        ep("一张图数据（JSON）：区县", "list", lambda s: f"/cockpit/data/?region={s['county'].pk}"),
        ep("一张图数据（JSON）：学校", "detail", lambda s: f"/cockpit/data/?region={s['school'].pk}"),
        ep("一张图数据（JSON）：学校数", "count", lambda s: "/cockpit/data/", api=True),
    ]
