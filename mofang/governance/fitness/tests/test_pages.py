"""体质健康 pages: a class's sheet (all or nothing, errors per cell), a child's report and PDF,
a parent's children, 合格率/优良率 by scope."""

from decimal import Decimal

from mofang.governance.fitness import services
from mofang.governance.fitness.models import FitnessResult, result_key
from mofang.platform.people.roll import current_school_year

GOOD5 = {
    "height_cm": "142.5",
    "weight_kg": "35.2",
    "vital_capacity": "2100",
    "run_50m": "9.1",
    "sit_and_reach": "9.5",
    "rope_skipping_1min": "150",
    "situps_1min": "38",
    "run_50x8": "1'45\"",
}


def post_sheet(client, klass, cells_by_student):
    data = {f"c-{sid}-{code}": v for sid, cells in cells_by_student.items() for code, v in cells.items()}
    return client.post(f"/fitness/classes/{klass.pk}/", data, HTTP_HX_REQUEST="true")


def store(student, total, **extra):
    """A scored result straight from the outcome of the engine, for rate and report tests."""
    year = extra.pop("year", None) or current_school_year()
    values, errors = services.check_cells(student.grade, student.sex, GOOD5 if student.grade == 5 else {})
    assert not errors
    fields = services.outcome(student.grade, student.sex, values)
    fields.update(total=Decimal(total), band=extra.pop("band", "及格"))
    fields.update(extra)
    return FitnessResult.objects.create(
        student_year=result_key(student.pk, year.start_year),
        student=student,
        school_year=year,
        school=student.school,
        klass=student.klass,
        grade=extra.get("grade", student.grade),
        sex=student.sex,
        **{k: v for k, v in fields.items() if k != "grade"},
    )


def test_head_teacher_saves_the_whole_class_and_scores_appear(client, fit):
    client.force_login(fit.head)
    page = client.get(f"/fitness/classes/{fit.class5.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "张小明" in text and "50米×8往返跑" in text and "立定跳远" not in text  # the grade's items only
    resp = post_sheet(client, fit.class5, {fit.boy.pk: GOOD5, fit.girl.pk: GOOD5})
    assert resp.status_code == 200, resp.content.decode()
    assert "已保存2名学生的成绩" in resp.content.decode()
    assert FitnessResult.objects.get(student=fit.boy).total is not None


def test_one_bad_cell_saves_nothing_and_says_why_in_that_cell(client, fit):
    client.force_login(fit.head)
    resp = post_sheet(client, fit.class5, {fit.boy.pk: GOOD5, fit.girl.pk: {**GOOD5, "run_50m": "快"}})
    assert resp.status_code == 400
    text = resp.content.decode()
    assert "未保存任何成绩" in text and 'aria-invalid="true"' in text
    assert 'value="快"' in text  # what was typed stays in the cell
    assert FitnessResult.objects.count() == 0


def test_a_head_teacher_cannot_open_another_class_and_a_teacher_none(client, fit):
    client.force_login(fit.head)
    assert client.get(f"/fitness/classes/{fit.tree.klass.pk}/").status_code == 404
    client.force_login(fit.teacher)
    assert client.get(f"/fitness/classes/{fit.class5.pk}/").status_code == 404
    assert client.get("/fitness/classes/").status_code == 403


def test_parent_sees_their_child_report_first_and_not_another_child(client, fit):
    store(fit.boy, "86.5", band="良好")
    store(fit.girl, "55.0", band="不及格")
    client.force_login(fit.parent)
    resp = client.get("/fitness/my/", follow=True)
    text = resp.content.decode()
    assert "张小明" in text and "86.5" in text and "良好" in text and "锻炼建议" in text
    assert text.index("86.5") < text.index("各项成绩")  # the result before the items
    assert client.get(f"/fitness/students/{fit.girl.pk}/").status_code == 404
    assert client.get(f"/fitness/students/{fit.girl.pk}/pdf/").status_code == 404
    pdf = client.get(f"/fitness/students/{fit.boy.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"/FontFile2" in pdf.content  # the Chinese font embedded


def test_a_child_without_results_reads_no_data(client, fit):
    client.force_login(fit.parent)
    text = client.get(f"/fitness/students/{fit.boy.pk}/").content.decode()
    assert "暂无数据" in text


def test_rates_count_and_rate_by_school_and_county_and_keep_out_of_scope_out(client, fit):
    for total, band in (("95", "优秀"), ("82", "良好"), ("61", "及格"), ("40", "不及格")):
        s = fit.boy if total == "95" else None
        if s is None:
            from mofang.platform.testing import make_student

            s = make_student(fit.tree.school, f"学生{total}", klass=fit.class5, sex="F", grade=5)
        store(s, total, band=band)
    store(fit.outsider, "30", band="不及格")  # 江山: outside 常山
    client.force_login(fit.principal)  # the school sees its children's results: exact figures
    text = client.get("/fitness/rates/").content.decode()
    assert 'id="fit-pass-rate">75.0%' in text and 'id="fit-good-rate">50.0%' in text
    assert "江山市实验小学" not in text
    client.force_login(fit.county)  # the bureau: one 不及格 child is a small count, hidden
    text = client.get("/fitness/rates/").content.decode()
    assert 'id="fit-pass-rate">*<' in text and "75.0%" not in text
    assert '<div class="value">4</div>' in text  # how many were tested is the roll's, shown
    assert "江山市实验小学" not in text
    client.force_login(fit.junior_principal)
    text = client.get("/fitness/rates/").content.decode()
    assert 'id="fit-pass-rate">暂无数据' in text


def test_final_grade_report_shows_the_graduation_total(client, fit):
    from mofang.platform.people.roll import ensure_school_year
    from mofang.platform.testing import make_student

    year = current_school_year()
    six = make_student(fit.tree.school, "毕业生", sex="M", grade=6)
    store(six, "80", band="良好")
    for back, total in ((1, "70"), (2, "60")):
        store(six, total, year=ensure_school_year(year.start_year - back), grade=6 - back)
    client.force_login(fit.principal)
    text = client.get(f"/fitness/students/{six.pk}/").content.decode()
    assert "毕业成绩" in text


def test_the_head_teacher_is_reminded_of_the_children_without_a_result(client, fit):
    from mofang.platform.testing import todo_count

    client.force_login(fit.head)
    assert todo_count(client, "本学年体质健康成绩待录入") == 2
    store(fit.boy, "80", band="良好")
    assert todo_count(client, "本学年体质健康成绩待录入") == 1
    client.force_login(fit.principal)  # the school imports the equipment's file: no per-class nagging
    assert todo_count(client, "本学年体质健康成绩待录入") == 0


def test_the_bureau_sees_exact_rates_where_no_cell_is_small(client, fit):
    from mofang.platform.testing import make_student

    for i, (total, band) in enumerate([("50", "不及格")] * 6 + [("70", "及格")] * 6 + [("85", "良好")] * 6):
        store(make_student(fit.tree.school, f"学生{i}", klass=fit.class5, sex="M", grade=5), total, band=band)
    client.force_login(fit.county)
    text = client.get("/fitness/rates/").content.decode()
    assert 'id="fit-pass-rate">66.7%' in text and 'id="fit-good-rate">33.3%' in text
