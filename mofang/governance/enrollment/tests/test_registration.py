"""报名: a parent registers a child once per year (database-enforced), twins bind, documents are
sniffed, and each side sees only what its scope allows."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from mofang.governance.enrollment import registration as reg
from mofang.governance.enrollment.models import Registration, RegistrationStatus
from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.audit.models import AuditEntry
from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
from mofang.platform.people.identity import id_check_digit
from mofang.platform.testing import add, make_user

from .conftest import born


def child_id(birth: dt.date, seq: str = "123") -> str:
    first17 = "330822" + birth.strftime("%Y%m%d") + seq
    return first17 + id_check_digit(first17)


@pytest.fixture
def parent(district):
    return parent_user_for("13911112222")


def _submit(d, parent, number, *, name="李小明", **kw):
    args = dict(
        owner=parent,
        children=[{"name": name, "id_number": number}],
        community=d.community,
        registration_type="household",
        address="定阳花园1幢101",
        residence_proof="property",
        public_school=d.primary,
        acting_user=parent,
    )
    args.update(kw)
    return reg.submit_registration(**args)


def _form_data(d, number, **kw):
    data = {
        "child_name": "李小明",
        "id_number": number,
        "registration_type": "household",
        "community": str(d.community.pk),
        "address": "定阳花园1幢101",
        "residence_proof": "property",
        "public_school": str(d.primary.pk),
    }
    data.update(kw)
    return data


def test_child_is_registered_with_id_sealed_and_birth_and_sex_from_the_number(district, parent):
    number = child_id(born("primary", district.years[0], 10), "124")
    [r] = _submit(district, parent, number)
    assert r.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert number not in r.id_number_sealed and r.birth_date == born("primary", district.years[0], 10)
    assert r.sex == "F" and r.year == district.years[0] and r.status == RegistrationStatus.SUBMITTED
    assert AuditEntry.objects.filter(object_type="enrollment.Registration", object_id=str(r.pk)).exists()


def test_a_child_outside_the_age_rule_is_refused(district, parent):
    start, _end = reg.cohort_range("primary", district.years[0])
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent, child_id(start - dt.timedelta(days=1)))
    assert "小学一年级招收" in exc.value.message_dict["id_number"][0]


def test_a_bad_id_number_is_refused_in_chinese(district, parent):
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent, "33082220190101123")
    assert exc.value.message_dict["id_number"] == ["身份证号应为18位"]


def test_the_same_child_cannot_be_registered_twice_but_may_again_after_withdrawing(district, parent):
    number = child_id(born("primary", district.years[0]))
    [first] = _submit(district, parent, number)
    other_parent = parent_user_for("13933334444")
    with pytest.raises(ValidationError) as exc:
        _submit(district, other_parent, number)
    assert exc.value.message_dict["id_number"] == [reg.DUPLICATE]
    reg.withdraw_registration(first, acting_user=parent)
    [second] = _submit(district, parent, number)
    assert second.pk != first.pk


def test_the_database_itself_refuses_a_second_active_registration(district, parent):
    from django.db import IntegrityError, transaction

    number = child_id(born("primary", district.years[0]))
    [r] = _submit(district, parent, number)
    r.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        r.save()


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_makes_one_registration(district, parent):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite cannot share the database between threads")
    number = child_id(born("primary", district.years[0]))
    results, barrier = [], threading.Barrier(4)

    def go():
        barrier.wait()
        try:
            results.append(len(_submit(district, parent, number)))
        except ValidationError as exc:
            results.append(exc.message_dict["id_number"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == sorted([1, reg.DUPLICATE, reg.DUPLICATE, reg.DUPLICATE], key=str)
    assert Registration.objects.filter(id_number_hash=Registration.objects.get().id_number_hash).count() == 1


def test_twins_are_registered_together_and_bound(district, parent):
    birth = born("primary", district.years[0], 5)
    a, b = _submit(
        district,
        parent,
        child_id(birth, "111"),
        children=[
            {"name": "王大", "id_number": child_id(birth, "111")},
            {"name": "王二", "id_number": child_id(birth, "113")},
        ],
    )
    assert a.multiple_group and a.multiple_group == b.multiple_group


def test_a_later_registration_can_bind_to_an_earlier_one_of_the_same_parent(district, parent):
    birth = born("primary", district.years[0], 5)
    [a] = _submit(district, parent, child_id(birth, "111"))
    [b] = _submit(district, parent, child_id(birth, "113"), bind_with=a)
    a.refresh_from_db()
    assert a.multiple_group and a.multiple_group == b.multiple_group
    stranger = parent_user_for("13955556666")
    with pytest.raises(ValidationError) as exc:
        _submit(district, stranger, child_id(birth, "115"), bind_with=a)
    assert "bind_with" in exc.value.message_dict


def test_only_children_born_together_can_be_bound(district, parent):
    birth = born("primary", district.years[0], 5)
    with pytest.raises(ValidationError) as exc:
        _submit(
            district,
            parent,
            child_id(birth, "111"),
            children=[
                {"name": "王大", "id_number": child_id(birth, "111")},
                {"name": "王二", "id_number": child_id(birth + dt.timedelta(days=40), "113")},
            ],
        )
    assert "出生日期应相同" in exc.value.message_dict["twin_id_number"][0]
    [a] = _submit(district, parent, child_id(birth, "115"))
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent, child_id(birth + dt.timedelta(days=40), "117"), bind_with=a)
    assert "bind_with" in exc.value.message_dict


def test_public_school_must_be_in_the_communitys_district_and_private_must_be_private(district, parent):
    number = child_id(born("primary", district.years[0]))
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent, number, public_school=district.hz)
    assert "public_school" in exc.value.message_dict
    private = add(
        district.tree.county,
        "常山县民办实验学校",
        OrgKind.SCHOOL,
        "3308220099",
        school_type=SchoolType.PRIMARY,
        ownership=Ownership.PRIVATE,
    )
    [r] = _submit(
        district,
        parent,
        number,
        private_school=private,
        sibling_school=district.primary,
        sibling_student_no="G330822201601010011",
    )
    assert r.private_school == private and r.sibling_student_no.startswith("G")
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent, child_id(born("primary", district.years[0]), "125"), private_school=district.hz)
    assert "private_school" in exc.value.message_dict


def test_documents_are_checked_by_content_and_size(district, parent):
    number = child_id(born("primary", district.years[0]))
    fake = SimpleUploadedFile("户口簿.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="只能是PDF、JPG或PNG"):
        _submit(district, parent, number, documents=[fake])
    big = SimpleUploadedFile("房产证.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError, match="不能超过5MB"):
        _submit(district, parent, number, documents=[big])
    ok = SimpleUploadedFile("房产证.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100, content_type="image/png")
    [r] = _submit(district, parent, number, documents=[ok])
    assert r.documents.get().content_type == "image/jpeg"


def test_register_page_needs_a_phone_login(district, client):
    r = client.get("/enrollment/register/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/phone/?next=")


def test_parent_registers_through_the_page_and_sees_it_under_my_registrations(district, parent, client):
    client.force_login(parent)
    r = client.get(f"/enrollment/register/?school={district.primary.pk}")
    assert r.status_code == 200 and "定阳花园" in r.content.decode()
    number = child_id(born("primary", district.years[0]))
    r = client.post("/enrollment/register/", _form_data(district, number))
    assert r.status_code == 302, r.content.decode()
    r = client.post("/enrollment/register/", _form_data(district, number))
    assert r.status_code == 400 and "儿童身份证号：该儿童今年已报名" in r.content.decode()
    page = client.get("/enrollment/my/").content.decode()
    assert "李小明" in page and "待派位" in page and number not in page
    pk = Registration.objects.get().pk
    client.post(f"/enrollment/my/{pk}/withdraw/")
    assert Registration.objects.get().status == RegistrationStatus.WITHDRAWN


def test_a_parent_sees_and_withdraws_only_their_own(district, parent, client):
    [r] = _submit(district, parent, child_id(born("primary", district.years[0])))
    other = parent_user_for("13977778888")
    client.force_login(other)
    assert "李小明" not in client.get("/enrollment/my/").content.decode()
    assert client.post(f"/enrollment/my/{r.pk}/withdraw/").status_code == 404
    assert "李小明" not in client.get("/enrollment/manage/registrations/").content.decode()


def test_county_admin_lists_and_exports_registrations_of_their_county_only(district, parent, client):
    _submit(district, parent, child_id(born("primary", district.years[0])))
    client.force_login(district.admin)
    page = client.get("/enrollment/manage/registrations/").content.decode()
    assert "李小明" in page and "3308**********" in page
    client.force_login(district.other_admin)
    assert "李小明" not in client.get("/enrollment/manage/registrations/").content.decode()
    principal = make_user("p_cs", "principal", district.primary)
    client.force_login(principal)
    assert client.get("/enrollment/manage/registrations/?export=xlsx").status_code == 200


_FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("table", [_FULL_WIDTH, _ARABIC_INDIC], ids=["full-width", "arabic-indic"])
def test_the_same_child_typed_in_other_digits_is_the_same_child(district, parent, table):
    number = child_id(born("primary", district.years[0]))
    [first] = _submit(district, parent, number)
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent_user_for("13933334444"), number.translate(table))
    assert exc.value.message_dict["id_number"] == [reg.DUPLICATE]
    # and the other way round: the full-width one is stored in ASCII, found by the ASCII number
    reg.withdraw_registration(first, acting_user=parent)
    [second] = _submit(district, parent, " " + number.translate(table))
    assert second.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent, number)
    assert exc.value.message_dict["id_number"] == [reg.DUPLICATE]


def test_an_id_number_with_characters_that_are_not_digits_names_the_field(district, parent):
    with pytest.raises(ValidationError) as exc:
        _submit(district, parent, "33082220190101一二三")
    assert exc.value.message_dict["id_number"] == ["身份证号含有不允许的字符「一、三、二」，只能填写数字和X"]
