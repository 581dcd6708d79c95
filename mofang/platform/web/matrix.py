"""Permission-matrix endpoints of the platform core (see mofang/platform/matrix.py)."""

from django.core.files.base import ContentFile

from mofang.platform.audit.models import AuditAction, AuditEntry
from mofang.platform.jobs.models import Job
from mofang.platform.matrix import Endpoint, Target
from mofang.platform.notifications.models import SMSMessage
from mofang.platform.people import identity
from mofang.platform.testing import make_staff, make_student


def make_objects(tree):
    objs = {}
    for side, school, klass in (("in", tree.school, tree.klass), ("out", tree.other_school, None)):
        tag = "甲" if side == "in" else "乙"
        objs[f"student_{side}"] = make_student(school, f"矩阵学生{tag}", klass=klass)
        objs[f"staff_{side}"] = make_staff(school, f"矩阵教师{tag}")
        objs[f"audit_{side}"] = AuditEntry.objects.create(
            action=AuditAction.ACTION, summary=f"矩阵审计{tag}", org=school
        )
        objs[f"sms_{side}"] = SMSMessage.objects.create(org=school, phone="13900000000", text=f"矩阵短信{tag}")
        job = Job.objects.create(kind="matrix", title=f"矩阵任务{tag}", org=school)
        job.result_file.save(f"matrix-{side}.txt", ContentFile(f"矩阵文件{tag}".encode()), save=True)
        objs[f"job_{side}"] = job
        objs[f"school_{side}"] = school
        objs[f"county_{side}"] = tree.county if side == "in" else tree.other_county
        objs[f"orgs_{side}"] = [school, klass] if klass else [school]
    return objs


def endpoints(o):
    def pair(url_fmt, marker_fmt, key, perm, kind, **kw):
        return Endpoint(
            name=f"{url_fmt} [{kind}]",
            kind=kind,
            perm=perm,
            inside=Target(
                url_fmt.format(obj=o[f"{key}_in"]),
                marker_fmt(o[f"{key}_in"]),
                o["orgs_in"] if key == "student" else [o["school_in"]],
            ),
            outside=Target(url_fmt.format(obj=o[f"{key}_out"]), marker_fmt(o[f"{key}_out"]), [o["school_out"]]),
            **kw,
        )

    name = lambda x: x.name  # noqa: E731
    plain_id = lambda x: identity.unseal(x.id_number_sealed)  # noqa: E731
    return [
        pair("/students/?q=矩阵", name, "student", "people.view_student", "list"),
        pair("/students/?q=矩阵", name, "student", "people.view_student", "count"),
        pair("/students/?q=矩阵&export=xlsx", name, "student", "people.view_student", "export"),
        pair("/", name, "student", "people.view_student", "count", count_label="学生"),
        pair("/", name, "staff", "people.view_staff", "count", count_label="教职工"),
        pair("/students/{obj.pk}/", name, "student", "people.view_student", "detail"),
        pair(
            "/reveal/student/{obj.pk}/id_number/", plain_id, "student", "people.view_sensitive", "change", method="POST"
        ),
        pair("/staff/?q=矩阵", name, "staff", "people.view_staff", "list"),
        pair("/staff/?q=矩阵", name, "staff", "people.view_staff", "count"),
        pair("/staff/?q=矩阵&export=xlsx", name, "staff", "people.view_staff", "export"),
        pair("/staff/{obj.pk}/", name, "staff", "people.view_staff", "detail"),
        pair(
            "/reveal/staff/{obj.pk}/phone/",
            lambda x: x.phone,
            "staff",
            "people.view_sensitive",
            "change",
            method="POST",
        ),
        pair("/orgs/{obj.pk}/", lambda x: f"<dd>{x.code}</dd>", "school", "orgs.view_org", "detail"),
        pair(
            "/orgs/{obj.pk}/edit/",
            lambda x: "",
            "school",
            "orgs.change_org",
            "change",
            method="POST",
            data={"name": "矩阵改名", "school_type": "primary", "ownership": "public"},
        ),
        pair(
            "/students/{obj.pk}/edit/",
            lambda x: "",
            "student",
            "people.change_student",
            "change",
            method="POST",
            data={"name": "矩阵改名"},
        ),
        pair(
            "/staff/{obj.pk}/edit/",
            lambda x: "",
            "staff",
            "people.change_staff",
            "change",
            method="POST",
            data={"position": "矩阵岗位", "category": "teacher", "employment": "full"},
        ),
        pair("/audit/?q=矩阵审计", lambda x: x.summary, "audit", "audit.view_log", "list"),
        pair("/audit/?q=矩阵审计", lambda x: x.summary, "audit", "audit.view_log", "count"),
        pair("/audit/?q=矩阵审计&export=xlsx", lambda x: x.summary, "audit", "audit.view_log", "export"),
        pair("/outbox/?q=矩阵", lambda x: x.text, "sms", "notifications.view_outbox", "list"),
        pair("/outbox/?q=矩阵&export=xlsx", lambda x: x.text, "sms", "notifications.view_outbox", "export"),
        pair("/jobs/?q=矩阵", lambda x: x.title, "job", "jobs.view_job", "list"),
        pair("/jobs/{obj.pk}/", lambda x: x.title, "job", "jobs.view_job", "detail"),
        pair("/jobs/{obj.pk}/file/", lambda x: "矩阵文件", "job", "jobs.view_job", "detail"),
        Endpoint(
            name="/orgs/<county>/children/ [list]",
            kind="list",
            perm="orgs.view_org",
            # listing a node's children needs the node itself: a school's teacher cannot browse
            # the county, though the school is theirs (marker: the code, which edits keep)
            inside=Target(f"/orgs/{o['county_in'].pk}/children/", o["school_in"].code, [o["county_in"]]),
            outside=Target(f"/orgs/{o['county_out'].pk}/children/", o["school_out"].code, [o["county_out"]]),
        ),
        pair("/api/students/?q=矩阵", lambda x: x.student_no, "student", "people.view_student", "list", api=True),
        pair("/api/students/?q=矩阵", lambda x: x.student_no, "student", "people.view_student", "count", api=True),
        pair("/api/students/{obj.pk}/", lambda x: x.student_no, "student", "people.view_student", "detail", api=True),
        pair("/api/staff/{obj.pk}/", lambda x: x.staff_no, "staff", "people.view_staff", "detail", api=True),
        pair("/api/orgs/{obj.pk}/", lambda x: x.code, "school", "orgs.view_org", "detail", api=True),
    ]
