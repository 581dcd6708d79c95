"""Query budgets of 入学早知道's bureau lists, the parent's 我的报名 and the notices PDF
(see mofang/platform/budgets.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from mofang.platform.accounts.models import Membership, Role
from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.budgets import Scene
from mofang.platform.orgs.models import OrgKind
from mofang.platform.people.identity import id_check_digit
from mofang.platform.testing import add, make_user

from . import draws, registration, services, waivers
from .models import Community, Registration

COVERS = (
    "enrollment:warning_list",
    "enrollment:community_list",
    "enrollment:registration_list",
    "enrollment:draw_list",
    "enrollment:admission_list",
    "enrollment:admitted_list",
    "enrollment:admitted_notices",
    "enrollment:my_registrations",
    "enrollment:policy_index",
    "enrollment:waiver_list",
)
NOT_LISTS = {
    "enrollment:index": "the public look-up form",
    "enrollment:draw_new": "a form (its choice of counties is one query)",
}


def scene(tree, n: int) -> Scene:
    """n schools of tree.county, each the 学区 school of a community of its own with a plan (so
    warnings), and n children registered by one parent (a document each), placed by a published
    draw, each then asking to give the seat up (放弃录取); n further counties with a draw each. The county's administrator also administers those
    counties (so n + 1 draws and policies)."""
    year = services.intake_years()[0]
    start, _end = services.cohort_range("primary", year)
    county = tree.county
    parent = parent_user_for("13900004000")
    for i in range(n):
        school = add(county, f"预算小学{i}", OrgKind.SCHOOL, f"33082295{i:02d}", school_type="primary")
        services.save_community(
            county, f"预算小区{i}", primary_schools=[school], junior_schools=[school], acting_user=None
        )
        services.set_intake_plan(school, year, "primary", classes=1, class_size=40, acting_user=None)
        first17 = county.code[:6] + start.strftime("%Y%m%d") + f"{i:02d}" + "3"
        registration.submit_registration(
            owner=parent,
            children=[{"name": f"预算儿童{i}", "id_number": first17 + id_check_digit(first17)}],
            community=Community.objects.get(county=county, name=f"预算小区{i}"),
            registration_type="household",
            address=f"预算小区{i}1幢",
            residence_proof="property",
            public_school=school,
            acting_user=parent,
            documents=[SimpleUploadedFile(f"预算{i}.pdf", b"%PDF-1.4 budget", content_type="application/pdf")],
        )
    draw = draws.create_draw(county, year, acting_user=None)
    draws.enter_seed(draw, "20260101", acting_user=None)
    draws.run_draw(draw, acting_user=None)
    draws.publish_draw(draw, acting_user=None)
    for reg in Registration.objects.filter(owner=parent):  # each asks to give the seat up (放弃录取)
        waivers.request_waiver(reg, "预算放弃原因", acting_user=parent)
    user = make_user("budget_enrollment", "county_admin", county)
    admin = Role.objects.get(code="county_admin")
    for i in range(n):
        other = add(tree.city, f"预算县{i}", OrgKind.COUNTY, f"3308{60 + i}")
        Membership.objects.create(user=user, role=admin, org=other)
        draws.create_draw(other, year, acting_user=None)
    return Scene(user=user, users={"enrollment:my_registrations": parent})
