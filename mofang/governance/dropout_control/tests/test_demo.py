"""The demo story: 常山县's register with children in each of the three lists and a case in 劝返."""

import pytest

from mofang.governance.dropout_control.models import ChildCase, RegisterBatch
from mofang.governance.dropout_control.selectors import match
from mofang.platform.demo.services import build_demo


@pytest.mark.django_db
def test_the_demo_has_children_in_each_list_and_a_case_in_progress(client):
    report = build_demo(scale=0.02, seed=7, log=lambda *_: None)
    batch = RegisterBatch.objects.get(county__code="330822")
    m = match(batch)
    assert m.count("no_record") == 3 and m.count("out") == 2 and m.count("transferred") == 2
    assert ChildCase.objects.filter(county=batch.county).count() == 7
    assert ChildCase.objects.filter(case__state="persuade").count() == 1
    client.force_login(report.context.users["admin_cs"])
    page = client.get(f"/dropout_control/county/{batch.county.pk}/").content.decode()
    assert "周小雨" in page and "劝返中" in page and "转出未接收（2）" in page
