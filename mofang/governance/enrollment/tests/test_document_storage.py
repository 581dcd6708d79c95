"""报名材料 on the shared store (issue 13): a parent's document stored by one web instance
downloads for the school on another, from the S3-compatible store (moto's standalone server over
HTTP), still audited; a file gone from the store answers the Chinese 404 page."""

from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.files_testing import client as s3_client
from mofang.platform.files_testing import files_under, keys
from mofang.platform.testing import make_user

from .conftest import born
from .test_documents import JPG, _downloads
from .test_registration import _submit, child_id


def test_a_document_uploaded_on_one_instance_downloads_on_another(client, district, s3, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "instance-b"
    parent = parent_user_for("13911112222")
    [reg] = _submit(
        district,
        parent,
        child_id(born("primary", district.years[0])),
        documents=[SimpleUploadedFile("户口簿.jpg", JPG, content_type="image/jpeg")],
    )
    doc = reg.documents.get()
    assert keys(s3, "enrollment/") == [doc.file.name]

    settings.MEDIA_ROOT = tmp_path / "instance-a"
    client.force_login(make_user("p_cs", "principal", district.primary, full_name="第一小学校长"))
    r = client.get(f"/enrollment/documents/{doc.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == JPG
    assert _downloads(doc).count() == 1
    assert files_under(tmp_path) == []

    s3_client(s3).delete_object(Bucket=s3["MOFANG_S3_BUCKET"], Key=doc.file.name)
    r = client.get(f"/enrollment/documents/{doc.pk}/")
    assert r.status_code == 404 and "已不在存储中" in r.content.decode()
