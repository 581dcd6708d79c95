"""电脑派位: the notary (公证员) enters the seed, which is then immutable; the county administrator
runs the draw once (a background job from the page) and publishes; the public page re-verifies
(一致, and 不一致 after tampering), and a parent sees only their own result."""

import pytest
from django.core.exceptions import ValidationError

from mofang.governance.enrollment import draws, registration, services
from mofang.governance.enrollment.models import Admission, DrawStatus
from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.testing import make_user

from .conftest import born
from .test_registration import _submit, child_id


@pytest.fixture
def setup(district):
    d = district
    year = d.years[0]
    services.set_intake_plan(d.primary, year, "primary", classes=1, class_size=2, acting_user=d.admin)
    regs = [
        _submit(d, parent_user_for(f"1390000{n:04d}"), child_id(born("primary", year), f"{n:03d}"), name=f"儿童{n}")[0]
        for n in range(101, 106, 2)
    ]
    d.regs, d.year = regs, year
    d.notary = make_user("notary_cs", "notary", d.tree.county, full_name="常山县公证员")
    d.other_notary = make_user("notary_js", "notary", d.tree.other_county, full_name="江山市公证员")
    d.draw = draws.create_draw(d.tree.county, year, acting_user=d.admin)
    return d


def _run(d, seed="20260601"):
    draws.enter_seed(d.draw, seed, acting_user=d.notary)
    d.draw = draws.run_draw(d.draw, acting_user=d.admin)
    return d.draw


def test_seed_cannot_change_after_entry(setup):
    draws.enter_seed(setup.draw, "11111111", acting_user=setup.notary)
    with pytest.raises(ValidationError):
        draws.enter_seed(setup.draw, "22222222", acting_user=setup.notary)
    setup.draw.refresh_from_db()
    assert setup.draw.seed == "11111111"


def test_run_needs_a_seed_and_runs_once(setup):
    with pytest.raises(ValidationError):
        draws.run_draw(setup.draw, acting_user=setup.admin)
    d = _run(setup)
    assert d.status == DrawStatus.RUN and len(d.input_hash) == 64
    assert Admission.objects.filter(draw=d).count() == 3
    assert Admission.objects.filter(draw=d, school__isnull=False).count() == 2  # 2 seats
    with pytest.raises(ValidationError):
        draws.run_draw(d, acting_user=setup.admin)
    assert Admission.objects.filter(draw=d).count() == 3


def test_only_the_countys_notary_enters_the_seed(setup):
    from django.core.exceptions import PermissionDenied

    for user in (setup.admin, setup.other_admin, setup.other_notary):
        with pytest.raises(PermissionDenied):
            draws.enter_seed(setup.draw, "33333333", acting_user=user)
    setup.draw.refresh_from_db()
    assert setup.draw.seed == "" and setup.draw.status == DrawStatus.DRAFT
    draws.enter_seed(setup.draw, "20260601", acting_user=setup.notary)
    setup.draw.refresh_from_db()
    assert setup.draw.seed_entered_by == setup.notary


def test_the_notary_cannot_run_or_publish(setup):
    from django.core.exceptions import PermissionDenied

    draws.enter_seed(setup.draw, "20260601", acting_user=setup.notary)
    with pytest.raises(PermissionDenied):
        draws.run_draw(setup.draw, acting_user=setup.notary)
    with pytest.raises(PermissionDenied):
        draws.start_run(setup.draw, acting_user=setup.notary)
    d = draws.run_draw(setup.draw, acting_user=setup.admin)
    with pytest.raises(PermissionDenied):
        draws.publish_draw(d, acting_user=setup.notary)


def test_verify_page_consistent_then_inconsistent_after_tampering(client, setup):
    d = _run(setup)
    page = client.get(f"/enrollment/draws/{d.pk}/")
    assert page.status_code == 200 and d.seed in page.content.decode() and d.input_hash in page.content.decode()
    ok = client.post(f"/enrollment/draws/{d.pk}/")
    assert "一致" in ok.content.decode() and "不一致" not in ok.content.decode()
    a = Admission.objects.filter(draw=d, school__isnull=True).first()
    a.school = setup.primary
    a.save()
    bad = client.post(f"/enrollment/draws/{d.pk}/")
    assert "不一致" in bad.content.decode()


