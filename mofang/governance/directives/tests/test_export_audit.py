"""Downloads write their audit row through services, exactly one each: the sender's summary
(导出, the platform's export service) and an attachment (下载政令附件, directives.services)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.audit.models import AuditEntry

from .conftest import send
from .test_views import client_for

pytestmark = pytest.mark.django_db


def _new_rows(since):
    return [(e.action, e.summary, e.org) for e in AuditEntry.objects.filter(pk__gt=since).order_by("pk")]


def test_the_summary_export_writes_one_audit_row(zl):
    d = send(zl, spec="在校学生数|数字|必填")
    c = client_for(zl.admin)
    last = AuditEntry.objects.order_by("pk").last().pk
    assert c.get(f"/directives/{d.pk}/export.xlsx").status_code == 200
    assert _new_rows(last) == [("export", f"导出《{d.title}》填报汇总", zl.tree.county)]


def test_an_attachment_download_writes_one_audit_row(zl, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    leaflet = SimpleUploadedFile("告家长书.pdf", b"%PDF-1.4 leaflet", content_type="application/pdf")
    d = send(zl, kind="notice", attachments=[leaflet])
    c = client_for(zl.principal)
    last = AuditEntry.objects.order_by("pk").last().pk
    r = c.get(f"/directives/files/{d.attachments.get().pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 leaflet"
    assert _new_rows(last) == [("action", "下载政令附件“告家长书.pdf”", zl.tree.county)]
