"""Fixtures for 清单管理: 衢州市's list of this year with items led by 常山县, its school and its
police department; 江山市's own list; the users who own and report."""

import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone

from mofang.governance.workplans import services
from mofang.governance.workplans.models import PlanKind
from mofang.platform.imports.base import IMPORTERS, ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.testing import make_user


@pytest.fixture
def wp(tree):
    s = SimpleNamespace(tree=tree, year=timezone.localdate().year)
    s.city_admin = make_user("admin_qz", "city_admin", tree.city, full_name="衢州市教育局")
    s.county_admin = make_user("admin_cs", "county_admin", tree.county, full_name="常山县教育局")
    s.other_admin = make_user("admin_js", "county_admin", tree.other_county, full_name="江山市教育局")
    s.principal = make_user("xz_cs", "principal", tree.school, full_name="常山一小校长")
    s.other_principal = make_user("xz_js", "principal", tree.other_school, full_name="江山实验校长")
    s.police = make_user("police_cs", "dept_liaison", tree.department, full_name="常山公安联络员")
    s.plan = services.create_plan(
        tree.city, year=s.year, name=f"衢州市教育局{s.year}年工作要点", kind=PlanKind.POINTS, acting_user=s.city_admin
    )
    s.seats, s.safety, s.reading = services.add_items(
        s.plan,
        [
            services.ItemSpec(
                number=1,
                title="增加教育资源学位供给",
                target_text="新增学位2610个",
                lead_unit=tree.county,
                target_value=2610,
                unit="个",
            ),
            services.ItemSpec(
                number=2,
                title="切实维护校园安全稳定",
                target_text="深化平安校园建设",
                lead_unit=tree.school,
                cooperating=(tree.department,),
            ),
            services.ItemSpec(
                number=3, title="推进书香校园建设", target_text="创建书香校园", lead_unit=tree.other_school
            ),
        ],
        acting_user=s.city_admin,
    )
    s.other_plan = services.create_plan(
        tree.other_county, year=s.year, name=f"江山市{s.year}年任务清单", kind=PlanKind.TASK, acting_user=s.other_admin
    )
    services.add_items(
        s.other_plan,
        [
            services.ItemSpec(
                number=1, title="江山市校内托管全覆盖", target_text="所有小学推行校内托管", lead_unit=tree.other_county
            )
        ],
        acting_user=s.other_admin,
    )
    return s


def run_import(plan, content: bytes, user, filename: str = "清单事项.xlsx") -> dict:
    """The platform's import of a list's items, as its job runs it (without the job row)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(content)
        ctx = ImportContext(user=user, org=plan.owner, target=plan)
        return import_file(IMPORTERS["workplans_items"], str(path), filename, ctx)


def import_lines(result: dict) -> list[str]:
    """An import's errors as the lines a user reads: 第N行“列名”：原因."""
    return [
        f"第{e['row']}行" + (f"“{e['column']}”" if e["column"] else "") + f"：{e['message']}" for e in result["errors"]
    ]
