"""Look-ups shared by the people import templates: the schools and classes in the importer's scope."""

from mofang.platform.imports.base import ImportContext
from mofang.platform.orgs.models import OrgKind, OrgUnit


def schools_in_scope(ctx: ImportContext, perm: str) -> dict[str, tuple[int, str]]:
    """学校标识码 → (id, path) for the schools the user may import into."""
    return {code: (pk, path) for code, pk, path in
            OrgUnit.objects.visible_to(ctx.user, perm).filter(kind=OrgKind.SCHOOL).values_list("code", "id", "path")}


def classes_of(schools: dict[str, tuple[int, str]], ctx: ImportContext, perm: str) -> dict[tuple[int, str], int]:
    """(school id, class name) → class id, for every class under those schools, in one query."""
    school_at = {path: pk for pk, path in schools.values()}
    step = OrgUnit.steplen
    classes = {}
    for path, name, pk in (OrgUnit.objects.visible_to(ctx.user, perm).filter(kind=OrgKind.CLASS)
                           .values_list("path", "name", "id")):
        for end in range(step, len(path), step):
            school_id = school_at.get(path[:end])
            if school_id is not None:
                classes[(school_id, name)] = pk
                break
    return classes
