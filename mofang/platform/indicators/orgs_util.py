"""Small org-tree helpers shared by the demo and the benchmark."""

from mofang.platform.orgs.models import OrgKind, OrgUnit

from .sources.orgs import K12


def k12_schools(root) -> list[int]:
    return list(
        OrgUnit.objects.filter(kind=OrgKind.SCHOOL, school_type__in=K12, path__startswith=root.path)
        .order_by("path")
        .values_list("pk", flat=True)
    )
