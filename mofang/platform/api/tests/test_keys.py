"""Per-system API keys: created and revoked by administrators within their subtree, the secret
shown once; writes by a key are batches, scoped, idempotent, all or nothing, audited, rate-limited."""

import pytest
from rest_framework.test import APIClient

from mofang.platform.audit.models import AuditEntry
from mofang.platform.people.models import RollEvent, Student
from mofang.platform.people.models.roll import RollStatus
from mofang.platform.testing import make_id_number, make_student, make_user

from ..keys import create_key
from ..models import ApiKey


@pytest.fixture
def admin(tree):
    return make_user("key_admin", "county_admin", tree.county, full_name="县管理员")


@pytest.fixture
def key(admin, tree):
    return create_key(acting_user=admin, name="常山县学籍系统", org=tree.county, kinds=["roll"])


def _client(secret):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return c


def _enrol(no, name="王小雨", birth="20180901", sex="F", **extra):
    return {
        "action": "enrol",
        "student_no": no,
        "school_code": "3308220001",
        "name": name,
        "sex": "女" if sex == "F" else "男",
        "birth_date": f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
        "id_number": make_id_number(birth, sex),
        **extra,
    }


# --- the key-management page ------------------------------------------------------------------


def test_an_administrator_creates_a_key_sees_the_secret_once_and_only_its_hash_is_kept(client, admin, tree):
    client.force_login(admin)
    page = client.get("/api-keys/")
    assert page.status_code == 200 and "新建接口密钥" in page.content.decode()
    r = client.post("/api-keys/new/", {"name": "常山县体测系统", "org": tree.county.pk, "kinds": ["roll"]})
    assert r.status_code == 200
    body = r.content.decode()
    key = ApiKey.objects.get(name="常山县体测系统")
    secret = body.split('id="one-time-secret" class="mono">', 1)[1].split("<", 1)[0]
    assert secret.startswith(key.prefix + ".") and "只显示这一次" in body
    assert secret.split(".", 1)[1] not in key.secret_hash
    assert AuditEntry.objects.filter(action="create", object_type="api.ApiKey", actor=admin).exists()
    # the list shows it, never the secret
    listing = client.get("/api-keys/").content.decode()
    assert "常山县体测系统" in listing and secret not in listing
    # the secret works for the API
    assert _client(secret).post("/api/roll-changes/", [_enrol("G1")], format="json").status_code == 200


def test_a_key_can_only_be_made_within_the_administrators_subtree(client, admin, tree):
    client.force_login(admin)
    client.post("/api-keys/new/", {"name": "越权系统", "org": tree.other_county.pk, "kinds": ["roll"]})
    assert not ApiKey.objects.filter(name="越权系统").exists()
    client.post("/api-keys/new/", {"name": "", "org": tree.county.pk, "kinds": ["roll"]})
    assert not ApiKey.objects.exists()


def test_a_teacher_has_no_key_page(client, tree):
    client.force_login(make_user("t_keys", "teacher", tree.school))
    assert client.get("/api-keys/").status_code == 404


def test_revoking_asks_first_then_the_key_gets_401(client, admin, key):
    obj, secret = key
    client.force_login(admin)
    confirm = client.get(f"/api-keys/{obj.pk}/revoke/").content.decode()
    assert "data-confirm" in confirm and "不可撤销" in confirm
    obj.refresh_from_db()
    assert obj.revoked_at is None  # asking is not revoking
    client.post(f"/api-keys/{obj.pk}/revoke/")
    obj.refresh_from_db()
    assert obj.revoked_at is not None
    assert AuditEntry.objects.filter(object_type="api.ApiKey", summary__startswith="吊销接口密钥").exists()
    r = _client(secret).post("/api/roll-changes/", [_enrol("G1")], format="json")
    assert r.status_code == 401 and r.json()["detail"] == "接口密钥无效或已吊销"
    assert not Student.objects.exists()


def test_an_unknown_or_malformed_key_gets_401(tree):
    assert _client("abcd.wrong").post("/api/roll-changes/", [], format="json").status_code == 401
    assert _client("").post("/api/roll-changes/", [], format="json").status_code == 401


def test_another_county_cannot_see_or_revoke_the_key(client, key, tree):
    obj, _secret = key
    client.force_login(make_user("other_admin", "county_admin", tree.other_county))
    assert "常山县学籍系统" not in client.get("/api-keys/").content.decode()
    assert client.post(f"/api-keys/{obj.pk}/revoke/").status_code == 404
    obj.refresh_from_db()
    assert obj.revoked_at is None


# --- writes -----------------------------------------------------------------------------------


