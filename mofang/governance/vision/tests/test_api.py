"""视力筛查 written by another system with an API key (POST /api/vision-screenings/)."""

import pytest
from django.utils import timezone

from mofang.governance.vision.models import Screening
from mofang.platform.api.tests.test_imported_writes import key_client
from mofang.platform.testing import make_student


@pytest.fixture
def api(tree):
    return key_client(tree)


def test_a_key_writes_vision_screenings(api, tree):
    kids = [make_student(tree.school, f"视力{i}", klass=tree.klass) for i in range(2)]
    day = timezone.localdate().isoformat()
    batch = [
        {"student_no": kids[0].student_no, "right_acuity": "4.8", "left_acuity": "4.9", "screened_on": day},
        {"student_no": kids[1].student_no, "right_acuity": "5.0", "left_acuity": "5.1", "screened_on": day},
    ]
    r = api.post("/api/vision-screenings/", batch, format="json")
    assert r.status_code == 200, r.json()
    assert Screening.objects.filter(student__in=kids).count() == 2
    bad = api.post(
        "/api/vision-screenings/",
        [{**batch[0], "right_acuity": "5.4"}, {**batch[1], "student_no": "G-NOBODY"}],
        format="json",
    )
    assert bad.status_code == 400 and {"0.right_acuity", "1.student_no"} <= set(bad.json())
