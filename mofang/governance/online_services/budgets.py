"""Query budgets of 一网通办's lists (see mofang/platform/budgets.py)."""

from mofang.platform.budgets import Scene
from mofang.platform.testing import make_user

from . import services
from .testing import apply_for, parent_of, second_school

COVERS = ("online_services:desk", "online_services:mine", "online_services:catalogue")


def scene(tree, n: int) -> Scene:
    """n services more in the catalogue; n transfer applications of n children at the county's school (each to another school, each
    with a material), and a parent with n children and an application each (我的申请)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mofang.platform.people.models import Guardian

    from .testing import bind

    handler = make_user("budget_os", "county_admin", tree.county)
    target = second_school(tree.county, "预算转入小学", "3308229901")
    parent = None
    for k in range(n):
        p, child = parent_of(tree.school, f"bd{k}")
        if parent is None:
            parent = p
        else:
            bind(parent, child)
        apply_for(
            "transfer",
            parent,
            child,
            target_school=target,
            files={"material_0": SimpleUploadedFile("证明.pdf", b"%PDF-1.4 budget")},
        )
    assert Guardian.objects.filter(user=parent).exists()
    for k in range(n):  # the catalogue: n more services imported as data
        services.save_service(
            {
                "code": f"bd_{k}",
                "name": f"预算事项{k}",
                "applicants": ["parent"],
                "handler_kind": "school",
                "time_limit_days": 5,
                "materials": [{"name": "材料", "types": ["pdf"], "max_mb": 5, "required": False}],
            },
            acting_user=None,
        )
    return Scene(user=handler, users={"online_services:mine": parent})
