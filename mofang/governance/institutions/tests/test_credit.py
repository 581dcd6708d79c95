"""甬信培 credit rating: deductions for what supervision found, graded A–D, shown on the pages."""

from django.test import Client
from django.utils import timezone

from .. import credit, services
from ..models import Institution, ListKind, Status

TODAY = timezone.localdate()


def _rated(inst):
    return credit.with_credit(Institution.objects.filter(pk=inst.pk)).get()


def test_a_clean_institution_with_an_account_is_a(world, approved):
    inst = approved()
    assert credit.rating(_rated(inst))[:2] == (90, "A")  # no supervised account yet
    services.save_fee_account(inst, acting_user=world.admin, bank="农商银行", account_no="62220000111122")
    assert credit.rating(_rated(inst))[:3] == (100, "A", "诚信")


def test_findings_black_list_and_flagged_charges_lower_the_grade(world, approved):
    inst = approved()
    services.save_fee_account(inst, acting_user=world.admin, bank="农商银行", account_no="62220000111122")
    services.record_inspection(
        inst, acting_user=world.admin, kind="covert", date=TODAY, inspectors="专班", findings="讲授数学", rectify=True
    )
    score, grade, _, reasons = credit.rating(_rated(inst))
    assert (score, grade) == (80, "B") and "整改中 −10" in reasons
    for n in range(5):
        services.record_charge(
            inst, acting_user=world.admin, student_name=f"学员{n}", amount="100", lessons=61, months=1, paid_on=TODAY
        )
    assert credit.rating(_rated(inst))[:2] == (60, "C")  # flagged charges count at most 20
    services.add_to_list(
        inst, acting_user=world.admin, kind=ListKind.BLACK, region=world.county, reason="违规", start=TODAY
    )
    assert credit.rating(_rated(inst))[:3] == (10, "D", "失信")


def test_the_grade_is_on_the_list_and_the_detail_page(world, approved):
    inst = approved()
    services.change_status(inst, Status.SUSPENDED, acting_user=world.admin, reason="停业")
    c = Client()
    c.force_login(world.admin)
    assert "C（警示，70分）" in c.get("/institutions/").content.decode()
    body = c.get(f"/institutions/{inst.pk}/").content.decode()
    assert "C（警示，70分）" in body and "停业 −30" in body
