"""黑白名单: the white list feeds after-school (selectors), a black entry removes effective
white-listing, only 正常 institutions enter the white list, the public page shows what is in force."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from .. import services
from ..models import ListKind, Status
from ..selectors import whitelisted_institutions

TODAY = timezone.localdate()


def test_white_listed_normal_institutions_are_offered_to_schools(world, approved):
    inst = approved()
    services.add_to_list(
        inst, acting_user=world.admin, kind=ListKind.WHITE, region=world.county, reason="课后服务遴选", start=TODAY
    )
    assert list(whitelisted_institutions(world.tree.school)) == [inst]
    assert list(whitelisted_institutions(world.tree.other_school)) == []


def test_a_black_entry_removes_effective_white_listing(world, approved):
    inst = approved()
    services.add_to_list(
        inst,
        acting_user=world.admin,
        kind=ListKind.WHITE,
        region=world.county,
        reason="课后服务遴选",
        start=TODAY - dt.timedelta(days=30),
    )
    services.add_to_list(
        inst,
        acting_user=world.admin,
        kind=ListKind.BLACK,
        region=world.county,
        reason="换马甲开展学科类培训",
        start=TODAY,
    )
    assert list(whitelisted_institutions(world.tree.school)) == []
    assert list(whitelisted_institutions(world.tree.school, on=TODAY - dt.timedelta(days=1))) == [inst]


def test_a_black_listed_institution_cannot_enter_the_white_list(world, approved):
    inst = approved()
    services.add_to_list(
        inst, acting_user=world.admin, kind=ListKind.BLACK, region=world.county, reason="违规", start=TODAY
    )
    with pytest.raises(ValidationError, match="黑名单"):
        services.add_to_list(
            inst, acting_user=world.admin, kind=ListKind.WHITE, region=world.county, reason="遴选", start=TODAY
        )


def test_only_normal_institutions_enter_the_white_list(world, register):
    with pytest.raises(ValidationError, match="状态正常"):
        services.add_to_list(
            register(), acting_user=world.admin, kind=ListKind.WHITE, region=world.county, reason="遴选", start=TODAY
        )


def test_suspension_takes_an_institution_off_the_effective_white_list(world, approved):
    inst = approved()
    services.add_to_list(
        inst, acting_user=world.admin, kind=ListKind.WHITE, region=world.county, reason="遴选", start=TODAY
    )
    services.change_status(inst, Status.SUSPENDED, acting_user=world.admin, reason="停业")
    assert list(whitelisted_institutions(world.tree.school)) == []


def test_ending_an_entry_keeps_it_on_record(world, approved):
    inst = approved()
    e = services.add_to_list(
        inst,
        acting_user=world.admin,
        kind=ListKind.WHITE,
        region=world.county,
        reason="遴选",
        start=TODAY - dt.timedelta(days=10),
    )
    services.end_list_entry(e, acting_user=world.admin, end=TODAY - dt.timedelta(days=1))
    assert list(whitelisted_institutions(world.tree.school)) == []
    with pytest.raises(ValidationError, match="不能早于起始日期"):
        services.end_list_entry(e, acting_user=world.admin, end=TODAY - dt.timedelta(days=20))


def test_a_county_cannot_publish_for_another(world, approved):
    inst = approved()
    with pytest.raises(ValidationError):
        services.add_to_list(
            inst, acting_user=world.other_admin, kind=ListKind.BLACK, region=world.county, reason="越权", start=TODAY
        )


def test_the_public_page_shows_only_entries_in_force(world, approved):
    shown, ended, future = approved("在列机构"), approved("已移出机构"), approved("未生效机构")
    services.add_to_list(
        shown, acting_user=world.admin, kind=ListKind.WHITE, region=world.county, reason="遴选", start=TODAY
    )
    e = services.add_to_list(
        ended,
        acting_user=world.admin,
        kind=ListKind.WHITE,
        region=world.county,
        reason="遴选",
        start=TODAY - dt.timedelta(days=10),
    )
    services.end_list_entry(e, acting_user=world.admin, end=TODAY - dt.timedelta(days=1))
    services.add_to_list(
        future,
        acting_user=world.admin,
        kind=ListKind.BLACK,
        region=world.county,
        reason="拟列入",
        start=TODAY + dt.timedelta(days=5),
    )
    r = Client().get(f"/institutions/public/lists/?region={world.county.pk}")
    body = r.content.decode()
    assert r.status_code == 200 and "在列机构" in body
    assert "已移出机构" not in body and "未生效机构" not in body
    assert Client().get("/institutions/public/lists/?region=abc").status_code == 404
    assert Client().get(f"/institutions/public/lists/?region={10**30}").status_code == 404


def test_today_button_takes_an_institution_off_a_list(world, approved):
    inst = approved()
    e = services.add_to_list(
        inst,
        acting_user=world.admin,
        kind=ListKind.WHITE,
        region=world.county,
        reason="遴选",
        start=TODAY - dt.timedelta(days=3),
    )
    c = Client()
    c.force_login(world.admin)
    assert c.post(f"/institutions/lists/{e.pk}/end/").status_code == 302
    e.refresh_from_db()
    assert e.end == TODAY
