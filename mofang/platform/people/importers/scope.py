"""Look-ups shared by the people import templates: the schools and classes in the importer's scope."""

from mofang.platform.imports.base import ImportContext
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people import grades


def schools_in_scope(ctx: ImportContext, perm: str) -> dict[str, tuple[int, str]]:
    """学校标识码 → (id, path) for the schools the user may import into."""
    return {
        code: (pk, path)
        for code, pk, path in OrgUnit.objects.visible_to(ctx.user, perm)
        .filter(kind=OrgKind.SCHOOL)
        .values_list("code", "id", "path")
    }


def classes_of(schools: dict[str, tuple[int, str]], ctx: ImportContext, perm: str) -> dict[tuple[int, str], int]:
    """(school id, class name) → class id, for every class under those schools, in one query."""
    school_at = {path: pk for pk, path in schools.values()}
    step = OrgUnit.steplen
    classes = {}
    for path, name, pk in (
        OrgUnit.objects.visible_to(ctx.user, perm).filter(kind=OrgKind.CLASS).values_list("path", "name", "id")
    ):
        for end in range(step, len(path), step):
            school_id = school_at.get(path[:end])
            if school_id is not None:
                classes[(school_id, name)] = pk
                break
    return classes


def class_grades(
    schools: dict[str, tuple[int, str]], ctx: ImportContext, perm: str
) -> tuple[dict[int, str], dict[int, int]]:
    """(school id → school type, class id → the grade of the grade node it hangs under), in one
    query: what the roll import checks a row's grade (from 入学年份) against."""
    school_at = {path: pk for pk, path in schools.values()}
    step = OrgUnit.steplen
    types: dict[int, str] = {}
    grade_at: dict[str, int] = {}
    out: dict[int, int] = {}
    for pk, path, kind, name, school_type in (
        OrgUnit.objects.visible_to(ctx.user, perm)
        .filter(kind__in=[OrgKind.SCHOOL, OrgKind.GRADE, OrgKind.CLASS])
        .order_by("path")
        .values_list("id", "path", "kind", "name", "school_type")
    ):
        if kind == OrgKind.SCHOOL:
            if path in school_at:
                types[pk] = school_type
        elif kind == OrgKind.GRADE:
            school_id = school_at.get(path[:-step])
            g = grades.grade_from_name(types.get(school_id, ""), name) if school_id else None
            if g is not None:
                grade_at[path] = g
        elif path[:-step] in grade_at:
            out[pk] = grade_at[path[:-step]]
    return types, out