def test_a_key_writes_a_batch_of_roll_changes_audited_with_its_system_as_actor(key, tree):
    obj, secret = key
    existing = make_student(tree.school, "李四", klass=tree.klass)
    dropping = make_student(tree.school, "赵六")
    batch = [
        _enrol("G330822201809010001", class_name="一年级1班"),
        {"action": "suspend", "student_no": existing.student_no, "reason": "病休"},
        {"action": "dropout", "student_no": dropping.student_no, "reason": "随父母外出务工"},
    ]
    r = _client(secret).post("/api/roll-changes/", batch, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["count"] == 3
    new = Student.objects.get(student_no="G330822201809010001")
    assert new.name == "王小雨" and new.klass == tree.klass and new.status == RollStatus.ENROLLED
    existing.refresh_from_db()
    dropping.refresh_from_db()
    assert existing.status == RollStatus.SUSPENDED and dropping.status == RollStatus.DROPPED_OUT
    assert RollEvent.objects.filter(student=existing).exists()
    actors = set(AuditEntry.objects.filter(actor=obj.account).values_list("actor_name", flat=True))
    assert actors == {"接口：常山县学籍系统"}
    obj.refresh_from_db()
    assert obj.last_used_at is not None
    # resume and transfer out, next batch
    r = _client(secret).post(
        "/api/roll-changes/",
        [
            {"action": "resume", "student_no": existing.student_no},
            {"action": "transfer_out", "student_no": new.student_no, "other_school": "杭州市某小学"},
        ],
        format="json",
    )
    assert r.status_code == 200, r.json()
    new.refresh_from_db()
    existing.refresh_from_db()
    assert existing.status == RollStatus.ENROLLED and new.status == RollStatus.TRANSFERRED_OUT


def test_a_record_outside_the_keys_subtree_reads_as_unknown(key, tree):
    _obj, secret = key
    away = make_student(tree.other_school, "外县学生")
    r = _client(secret).post(
        "/api/roll-changes/",
        [{"action": "suspend", "student_no": away.student_no}, {**_enrol("G9"), "school_code": "3308810001"}],
        format="json",
    )
    assert r.status_code == 400
    body = r.json()
    assert body["0.student_no"] == [f"学籍号 {away.student_no} 不存在或不在您的数据范围内"]
    assert body["1.school_code"] == ["学校不存在或不在您的数据范围内"]
    away.refresh_from_db()
    assert away.status == RollStatus.ENROLLED and not Student.objects.filter(student_no="G9").exists()


def test_every_bad_record_is_reported_by_index_and_field_and_nothing_is_written(key, tree):
    _obj, secret = key
    good = _enrol("G100")
    bad_id = {**_enrol("G101"), "id_number": "330822201809011234"}
    bad_sex = {**_enrol("G102"), "sex": "未知"}
    mismatch = {**_enrol("G103"), "birth_date": "2018-09-02"}
    no_reason = {"action": "dropout", "student_no": "G100"}
    r = _client(secret).post("/api/roll-changes/", [good, bad_id, bad_sex, mismatch, no_reason, "x"], format="json")
    assert r.status_code == 400
    body = r.json()
    assert set(body) >= {"detail", "1.id_number", "2.sex", "3.birth_date", "4.reason", "5"}
    assert body["2.sex"] == ["性别应填“男”或“女”"]  # the import's own message
    assert body["3.birth_date"] == ["出生日期与身份证号不一致"]
    assert body["4.reason"] == ["辍学须填写原因"]
    assert "本批未写入任何记录" in body["detail"]
    assert not Student.objects.exists()  # the good record was not written either


def test_a_body_that_is_not_a_list_is_a_chinese_400(key):
    _obj, secret = key
    r = _client(secret).post("/api/roll-changes/", {"action": "enrol"}, format="json")
    assert r.status_code == 400 and "JSON 数组" in r.json()["detail"]


def test_a_key_without_the_kind_is_refused(admin, tree):
    _obj, secret = create_key(acting_user=admin, name="人事系统", org=tree.county, kinds=["staff"])
    r = _client(secret).post("/api/roll-changes/", [_enrol("G1")], format="json")
    assert r.status_code == 403 and r.json()["detail"] == "该接口密钥无权写入这类数据"


def test_the_same_idempotency_key_replays_and_a_different_body_conflicts(key):
    _obj, secret = key
    c = _client(secret)
    batch = [_enrol("G200")]
    first = c.post("/api/roll-changes/", batch, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    again = c.post("/api/roll-changes/", batch, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Student.objects.filter(student_no="G200").count() == 1
    conflict = c.post("/api/roll-changes/", [_enrol("G201")], format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    assert conflict.status_code == 409 and "幂等键" in conflict.json()["detail"]
    assert not Student.objects.filter(student_no="G201").exists()
    # without the header a retry is a new write, refused by the roll itself
    dup = c.post("/api/roll-changes/", batch, format="json")
    assert dup.status_code == 400 and "0.student_no" in dup.json()


def test_the_rate_limit_per_key_is_a_chinese_429_with_retry_after(key, admin, tree):
    _obj, secret = key
    c = _client(secret)
    for _ in range(60):
        assert c.post("/api/roll-changes/", [], format="json").status_code == 400
    r = c.post("/api/roll-changes/", [], format="json")
    assert r.status_code == 429 and "每分钟最多 60 次" in r.json()["detail"]
    assert int(r["Retry-After"]) > 0
    # another key is counted apart
    _o, other = create_key(acting_user=admin, name="另一系统", org=tree.county, kinds=["roll"])
    assert _client(other).post("/api/roll-changes/", [], format="json").status_code == 400


def test_the_api_docs_show_the_write_operations_and_the_key_scheme(client, admin):
    client.force_login(admin)
    page = client.get("/api/docs/").content.decode()
    assert "外部系统写入（接口密钥认证）" in page
    for path in ("/api/roll-changes/", "/api/staff-records/", "/api/indicator-statistics/"):
        assert f"<code>{path}</code>" in page, path
    schema = client.get("/api/schema/").content.decode()
    assert "ApiKeyAuth" in schema and "Idempotency-Key" in schema


def test_a_keys_service_account_cannot_be_given_a_password_or_managed_as_a_person(admin, key):
    """Else an administrator could reset its password and sign in with the rights given to the key."""
    from mofang.platform.accounts.policy import Refusal
    from mofang.platform.accounts.services import reset_password

    obj, _secret = key
    with pytest.raises(Refusal) as exc:
        reset_password(obj.account, acting_user=admin)
    assert "接口密钥的服务账号" in str(exc.value)
    obj.account.refresh_from_db()
    assert not obj.account.has_usable_password()


# --- the rights a key may be given; the grant form; a cross-county 转入 ----------------------------


def test_a_key_gets_no_right_its_maker_lacks(client, admin, tree, monkeypatch):
    from django.core.exceptions import ValidationError

    from ..registry import WRITE_KINDS, WriteKind

    # a kind needing 查看完整身份证号与手机号, which a county administrator does not hold
    monkeypatch.setitem(WRITE_KINDS, "sealed", WriteKind("sealed", "测试敏感数据", ("people.view_sensitive",)))
    with pytest.raises(ValidationError) as refused:
        create_key(acting_user=admin, name="越权系统", org=tree.county, kinds=["roll", "sealed"])
    assert refused.value.message_dict["kinds"] == ["您本人在常山县没有「测试敏感数据」的权限，不能把它授予接口密钥"]
    client.force_login(admin)
    r = client.post("/api-keys/new/", {"name": "越权系统", "org": tree.county.pk, "kinds": ["sealed"]}, follow=True)
    assert "未新建：您本人在常山县没有「测试敏感数据」的权限" in r.content.decode()
    assert not ApiKey.objects.exists()
    # the right a county administrator holds (学籍, Open311 报事) may be given
    create_key(acting_user=admin, name="县热线", org=tree.county, kinds=["roll", "open311"])


def test_the_open311_right_is_offered_on_the_key_page(client, admin, tree):
    client.force_login(admin)
    assert "Open311/12345 报事" in client.get("/api-keys/").content.decode()
    client.post("/api-keys/new/", {"name": "衢州市12345热线", "org": tree.county.pk, "kinds": ["open311"]})
    assert ApiKey.objects.get(name="衢州市12345热线").kinds == ["open311"]


def test_the_grant_form_offers_no_api_service_role(client, admin, tree):
    from mofang.platform.accounts.models import Role
    from mofang.platform.accounts.roles import sync_roles

    sync_roles()
    assert Role.objects.filter(code__startswith="api_").exists()
    teacher = make_user("t_grant", "teacher", tree.school)
    client.force_login(admin)
    page = client.get(f"/accounts/users/{teacher.pk}/").content.decode()
    assert 'value="teacher"' in page and "接口：" not in page and 'value="api_' not in page
    r = client.post(f"/accounts/users/{teacher.pk}/grant/", {"role": "api_roll", "org": tree.county.code})
    assert r.status_code == 400 and not teacher.memberships.filter(role__code="api_roll").exists()


def test_a_cross_county_transfer_in_is_refused_saying_how_it_is_done(key, tree):
    from mofang.platform.people import roll

    _obj, secret = key
    away = make_student(tree.other_school, "外县转来")
    roll.transfer_out(
        away, acting_user=make_user("js_admin", "county_admin", tree.other_county), to_school="常山县第一小学"
    )
    r = _client(secret).post(
        "/api/roll-changes/",
        [{"action": "transfer_in", "student_no": away.student_no, "school_code": "3308220001"}],
        format="json",
    )
    assert r.status_code == 400
    [message] = r.json()["0.student_no"]
    assert message.startswith(f"学籍号 {away.student_no} 不存在或不在本密钥的数据范围内")
    assert "一网通办" in message and "跨县转学" in message and "转入县教育局" in message
    away.refresh_from_db()
    assert away.status == RollStatus.TRANSFERRED_OUT and away.school == tree.other_school
    # within the key's subtree a 转入 is the key's to make
    here = make_student(tree.school, "县内转学")
    c = _client(secret)
    out = c.post("/api/roll-changes/", [{"action": "transfer_out", "student_no": here.student_no}], format="json")
    assert out.status_code == 200
    r = c.post(
        "/api/roll-changes/",
        [{"action": "transfer_in", "student_no": here.student_no, "school_code": "3308220001"}],
        format="json",
    )
    assert r.status_code == 200, r.json()
