"""An item whose target is an indicator is measured from data: the indicators core's value for the
list's region and year, with 数据截至 on the item page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from mofang.governance.workplans import services
from mofang.governance.workplans.status import Status, evaluate
from mofang.platform.indicators import catalogue
from mofang.platform.indicators.services import write_statistics

from .conftest import import_lines, run_import
from .test_views import client_for


@pytest.mark.django_db
def test_the_smart_campus_item_is_measured_for_the_city_and_year(wp):
    catalogue.ship()  # the shipped indicators again, after a transactional test's flush
    # one of 衢州市's two primary schools is rated: 智慧校园覆盖率 50%
    write_statistics(
        [("import.smart_campus_schools", wp.tree.school.pk, str(wp.year), Decimal(1))],
        acting_user=None,
        org=wp.tree.province,
    )
    item = services.add_items(
        wp.plan,
        [
            services.ItemSpec(
                number=25,
                title="改善数字教育基础环境",
                target_text="全市中小学智慧校园覆盖率达到75%",
                lead_unit=wp.tree.city,
                target_value=Decimal(75),
                baseline=Decimal(45),
                unit="%",
                indicator_code="smart_campus_coverage",
            )
        ],
        acting_user=wp.city_admin,
    )[0]
    item.refresh_from_db()
    november = evaluate(item, today=dt.date(wp.year, 11, 15))  # schedule 45 + 30 × 10/12 = 70
    assert (november.basis, november.actual, november.status) == ("measured", Decimal("50.0"), Status.BEHIND)
    assert november.as_of is not None
    assert evaluate(item, today=dt.date(wp.year, 1, 10)).status == Status.ON_TRACK  # schedule 45
    c = Client()
    c.force_login(wp.county_admin)  # the city bureau leads this item: 常山县 does not see it
    assert c.get(f"/workplans/items/{item.pk}/").status_code == 404
    page = client_for(wp.city_admin).get(f"/workplans/items/{item.pk}/").content.decode()
    assert "按数据计算（指标 smart_campus_coverage）" in page and "数据截至" in page and "50" in page


@pytest.mark.django_db
def test_an_unknown_indicator_code_is_a_bad_row(wp):
    catalogue.ship()
    from mofang.platform.imports.exports import xlsx_bytes

    row = {"序号": "30", "事项": "x", "目标任务": "y", "牵头单位": "本局", "指标代码": "no_such_indicator"}
    result = run_import(
        wp.plan, xlsx_bytes("s", services.HEADERS, [[row.get(h, "") for h in services.HEADERS]]), wp.city_admin
    )
    assert import_lines(result) == ["第2行“指标代码”：指标代码“no_such_indicator”不存在"]
