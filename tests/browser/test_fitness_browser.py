"""体质健康 in Chromium: a parent opens the child's report on a phone (390×844) and sees the band
before the items, without scrolling sideways; a head teacher saves the class sheet (htmx) and a bad
cell says why; the school's desk (1366×768) reads the 合格率."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from mofang.governance.fitness.models import FitnessResult, result_key
from mofang.governance.fitness.services import check_cells, outcome
from mofang.platform.accounts.roles import sync_roles
from mofang.platform.orgs.models import OrgKind
from mofang.platform.people.models import Guardian, Guardianship
from mofang.platform.people.roll import current_school_year
from mofang.platform.testing import add, build_tree, make_student, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRADE5 = {
    "height_cm": "142.5",
    "weight_kg": "35.2",
    "vital_capacity": "2100",
    "run_50m": "9.1",
    "sit_and_reach": "9.5",
    "rope_skipping_1min": "150",
    "situps_1min": "38",
    "run_50x8": "1'45\"",
}


def _school():
    sync_roles()
    tree = build_tree()
    klass = add(add(tree.school, "五年级", OrgKind.GRADE), "五年级1班", OrgKind.CLASS)
    child = make_student(tree.school, "张小明", klass=klass, grade=5)
    other = make_student(tree.school, "王小红", klass=klass, grade=5, sex="F")
    parent = make_user("fit_parent", "parent", tree.school, full_name="张妈妈")
    guardian = Guardian(name="张妈妈", user=parent)
    guardian.set_phone("13905718801")
    guardian.save()
    Guardianship.objects.create(guardian=guardian, student=child, relation="母亲")
    year = current_school_year()
    for s in (child, other):
        values, errors = check_cells(5, s.sex, GRADE5)
        assert not errors
        FitnessResult.objects.create(
            student_year=result_key(s.pk, year.start_year),
            student=s,
            school_year=year,
            school=tree.school,
            klass=klass,
            grade=5,
            sex=s.sex,
            **outcome(5, s.sex, values),
        )
    return tree, klass, child


def test_parent_reads_the_band_first_on_a_phone(page):
    _tree, _klass, child = _school()
    result = FitnessResult.objects.get(student=child)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "fit_parent")
    page.goto("/fitness/my/")
    expect(page.locator("h1")).to_contain_text("张小明 · 体质健康报告")
    band = page.locator(".fit-band")
    expect(band).to_have_text(result.band)
    expect(page.locator(".fit-total b")).to_have_text(str(result.total))
    assert band.bounding_box()["y"] < 844  # the result is on the first screen
    items = page.locator(".fit-items li")
    expect(items.first).to_contain_text("体重指数")
    expect(page.locator(".fit-items")).to_contain_text("50米×8往返跑")
    expect(page.locator(".fit-items")).to_contain_text("1'45\"")
    assert band.bounding_box()["y"] < items.first.bounding_box()["y"]
    expect(page.locator(".fit-advice li").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the report scrolls sideways on a phone ({width}px)"


def test_head_teacher_saves_the_sheet_and_a_desk_user_sees_the_rate(page):
    tree, klass, child = _school()
    make_user("fit_head", "head_teacher", klass, full_name="班主任")
    make_user("fit_principal", "principal", tree.school, full_name="校长")
    login(page, "fit_head")
    page.goto(f"/fitness/classes/{klass.pk}/")
    page.fill(f"input[name='c-{child.pk}-run_50m']", "飞快")
    page.get_by_role("button", name="全部保存并评分").click()
    expect(page.locator("#fit-sheet .msg-error")).to_contain_text("未保存任何成绩")
    expect(page.locator("#fit-sheet td.fit-bad")).to_have_count(1)
    page.fill(f"input[name='c-{child.pk}-run_50m']", "8.6")
    page.get_by_role("button", name="全部保存并评分").click()
    expect(page.locator("#fit-sheet .msg-success")).to_contain_text("已保存2名学生的成绩")
    assert FitnessResult.objects.get(student=child).run_50m == Decimal("8.6")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "fit_principal")
    page.goto("/fitness/rates/")
    rate = page.locator("#fit-pass-rate")
    expect(rate).to_contain_text("%")
    expect(page.get_by_role("cell", name="常山县第一小学", exact=True)).to_be_visible()
