"""One rule per figure: the home page's queue to-dos (待受理的办学审批, 待核查的有奖举报) count exactly
what the lists they open show with ?view=queue — the engine's queue rule, not a copy of it."""

from django.test import Client

from mofang.platform.cases import services as cases
from mofang.platform.testing import list_total, todo_count, todo_url

from .. import services
from ..cases import APPLICATION, REPORT
from ..models import Category

APPS, REPORTS = "待受理的办学审批", "待核查的有奖举报"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_queue_to_dos_count_what_the_queue_lists_show(world, register):
    services.submit_application(register("科技甲", Category.TECH), acting_user=world.admin)  # 科技局's queue
    claimed = services.submit_application(register("科技乙", Category.TECH), acting_user=world.admin)
    cases.claim(claimed.case, acting_user=world.keji)  # claimed: no longer waiting
    services.submit_application(register("学科丙", Category.SUBJECT), acting_user=world.admin)  # the county's
    services.submit_application(register("艺术丁", Category.ARTS), acting_user=world.admin)  # 文旅局's
    # accepted by 科技局, then sent up: waiting in the county's queue while 审查中
    up = services.submit_application(register("科技戊", Category.TECH), acting_user=world.admin)
    cases.claim(up.case, acting_user=world.keji)
    cases.fire(up.case, "accept", acting_user=world.keji)
    cases.escalate(up.case, acting_user=world.keji, to=cases.TO_PARENT_UNIT, reason="需县里会商")  # 一键上报
    for n in range(3):
        services.submit_public_report(world.county, target_name=f"某机构{n}", address="某地", description="补课")
    taken = services.submit_public_report(world.county, target_name="某机构", address="某地", description="补课")
    cases.claim(taken.case, acting_user=world.admin)
    services.submit_public_report(world.other_county, target_name="江山机构", address="某地", description="补课")

    for user, apps, reports in ((world.keji, 1, 0), (world.wenlv, 1, 0), (world.admin, 2, 3)):
        c = _client(user)
        assert todo_count(c, APPS) == apps, user
        assert todo_count(c, REPORTS) == reports, user
        if apps:
            assert list_total(c, todo_url(c, APPS)) == apps, user
            assert list_total(c, f"/cases/t/{APPLICATION}/?view=queue") == apps, user
        if reports:
            assert list_total(c, todo_url(c, REPORTS)) == reports, user
            assert list_total(c, f"/cases/t/{REPORT}/?view=queue") == reports, user
