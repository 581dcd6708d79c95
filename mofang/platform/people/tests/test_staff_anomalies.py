"""Staff import sanity checks (issue 13): every row may be valid while the file as a whole is not
plausible — one ID number under several 工号, hundreds of staff put into one school, a number
already registered under another 工号. Such a file writes nothing and asks: the job page lists
what looks wrong and offers 确认导入 to the person who uploaded it, which writes the same file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.audit.models import AuditEntry
from mofang.platform.jobs.models import Job
from mofang.platform.people import identity
from mofang.platform.people.importers import StaffImporter
from mofang.platform.people.models import Staff
from mofang.platform.testing import make_id_number, make_staff, make_user

HEADER = ["工号", "姓名", "性别", "身份证号", "手机号", "单位代码", "岗位", "任教学科"]


def staff(no, idn, org="3308220001"):
    return [no, "毛玉梅", "女", idn, "13800000001", org, "教师", "语文"]


def csv_bytes(rows) -> bytes:
    return "\n".join(",".join(r) for r in [HEADER, *rows]).encode()


@pytest.fixture
def post(client, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def send(data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/imports/staff/", data)

    return send


@pytest.fixture
def admin(client, tree):
    user = make_user("county_cs", "county_admin", tree.county, full_name="常山县管理员")
    client.force_login(user)
    return user


def test_one_id_number_under_several_staff_numbers_asks_and_confirming_writes_the_file(
    client, tree, admin, post, settings
):
    shared = make_id_number("19850312", "F")
    rows = [
        staff("T001", shared),
        staff("T002", shared),
        staff("T003", shared),
        staff("T004", make_id_number("19850312", "F")),
    ]
    r = post({"file": SimpleUploadedFile("教职工.csv", csv_bytes(rows))})
    job = Job.objects.get()
    assert job.status == "failed" and job.result["needs_confirmation"]
    assert Staff.objects.count() == 0  # nothing written
    page = client.get(r["Location"]).content.decode()
    masked = identity.mask_id_number(shared)
    assert f"1个身份证号在本文件中对应多个工号（{masked}：T001、T002、T003）" in page
    assert "需要确认：发现1项异常，未写入任何数据" in page and 'id="import-confirm"' in page
    assert (settings.MEDIA_ROOT / job.params["file"]).is_file()  # kept for the confirmed run

    r = post({"confirm_job": job.pk})
    assert r.status_code == 302
    confirmed = Job.objects.exclude(pk=job.pk).get()
    assert confirmed.status == "succeeded", confirmed.log
    assert Staff.objects.count() == 4
    assert not (settings.MEDIA_ROOT / job.params["file"]).exists()
    assert AuditEntry.objects.filter(summary__startswith="确认导入：").count() == 1
    assert "已确认导入" in client.get(f"/jobs/{job.pk}/").content.decode()
    # once only
    r = post({"confirm_job": job.pk})
    assert r.status_code == 400 and "该导入不需要确认，或已经确认过" in r.content.decode()
    assert Job.objects.count() == 2


def test_too_many_staff_for_one_school_asks_and_only_the_uploader_may_confirm(client, tree, admin, post, monkeypatch):
    monkeypatch.setattr(StaffImporter, "max_per_org", 2)
    post(
        {
            "file": SimpleUploadedFile(
                "教职工.csv", csv_bytes([staff(f"T{i}", make_id_number("19850312", "F")) for i in range(3)])
            )
        }
    )
    job = Job.objects.get()
    assert job.result["warnings"] == [f"单位“{tree.school.name}”在本文件中有3名教职工，超过常见规模（2名）"]
    assert Staff.objects.count() == 0

    colleague = make_user("county_cs2", "county_admin", tree.county)
    client.force_login(colleague)
    assert 'id="import-confirm"' not in client.get(f"/jobs/{job.pk}/").content.decode()
    r = post({"confirm_job": job.pk})
    assert r.status_code == 400 and Staff.objects.count() == 0
    r = post({"confirm_job": "x"})
    assert r.status_code == 400


def test_an_id_number_already_registered_under_another_staff_number_asks(client, tree, admin, post):
    existing = make_staff(tree.school, "毛玉梅")
    idn = make_id_number("19850312", "F")
    existing.set_id_number(idn)
    existing.save()
    post({"file": SimpleUploadedFile("教职工.csv", csv_bytes([staff("T9001", idn)]))})
    job = Job.objects.get()
    assert job.result["warnings"] == [
        f"1个身份证号已以其他工号登记（{identity.mask_id_number(idn)}（本文件工号T9001））"
    ]
    # the same person under the same 工号 is an update, not an anomaly
    post({"file": SimpleUploadedFile("教职工.csv", csv_bytes([staff(existing.staff_no, idn)]))})
    assert Job.objects.latest("pk").status == "succeeded"


def test_a_plausible_file_imports_at_once(tree, admin, post):
    post(
        {
            "file": SimpleUploadedFile(
                "教职工.csv",
                csv_bytes([staff("T1", make_id_number("19850312", "F")), staff("T2", make_id_number("19850312", "F"))]),
            )
        }
    )
    assert Job.objects.get().status == "succeeded" and Staff.objects.count() == 2
