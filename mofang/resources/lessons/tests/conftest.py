import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.testing import make_user

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def mp4(name="课堂实录.mp4"):
    return SimpleUploadedFile(name, MP4, content_type="video/mp4")


def lesson_data(**extra):
    return {"kind": "lesson", "title": "认识钟表", "subject": "语文", "grade": "1", "duration_minutes": "40"} | extra


class People:
    pass


@pytest.fixture
def ls(tree):
    """A teacher and a colleague at the school, the county's and another county's reviewers, a parent."""
    p = People()
    p.tree = tree
    p.teacher = make_user("ls_teacher", "teacher", tree.school, full_name="毛玉梅")
    p.colleague = make_user("ls_colleague", "teacher", tree.school, full_name="王老师")
    p.reviewer = make_user("ls_county", "county_admin", tree.county)
    p.other_reviewer = make_user("ls_other", "county_admin", tree.other_county)
    p.parent = make_user("ls_parent", "parent", tree.school)
    return p
