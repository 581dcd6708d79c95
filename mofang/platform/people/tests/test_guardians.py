"""Guardians: one phone is one guardian of children in several schools, each school seeing only
its own children; the class teacher or 教务 adds, changes and removes a child's guardians."""

from mofang.platform.audit.models import AuditAction, AuditEntry
from mofang.platform.imports.base import ImportContext
from mofang.platform.imports.services import import_file
from mofang.platform.people import identity
from mofang.platform.people.importers import GuardianImporter
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.testing import make_student, make_user

HEADER = ["学籍号", "家长姓名", "手机号", "关系"]
PHONE = "13911112222"


def run(path, user, org):
    return import_file(GuardianImporter(), path, "家长.csv", ImportContext(user=user, org=org))


def test_one_phone_is_one_guardian_of_two_children_in_two_schools(tree, csv_file):
    here = make_student(tree.school, "王小明", klass=tree.klass)
    there = make_student(tree.other_school, "王小红")
    academic = make_user("academic", "academic", tree.school)
    r1 = run(csv_file(HEADER, [[here.student_no, "王芳", PHONE, "母亲"]], "a.csv"), academic, tree.school)
    other_admin = make_user("js", "county_admin", tree.other_county)
    r2 = run(csv_file(HEADER, [[there.student_no, "王芳", PHONE, "母亲"]], "b.csv"), other_admin, tree.other_county)
    assert (r1["created"], r2["created"], r1["error_count"], r2["error_count"]) == (1, 1, 0, 0)
    guardian = Guardian.objects.get()
    assert guardian.phone_hash == identity.lookup_hash(PHONE) and guardian.phone_masked == "139****2222"
    assert {link.student for link in guardian.guardianships.all()} == {here, there}
    # each school sees the guardian, but only its own child
    assert Guardian.objects.visible_to(academic, "people.view_guardian").get() == guardian
    seen = Guardianship.objects.visible_to(academic, "people.view_guardian")
    assert [link.student for link in seen] == [here]
    # importing again changes nothing and counts as an update
    again = run(csv_file(HEADER, [[here.student_no, "王芳", PHONE, "母亲"]], "c.csv"), academic, tree.school)
    assert (again["created"], again["updated"]) == (0, 1) and Guardianship.objects.count() == 2


def test_bad_guardian_rows_are_each_reported_and_nothing_is_written(tree, csv_file):
    here = make_student(tree.school, "王小明", klass=tree.klass)
    there = make_student(tree.other_school, "王小红")
    academic = make_user("academic", "academic", tree.school)
    path = csv_file(
        HEADER,
        [
            [here.student_no, "王芳", PHONE, "母亲"],
            [there.student_no, "王芳", PHONE, "母亲"],  # another county's child
            ["G000000000000", "李四", "13900000002", "父亲"],  # no such student
            [here.student_no, "张三", "1390000", "父亲"],  # not a mobile number
            [here.student_no, "赵六", "13900000003", "舅舅"],  # not a relation
            [here.student_no, "王芳芳", PHONE, "母亲"],  # same phone and child as row 2
            [make_student(tree.school, "王小刚").student_no, "王芳芳", PHONE, "母亲"],  # one phone, two names
        ],
    )
    result = run(path, academic, tree.school)
    found = {(e["row"], e["column"]) for e in result["errors"]}
    assert found == {(3, "学籍号"), (4, "学籍号"), (5, "手机号"), (6, "关系"), (7, "学籍号+手机号"), (8, "家长姓名")}
    assert not Guardian.objects.exists() and not Guardianship.objects.exists()


def test_the_class_teacher_adds_changes_and_removes_a_guardian_audited(client, tree):
    child = make_student(tree.school, "王小明", klass=tree.klass)
    head = make_user("head", "head_teacher", tree.klass)
    client.force_login(head)
    page = client.get(f"/students/{child.pk}/").content.decode()
    assert "添加家长" in page
    bad = client.post(
        f"/people/students/{child.pk}/guardians/add/", {"name": "王芳", "phone": "123", "relation": "母亲"}
    )
    assert bad.status_code == 400 and "手机号" in bad.content.decode()
    r = client.post(f"/people/students/{child.pk}/guardians/add/", {"name": "王芳", "phone": PHONE, "relation": "母亲"})
    assert r.status_code == 302
    link = Guardianship.objects.get(student=child)
    assert "王芳" in client.get(f"/students/{child.pk}/").content.decode()
    r = client.post(
        f"/people/guardianships/{link.pk}/edit/", {"name": "王芳", "phone": "13933334444", "relation": "祖母"}
    )
    assert r.status_code == 302
    link.refresh_from_db()
    assert link.relation == "祖母" and link.guardian.phone_masked == "139****4444"
    update = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert update.before["phone_masked"] == "139****2222" and update.after["relation"] == "祖母"
    assert client.get(f"/people/guardianships/{link.pk}/remove/").status_code == 200  # asks first
    assert client.post(f"/people/guardianships/{link.pk}/remove/").status_code == 302
    assert not Guardianship.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, org=tree.school).count() == 1


def test_a_class_teacher_cannot_touch_another_classs_guardians(client, tree, other_class):
    child = make_student(tree.school, "王小明", klass=tree.klass)
    g = Guardian(name="王芳")
    g.set_phone(PHONE)
    g.save()
    link = Guardianship.objects.create(guardian=g, student=child, relation="母亲")
    client.force_login(make_user("head2", "head_teacher", other_class))
    assert (
        client.post(f"/people/guardianships/{link.pk}/edit/", {"name": "改名", "relation": "父亲"}).status_code == 404
    )
    assert client.post(f"/people/guardianships/{link.pk}/remove/").status_code == 404
    assert client.get(f"/people/guardians/{g.pk}/").status_code == 404
    g.refresh_from_db()
    assert g.name == "王芳" and Guardianship.objects.filter(pk=link.pk).exists()
