"""体质健康 written by another system with an API key (POST /api/fitness-results/): scored by the
fitness engine as the import scores it; a pupil outside the key's subtree reads as unknown."""

import pytest

from mofang.governance.fitness.models import FitnessResult
from mofang.platform.api.tests.test_imported_writes import key_client
from mofang.platform.testing import make_student


@pytest.fixture
def api(tree):
    return key_client(tree)


def test_a_key_writes_fitness_results_scored_by_the_engine(api, tree):
    boy = make_student(tree.school, "体测男", grade=5, sex="M")
    record = {
        "student_year": boy.student_no,
        "height_cm": "142.5",
        "weight_kg": "35.2",
        "vital_capacity": "2100",
        "run_50m": "9.1",
        "sit_and_reach": "9.5",
        "rope_skipping_1min": "150",
        "situps_1min": "38",
        "run_50x8": "1'45\"",
    }
    away = make_student(tree.other_school, "外县学生", grade=5)
    bad = api.post("/api/fitness-results/", [record, {**record, "student_year": away.student_no}], format="json")
    assert bad.status_code == 400 and "1.student_year" in bad.json() and not FitnessResult.objects.exists()
    r = api.post("/api/fitness-results/", [record], format="json")
    assert r.status_code == 200, r.json()
    result = FitnessResult.objects.get(student=boy)
    assert result.total is not None and result.band in ("优秀", "良好", "及格", "不及格") and result.run_50x8 == 105
