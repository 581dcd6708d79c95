"""Year-end promotion: the preview's counts are the job's effect, graduates leave from the last
grade, a second run changes nothing, and nothing outside the region moves."""

import pytest
from django.db import connection

from mofang.platform.audit.models import AuditEntry
from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.people import promotion
from mofang.platform.people import roll as services
from mofang.platform.people.models import ClassPlacement, RollEvent, RollStatus, Student
from mofang.platform.testing import make_student, race


@pytest.fixture
def pupils(roll):
    t = roll.tree
    p = {
        "first": [make_student(t.school, f"一年级学生{i}", klass=t.klass) for i in range(3)],
        "sixth": [make_student(t.school, f"六年级学生{i}", klass=roll.grade6_class, grade=6) for i in range(2)],
        "away": make_student(t.other_school, "江山学生", grade=6),
        "resting": make_student(t.school, "休学学生", klass=t.klass),
    }
    services.suspend(p["resting"], acting_user=None, reason="病休")
    return p


def _target(roll) -> int:
    return roll.year.start_year + 1


def test_the_preview_counts_per_school_and_grade_within_the_county_only(roll, pupils):
    pv = promotion.preview(roll.county_admin, target=_target(roll))
    assert [(r.school.name, r.moves, r.graduate) for r in pv.schools] == [
        ("常山县第一小学", [("一年级", "二年级", 3)], 2)
    ]
    assert (pv.promoted, pv.graduated, pv.total) == (3, 2, 5)  # 江山市 and the suspended pupil are not counted
    city = promotion.preview(roll.city_admin, target=_target(roll))
    assert (city.promoted, city.graduated) == (3, 3)


def test_the_job_does_what_the_preview_said_and_graduates_the_last_grade(roll, pupils):
    pv = promotion.preview(roll.county_admin, target=_target(roll), org=roll.tree.county)
    result = promotion.promote_region(roll.tree.county, target=_target(roll), acting_user=roll.county_admin)
    assert (result["promoted"], result["graduated"]) == (pv.promoted, pv.graduated) == (3, 2)
    assert result["events"] == 5 and result["placements"] == 3
    for s in Student.objects.filter(name__startswith="一年级学生"):
        assert (s.grade, s.klass, s.school_year.start_year, s.status) == (
            2,
            roll.grade2_class,
            _target(roll),
            RollStatus.ENROLLED,
        )
        e = s.roll_events.get(kind="promote")
        assert (e.grade, e.klass, e.created_by) == (2, roll.grade2_class, roll.county_admin)
        assert ClassPlacement.objects.get(student=s, school_year__start_year=_target(roll)).klass == roll.grade2_class
    for s in Student.objects.filter(name__startswith="六年级学生"):
        assert (s.status, s.klass, s.grade) == (RollStatus.GRADUATED, None, 6)
        assert s.roll_events.get(kind="graduate").school_year == roll.year
    resting = Student.objects.get(name="休学学生")
    assert (resting.status, resting.grade) == (RollStatus.SUSPENDED, 1)
    away = Student.objects.get(name="江山学生")
    assert (away.status, away.grade, away.school_year) == (RollStatus.ENROLLED, 6, roll.year)
    assert AuditEntry.objects.filter(summary__startswith="常山县升入", org=roll.tree.county).count() == 1
    assert promotion.preview(roll.county_admin, target=_target(roll)).total == 0


def _state():
    return (
        list(Student.objects.order_by("pk").values_list("grade", "status", "klass_id", "school_year_id", "updated_at")),
        list(RollEvent.objects.order_by("pk").values_list("pk", flat=True)),
        list(ClassPlacement.objects.order_by("pk").values_list("pk", "klass_id")),
    )


def test_running_the_promotion_twice_changes_nothing_the_second_time(roll, pupils):
    first = promotion.promote_region(roll.tree.city, target=_target(roll))
    assert (first["promoted"], first["graduated"]) == (3, 3)
    before = _state()
    again = promotion.promote_region(roll.tree.city, target=_target(roll))
    assert (again["promoted"], again["graduated"], again["events"], again["placements"]) == (0, 0, 0, 0)
    assert _state() == before


def test_a_county_run_then_its_citys_run_promotes_the_county_once(roll, pupils):
    promotion.promote_region(roll.tree.county, target=_target(roll))
    city = promotion.promote_region(roll.tree.city, target=_target(roll))
    assert (city["promoted"], city["graduated"]) == (0, 1)  # only 江山市's sixth-grader was still due
    assert RollEvent.objects.filter(kind__in=["promote", "graduate"]).count() == 6


def test_one_student_promoted_by_hand_is_not_promoted_again_by_the_job(roll, pupils):
    services.promote(pupils["first"][0], acting_user=roll.principal)
    result = promotion.promote_region(roll.tree.county, target=_target(roll))
    assert result["promoted"] == 2
    assert pupils["first"][0].roll_events.filter(kind="promote").count() == 1


def test_the_preview_page_and_the_confirmed_start(roll, pupils, client, django_capture_on_commit_callbacks):
    client.force_login(roll.county_admin)
    page = client.get("/people/promotion/").content.decode()
    assert '<span class="total-count">5</span>' in page and "一年级→二年级 3人" in page
    assert "升级不可撤销" in page and "江山市实验小学" not in page
    url = f"/people/promotion/{roll.tree.county.pk}/start/"
    r = client.post(url, {"year": _target(roll)})
    assert r.status_code == 400 and "升级不可撤销" in r.content.decode()
    assert Student.objects.filter(grade=2).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"year": _target(roll), "confirm": "on"})
    job = Job.objects.get(kind="people:promotion")
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.result["promoted"], job.result["graduated"]) == (JobStatus.SUCCEEDED, 3, 2)
    assert job.percent == 100 and "升级3人，毕业2人" in job.message
    assert client.get(f"/people/promotion/?org={roll.tree.other_county.pk}").status_code == 404
    assert (
        client.post(
            f"/people/promotion/{roll.tree.other_county.pk}/start/", {"year": _target(roll), "confirm": "on"}
        ).status_code
        == 404
    )


def test_a_school_cannot_start_a_promotion(roll, client):
    client.force_login(roll.principal)
    assert client.get("/people/promotion/").status_code == 403
    assert (
        client.post(
            f"/people/promotion/{roll.tree.county.pk}/start/", {"year": _target(roll), "confirm": "on"}
        ).status_code
        == 403
    )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent runs need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_on_postgresql_promote_each_student_once(roll, pupils):
    outcomes = race(
        [
            lambda: promotion.promote_region(roll.tree.county, target=_target(roll)),
            lambda: promotion.promote_region(roll.tree.city, target=_target(roll)),
            lambda: services.promote(Student.objects.get(name="一年级学生0"), acting_user=None),
        ]
    )
    assert outcomes[:2] == ["ok", "ok"]
    assert RollEvent.objects.filter(kind="promote").count() == 3
    assert RollEvent.objects.filter(kind="graduate").count() == 3
    assert ClassPlacement.objects.filter(school_year__start_year=_target(roll)).count() == 3
