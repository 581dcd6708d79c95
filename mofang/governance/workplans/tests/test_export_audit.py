"""The plan's xlsx export writes exactly one audit row (导出), through the platform's export service."""

import pytest

from mofang.platform.audit.models import AuditEntry

from .test_views import client_for


@pytest.mark.django_db
def test_the_plan_export_writes_one_audit_row(wp):
    c = client_for(wp.city_admin)
    last = AuditEntry.objects.order_by("pk").last()
    r = c.get(f"/workplans/plans/{wp.plan.pk}/?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = AuditEntry.objects.filter(pk__gt=last.pk if last else 0)
    assert [(e.action, e.summary, e.object_id) for e in rows] == [
        ("export", f"导出工作清单：{wp.plan.name}", str(wp.plan.pk))
    ]
