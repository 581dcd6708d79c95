"""绑定孩子: automatic when the parent's phone is an imported guardian of the child, otherwise a
request the class teacher or 教务 confirms or refuses; misses are rate-limited and say nothing
about whether a 学籍号 exists."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.audit.models import AuditEntry
from mofang.platform.people.models import BindingAttempt, BindingRequest, BindingStatus, Guardian, Guardianship, Student
from mofang.platform.testing import make_id_number, make_student, make_user, race

PARENT_PHONE = "13911112222"


@pytest.fixture
def child(tree):
    return make_student(tree.school, "王小明", klass=tree.klass)


@pytest.fixture
def parent(tree):
    return parent_user_for(PARENT_PHONE)


def bind(client, number, name, parent_name="王芳", relation="母亲"):
    return client.post(
        "/people/bind/", {"number": number, "child_name": name, "parent_name": parent_name, "relation": relation}
    )


def my_children(parent):
    return list(Student.objects.visible_to(parent, "people.view_student"))


def test_binding_is_automatic_when_the_school_registered_this_phone(client, tree, child):
    g = Guardian(name="王芳")
    g.set_phone(PARENT_PHONE)
    g.save()
    Guardianship.objects.create(guardian=g, student=child, relation="母亲")
    user = make_user("p", "parent", tree.province)
    user.phone = PARENT_PHONE
    user.save()
    client.force_login(user)
    r = bind(client, child.student_no, "王小明")
    assert r.status_code == 200 and "已绑定王小明" in r.content.decode()
    assert my_children(user) == [child]
    assert BindingRequest.objects.get().status == BindingStatus.BOUND
    assert user.inbox.filter(title__contains="已绑定孩子").exists()


def test_binding_waits_for_the_school_when_the_phone_is_not_registered(client, tree, child, parent):
    client.force_login(parent)
    r = bind(client, child.student_no, "王小明")
    assert "请等待学校确认" in r.content.decode()
    req = BindingRequest.objects.get()
    assert req.status == BindingStatus.PENDING and my_children(parent) == []
    assert "待学校确认" in client.get("/people/bind/").content.decode()
    home = client.get("/").content.decode()
    assert '<div class="label">等待学校确认的绑定申请</div><div class="value">1<' in home
    # asking again does not make a second request
    bind(client, child.student_no, "王小明")
    assert BindingRequest.objects.count() == 1


def test_an_id_number_finds_the_child_too(client, tree, parent):
    from mofang.platform.people import identity

    idn = make_id_number("20150301", "M")
    kid = make_student(tree.school, "李小刚", klass=tree.klass)
    kid.set_id_number(idn)
    kid.save()
    client.force_login(parent)
    bind(client, idn, "李小刚")
    assert BindingRequest.objects.get().student == kid and identity.lookup_hash(idn) == kid.id_number_hash


def test_a_miss_never_tells_whether_the_number_exists(client, tree, child, parent):
    client.force_login(parent)
    wrong_name = bind(client, child.student_no, "王小刚")
    no_such = bind(client, "G999999999999", "王小刚")
    assert wrong_name.status_code == no_such.status_code == 400
    for r in (wrong_name, no_such):
        assert "学籍号（或身份证号）与孩子姓名不匹配" in r.content.decode()
    assert not BindingRequest.objects.exists()


def test_five_misses_an_hour_then_429_counted_in_the_database(client, tree, child, parent):
    client.force_login(parent)
    for _ in range(5):
        assert bind(client, child.student_no, "猜错").status_code == 400
    r = bind(client, child.student_no, "王小明")  # even the right answer waits now
    assert r.status_code == 429 and "尝试次数过多，请1小时后再试" in r.content.decode()
    assert BindingAttempt.objects.filter(user=parent).count() == 5 and not BindingRequest.objects.exists()
    # an hour later the tries are free again
    BindingAttempt.objects.update(at=timezone.now() - dt.timedelta(hours=1, minutes=1))
    assert "请等待学校确认" in bind(client, child.student_no, "王小明").content.decode()


def test_the_class_teacher_confirms_and_the_parent_sees_the_child(client, tree, child, parent):
    client.force_login(parent)
    bind(client, child.student_no, "王小明")
    req = BindingRequest.objects.get()
    head = make_user("head", "head_teacher", tree.klass)
    client.force_login(head)
    home = client.get("/").content.decode()
    assert '<div class="label">待确认的家长绑定申请</div><div class="value">1<' in home
    assert "王芳" in client.get("/people/bindings/").content.decode()
    assert client.post(f"/people/bindings/{req.pk}/confirm/").status_code == 302
    req.refresh_from_db()
    assert req.status == BindingStatus.BOUND and req.decided_by == head
    assert my_children(parent) == [child]
    assert parent.inbox.filter(title="绑定成功：王小明").exists()
    assert Guardianship.objects.get(student=child).guardian.phone_hash == parent_phone_hash()
    assert AuditEntry.objects.filter(summary__startswith="确认家长王芳绑定孩子王小明").exists()
    # a second click changes nothing
    assert client.post(f"/people/bindings/{req.pk}/confirm/").status_code == 400


def parent_phone_hash():
    from mofang.platform.people import identity

    return identity.lookup_hash(PARENT_PHONE)


def test_a_class_teacher_of_another_class_cannot_confirm(client, tree, child, parent, other_class):
    client.force_login(parent)
    bind(client, child.student_no, "王小明")
    req = BindingRequest.objects.get()
    client.force_login(make_user("head2", "head_teacher", other_class))
    assert client.post(f"/people/bindings/{req.pk}/confirm/").status_code == 404
    assert "王芳" not in client.get("/people/bindings/").content.decode()
    req.refresh_from_db()
    assert req.status == BindingStatus.PENDING and my_children(parent) == []


def test_refusing_needs_a_reason_and_tells_the_parent(client, tree, child, parent):
    client.force_login(parent)
    bind(client, child.student_no, "王小明")
    req = BindingRequest.objects.get()
    client.force_login(make_user("academic", "academic", tree.school))
    empty = client.post(f"/people/bindings/{req.pk}/refuse/", {"reason": ""})
    assert empty.status_code == 400 and "请填写未通过的原因" in empty.content.decode()
    assert client.post(f"/people/bindings/{req.pk}/refuse/", {"reason": "家长信息与学籍登记不符"}).status_code == 302
    req.refresh_from_db()
    assert req.status == BindingStatus.REFUSED and my_children(parent) == []
    assert parent.inbox.filter(title="绑定未通过：王小明", body__contains="家长信息与学籍登记不符").exists()
    client.force_login(parent)
    assert "家长信息与学籍登记不符" in client.get("/people/bind/").content.decode()


def test_staff_without_the_parent_role_have_no_bind_page(client, tree):
    client.force_login(make_user("t", "teacher", tree.school))
    assert client.get("/people/bind/").status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_wrong_guesses_cannot_pass_the_limit_at_once(tree):
    from mofang.platform.people import guardianship as services

    child = make_student(tree.school, "王小明", klass=tree.klass)
    parent = parent_user_for(PARENT_PHONE)
    for _ in range(3):
        BindingAttempt.objects.create(user=parent)

    def guess():
        try:
            services.bind_child(parent, number=child.student_no, child_name="猜错", parent_name="王芳", relation="母亲")
        except services.BindingRefused as exc:
            return exc.status
        return 200

    statuses = []
    outcomes = race([lambda: statuses.append(guess())] * 8)
    assert outcomes == ["ok"] * 8
    assert sorted(statuses) == [400, 400] + [429] * 6
    assert BindingAttempt.objects.filter(user=parent).count() == 5


def test_binding_tries_go_through_the_platforms_one_limiter(client, tree, child, parent):
    from mofang.platform.people.guardianship import BINDING_MISSES

    for _ in range(5):
        BINDING_MISSES.hit(parent.pk)
    assert BindingAttempt.objects.filter(user=parent).count() == 5
    client.force_login(parent)
    assert bind(client, child.student_no, "王小明").status_code == 429
