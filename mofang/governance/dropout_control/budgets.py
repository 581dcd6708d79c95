"""Query budgets of 控辍保学's pages (see mofang/platform/budgets.py): the counts per county (n
counties with a register each, seen by the city) and a county's lists (n children with no roll
record, each with its case, seen by the county)."""

from django.utils import timezone

from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.testing import add, make_id_number, make_user

from . import services
from .models import RegisterBatch, RegisterChild

COVERS = ("dropout_control:index", "dropout_control:county")
NOT_LISTS = {"dropout_control:import": "跳转到平台的导入页面（/imports/dropout_register/），不列出记录"}


def _batch(county, names):
    batch = RegisterBatch.objects.create(
        county=county, reference_date=timezone.localdate(), filename="预算名册.csv", children=len(names)
    )
    for name in names:
        child = RegisterChild(
            batch=batch,
            county=county,
            name=name,
            sex="M",
            birth_date=timezone.localdate().replace(year=timezone.localdate().year - 10, month=3, day=1),
            hukou_region=county.code,
            residence_region=county.code,
        )
        child.set_id_number(make_id_number(f"{timezone.localdate().year - 10}0301", "M", county.code))
        child.save()
    return batch


def scene(tree, n: int) -> Scene:
    admin = make_user("budget_dropout", "county_admin", tree.county)
    city = make_user("budget_dropout_city", "city_admin", tree.city)
    batch = _batch(tree.county, [f"预算儿童{i}" for i in range(n)])
    services.open_cases(batch, acting_user=admin)
    for i in range(n):
        county = add(tree.city, f"预算县{i}", OrgKind.COUNTY, f"3399{i:02d}")
        _batch(county, [f"预算县{i}儿童"])
    return Scene(
        user=city,
        urls={"dropout_control:county": f"/dropout_control/county/{tree.county.pk}/"},
        users={"dropout_control:county": admin},
    )