def test_parent_sees_only_own_result_after_publication(client, setup):
    d = _run(setup)
    assert registration.admission_status(setup.regs[0]) == "已报名，待派位"
    draws.publish_draw(d, acting_user=setup.admin)
    statuses = {r.pk: registration.admission_status(r) for r in setup.regs}
    assert sorted(s.startswith("已录取") for s in statuses.values()) == [False, True, True]
    client.force_login(setup.regs[0].owner)
    body = client.get("/enrollment/my/").content.decode()
    assert statuses[setup.regs[0].pk] in body
    assert "儿童101" in body and "儿童103" not in body and "儿童105" not in body


def test_bureau_draw_page_seed_by_notary_run_and_publish_by_admin(client, setup, django_capture_on_commit_callbacks):
    url = f"/enrollment/manage/draws/{setup.draw.pk}/"
    for outsider in (setup.other_admin, setup.other_notary):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    # the county administrator sees the page but cannot enter the seed
    client.force_login(setup.admin)
    page = client.get(url).content.decode()
    assert "等待公证员录入随机种子" in page and 'name="seed"' not in page
    refused = client.post(url, {"action": "seed", "seed": "管理员种子"})
    assert refused.status_code == 403 and "只有公证员可以录入随机种子" in refused.content.decode()
    # the notary finds the draw in the list, opens it and enters the seed, once
    client.force_login(setup.notary)
    assert url in client.get("/enrollment/manage/draws/").content.decode()
    assert 'name="seed"' in client.get(url).content.decode()
    assert client.post(url, {"action": "seed", "seed": "20260601", "seed_again": "20260601"}).status_code == 302
    again = client.post(url, {"action": "seed", "seed": "20260602", "seed_again": "20260602"})
    assert again.status_code == 400 and "种子已录入并公布，不能修改" in again.content.decode()
    page = client.get(url).content.decode()
    assert "等待区县管理员执行派位" in page and 'value="run"' not in page
    assert client.post(url, {"action": "run"}).status_code == 403
    assert client.get("/enrollment/manage/draws/new/").status_code == 404
    # the administrator runs it (a background job) and publishes
    client.force_login(setup.admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "run"}).status_code == 302
    setup.draw.refresh_from_db()
    assert setup.draw.status == DrawStatus.RUN and setup.draw.job.status == "succeeded"
    again = client.post(url, {"action": "run"})
    assert again.status_code == 400 and "已派位，不能重复派位" in again.content.decode()
    assert "共 <strong>3</strong> 人参加派位，录取 <strong>2</strong> 人" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "publish"}).status_code == 302
    setup.draw.refresh_from_db()
    assert setup.draw.seed == "20260601" and setup.draw.status == DrawStatus.PUBLISHED
    listing = client.get("/enrollment/manage/admissions/").content.decode()
    assert "儿童101" in listing and "儿童105" in listing
    export = client.get("/enrollment/manage/admissions/?export=xlsx")
    assert export.status_code == 200


def test_create_draw_page_is_scoped_to_own_county(client, district):
    county = district.tree.county
    client.force_login(district.other_admin)
    assert (
        client.post("/enrollment/manage/draws/new/", {"county": county.pk, "year": district.years[0]}).status_code
        == 404
    )
    client.force_login(district.admin)
    assert county.name in client.get("/enrollment/manage/draws/new/").content.decode()
    r = client.post(
        "/enrollment/manage/draws/new/", {"county": county.pk, "year": district.years[0], "mechanism": "da"}
    )
    assert r.status_code == 302
    assert (
        client.post("/enrollment/manage/draws/new/", {"county": county.pk, "year": district.years[0]}).status_code
        == 400
    )


