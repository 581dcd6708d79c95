"""Query budgets of 一网通办's lists (see mofang/platform/budgets.py)."""

from mofang.platform.budgets import Scene
from mofang.platform.testing import make_user

from . import bundles, services
from .testing import apply_for, parent_of, second_school

COVERS = ("online_services:desk", "online_services:mine", "online_services:catalogue")


def parent_guardianships(parent):
    from mofang.platform.people.models import Guardianship

    return Guardianship.objects.filter(guardian__user=parent).select_related("student").order_by("pk")


def scene(tree, n: int) -> Scene:
    """n services more in the catalogue; n transfer applications of n children at the county's school (each to another school, each
    with a material), and a parent with n children and an application each (我的申请), and a 一件事 each."""
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
    # 我的一件事: a bundle of two certificates, applied for for each of the n children (n bundle
    # applications with their steps on 我的申请)
    bundle, _ = bundles.save_bundle(
        {
            "code": "bd_bundle",
            "name": "预算一件事",
            "steps": [
                {"service": "roll_certificate", "answers": {"用途": "升学"}},
                {"service": "study_certificate", "after": "roll_certificate", "answers": {"用途": "其他"}},
            ],
            "held": ["身份证明", "学籍信息"],
        },
        acting_user=None,
    )
    for child in [g.student for g in parent_guardianships(parent)]:
        bundles.apply_bundle(bundle, child, acting_user=parent)
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
