"""Case attachments on the shared store (issue 13): an attachment stored by one web instance (its
own data folder) downloads on another, through the case's scope, from the S3-compatible store
(moto's standalone server over HTTP); a file gone from the store is a 404, not a 500."""

from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.cases import services
from mofang.platform.files_testing import client, files_under, keys

from .test_pages import PNG, _client


def test_an_attachment_stored_on_one_instance_downloads_on_another_in_scope_only(report, world, s3, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "instance-b"
    case = report()
    att = services.attach(case, SimpleUploadedFile("现场.png", PNG), acting_user=world.principal)
    assert keys(s3, "cases/") == [att.file.name]

    settings.MEDIA_ROOT = tmp_path / "instance-a"
    r = _client(world.liaison).get(f"/cases/attachments/{att.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PNG
    assert "attachment" in r["Content-Disposition"]
    assert _client(world.other_liaison).get(f"/cases/attachments/{att.pk}/").status_code == 404
    assert files_under(tmp_path) == []  # on no instance's disk

    client(s3).delete_object(Bucket=s3["MOFANG_S3_BUCKET"], Key=att.file.name)
    assert _client(world.liaison).get(f"/cases/attachments/{att.pk}/").status_code == 404
