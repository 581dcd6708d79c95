from mofang.platform.audit.models import AuditEntry
from mofang.platform.orgs.models import OrgUnit
from mofang.platform.testing import make_staff, make_student, make_user


def test_county_admin_renames_a_school_and_the_change_is_audited(client, tree):
    client.force_login(make_user("cs", "county_admin", tree.county))
    r = client.post(
        f"/orgs/{tree.school.pk}/edit/",
        {"name": "常山县第一实验小学", "school_type": "primary", "ownership": "public", "address": "天马街道"},
    )
    assert r.status_code == 302
    assert OrgUnit.objects.get(pk=tree.school.pk).name == "常山县第一实验小学"
    entry = AuditEntry.objects.get(action="update")
    assert entry.before["name"] == "常山县第一小学" and entry.after["name"] == "常山县第一实验小学"


def test_bad_coordinates_are_refused_naming_the_field_and_nothing_changes(client, tree):
    client.force_login(make_user("cs", "county_admin", tree.county))
    r = client.post(
        f"/orgs/{tree.school.pk}/edit/",
        {"name": "改名", "school_type": "primary", "ownership": "public", "longitude": "500"},
    )
    assert r.status_code == 400
    assert "经度：经度应在73到136之间" in r.content.decode()
    assert OrgUnit.objects.get(pk=tree.school.pk).name == "常山县第一小学"
    assert not AuditEntry.objects.exists()


def test_student_cannot_be_moved_to_a_class_of_another_school(client, tree):
    from mofang.platform.testing import add

    other_class = add(tree.other_school, "外校1班", "class")
    student = make_student(tree.school, "张小明", klass=tree.klass)
    client.force_login(make_user("prov_city", "county_admin", tree.county))
    r = client.post(f"/students/{student.pk}/edit/", {"name": "张小明", "klass": other_class.pk})
    assert r.status_code == 400 and "班级不属于该校" in r.content.decode()


def test_staff_phone_change_is_validated_and_stored_masked(client, tree):
    staff = make_staff(tree.school, "毛玉梅")
    client.force_login(make_user("p", "principal", tree.school))
    bad = client.post(f"/staff/{staff.pk}/edit/", {"position": "教师", "phone": "12345"})
    assert bad.status_code == 400 and "新手机号：手机号应为11位中国大陆手机号码" in bad.content.decode()
    ok = client.post(f"/staff/{staff.pk}/edit/", {"position": "教研组长", "phone": "13912345678"})
    assert ok.status_code == 302
    staff.refresh_from_db()
    assert staff.phone_masked == "139****5678" and staff.phone == "13912345678"
    assert "13912345678" not in str(AuditEntry.objects.get(action="update").after)
