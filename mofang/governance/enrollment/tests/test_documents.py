"""报名材料: the parent and the staff who may see a registration download its documents; every
staff download leaves an audit row; anyone else gets 404 and nothing is recorded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.governance.enrollment.models import RegistrationDocument
from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.audit.models import AuditEntry
from mofang.platform.testing import make_user

from .conftest import born
from .test_registration import _submit, child_id

JPG = b"\xff\xd8\xff\xe0" + "户口簿扫描件".encode() + b"0" * 64


@pytest.fixture
def doc(district, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    parent = parent_user_for("13911112222")
    [reg] = _submit(
        district,
        parent,
        child_id(born("primary", district.years[0])),
        documents=[SimpleUploadedFile("户口簿.jpg", JPG, content_type="image/jpeg")],
    )
    district.reg, district.parent = reg, parent
    district.doc = reg.documents.get()
    district.principal = make_user("p_cs", "principal", district.primary, full_name="第一小学校长")
    return district


def _downloads(doc):
    return AuditEntry.objects.filter(
        action="reveal", object_type="enrollment.RegistrationDocument", object_id=str(doc.pk)
    )


def test_staff_download_the_document_and_each_download_is_audited(client, doc):
    client.force_login(doc.principal)
    url = f"/enrollment/documents/{doc.doc.pk}/"
    for n in (1, 2):
        r = client.get(url)
        assert r.status_code == 200 and b"".join(r.streaming_content) == JPG
        assert r["Content-Type"] == "image/jpeg" and "attachment" in r["Content-Disposition"]
        assert _downloads(doc.doc).count() == n
    entry = _downloads(doc.doc).latest("at")
    assert entry.actor == doc.principal and "户口簿.jpg" in entry.summary and "李小明" in entry.summary
    assert entry.org == doc.primary
    client.force_login(doc.admin)  # the county bureau too
    assert client.get(url).status_code == 200 and _downloads(doc.doc).count() == 3


def test_the_parent_downloads_their_own_document_without_an_audit_row(client, doc):
    client.force_login(doc.parent)
    r = client.get(f"/enrollment/documents/{doc.doc.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == JPG
    assert not _downloads(doc.doc).exists()
    page = client.get("/enrollment/my/").content.decode()
    assert f'href="/enrollment/documents/{doc.doc.pk}/"' in page and "户口簿.jpg" in page


def test_others_get_404_and_nothing_is_recorded(client, doc):
    url = f"/enrollment/documents/{doc.doc.pk}/"
    other_school = make_user("p_js", "principal", doc.tree.other_school)
    for user in (parent_user_for("13977778888"), other_school, doc.other_admin):
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert not _downloads(doc.doc).exists()
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_registration_list_links_the_document(client, doc):
    client.force_login(doc.principal)
    page = client.get("/enrollment/manage/registrations/").content.decode()
    assert f'href="/enrollment/documents/{doc.doc.pk}/"' in page and "户口簿.jpg" in page
    assert not _downloads(doc.doc).exists()  # listing is not downloading


def test_a_document_missing_from_storage_is_a_chinese_404_not_a_500(client, doc):
    doc.doc.file.storage.delete(doc.doc.file.name)
    client.force_login(doc.principal)
    r = client.get(f"/enrollment/documents/{doc.doc.pk}/")
    assert r.status_code == 404 and "已不在存储中" in r.content.decode()
    assert not _downloads(doc.doc).exists()
    assert RegistrationDocument.objects.filter(pk=doc.doc.pk).exists()