def test_private_choice_first_then_public_fallback(district):
    """Two applicants choose a 1-seat private school first: one gets it, the other falls back to
    the public 学区 school (DA with the public school next on the list)."""
    from mofang.platform.orgs.models import OrgKind, Ownership, SchoolType
    from mofang.platform.testing import add

    d, year = district, district.years[0]
    private = add(
        d.tree.county,
        "常山民办小学",
        OrgKind.SCHOOL,
        "3308220088",
        school_type=SchoolType.PRIMARY,
        ownership=Ownership.PRIVATE,
    )
    services.set_intake_plan(private, year, "primary", classes=1, class_size=1, acting_user=d.admin)
    services.set_intake_plan(d.primary, year, "primary", classes=1, class_size=5, acting_user=d.admin)
    regs = [
        _submit(
            d,
            parent_user_for(f"1390001{n:04d}"),
            child_id(born("primary", year), f"{n:03d}"),
            name=f"民办{n}",
            private_school=private,
        )[0]
        for n in (201, 203)
    ]
    dr = draws.create_draw(d.tree.county, year, acting_user=d.admin)
    draws.enter_seed(dr, "44444444", acting_user=None)
    dr = draws.run_draw(dr, acting_user=d.admin)
    got = sorted(Admission.objects.get(registration=r).school.name for r in regs)
    assert got == sorted([private.name, d.primary.name])
    assert draws.verify_draw(dr) == []


def test_seed_is_public_before_the_run(client, setup):
    assert client.get(f"/enrollment/draws/{setup.draw.pk}/").status_code == 404  # no seed yet
    draws.enter_seed(setup.draw, "20260602", acting_user=setup.notary)
    body = client.get(f"/enrollment/draws/{setup.draw.pk}/").content.decode()
    assert "20260602" in body and "重新验证" not in body


def test_twins_are_admitted_together_or_not_at_all(district):
    d, year = district, district.years[0]
    services.set_intake_plan(d.primary, year, "primary", classes=1, class_size=1, acting_user=d.admin)
    twins = registration.submit_registration(
        owner=parent_user_for("13900020001"),
        children=[
            {"name": "双胞甲", "id_number": child_id(born("primary", year), "301")},
            {"name": "双胞乙", "id_number": child_id(born("primary", year), "303")},
        ],
        community=d.community,
        registration_type="household",
        address="定阳花园1幢",
        residence_proof="property",
        public_school=d.primary,
        acting_user=None,
    )
    assert twins[0].multiple_group and twins[0].multiple_group == twins[1].multiple_group
    dr = draws.create_draw(d.tree.county, year, acting_user=d.admin)
    draws.enter_seed(dr, "44444444", acting_user=None)
    draws.run_draw(dr, acting_user=d.admin)
    # one seat cannot take both twins: neither is admitted
    assert [Admission.objects.get(registration=r).school for r in twins] == [None, None]


def test_create_and_seed_refuse_bad_input_in_chinese(client, setup):
    client.force_login(setup.admin)
    url = f"/enrollment/manage/draws/new/?county={setup.tree.county.pk}"
    for data, message in [
        ({"year": "明年"}, "招生年份应为数字"),
        ({"year": "1999"}, "招生年份应为"),
        ({"year": str(setup.years[1]), "stage": "high"}, "学段应为小学或初中"),
        ({"year": str(setup.years[1]), "mechanism": "random"}, "未知的派位办法"),
    ]:
        r = client.post(url, data)
        assert r.status_code == 400 and message in r.content.decode(), data
    assert client.post(url, {"year": str(setup.years[1]), "stage": "junior"}).status_code == 302
    client.force_login(setup.notary)
    r = client.post(f"/enrollment/manage/draws/{setup.draw.pk}/", {"action": "seed", "seed": "9" * 201})
    assert r.status_code == 400 and "随机种子不能超过200个字符" in r.content.decode()
    setup.draw.refresh_from_db()
    assert setup.draw.seed == ""


def test_re_verifying_is_limited_per_client_address(client, setup):
    from django.test import Client

    from ..views.public import DRAW_VERIFICATIONS

    d = _run(setup)
    for _ in range(9):
        DRAW_VERIFICATIONS.consume("127.0.0.1")
    assert "一致" in client.post(f"/enrollment/draws/{d.pk}/").content.decode()  # the 10th
    r = client.post(f"/enrollment/draws/{d.pk}/")
    assert (
        r.status_code == 429 and "重新验证过于频繁" in r.content.decode() and "verify-result" not in r.content.decode()
    )
    assert Client(REMOTE_ADDR="203.0.113.9").post(f"/enrollment/draws/{d.pk}/").status_code == 200
