"""One rule per figure: 待审批抵假 (LeaveQuerySet.pending) is counted alike by the approver's home
to-do, the approvals page it opens and the cockpit's row — on data where decided requests (approved,
rejected) and another county's pending request would count if a copy of the rule drifted."""

from django.test import Client

from mofang.governance.timebank import services
from mofang.governance.timebank.models import Account
from mofang.governance.timebank.services.common import today
from mofang.platform.testing import cockpit_row, page_text, todo_count, todo_url

from .conftest import last_month

TODO = "待审批抵假申请"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pending_leave_is_counted_alike_by_the_to_do_the_approvals_page_and_the_cockpit(
    bank, other_bank, people, mao_account, colleague_account
):
    for staff in (people.mao, people.colleague):
        services.record_afterschool_duty(bank, staff, date=last_month(), periods=8, acting_user=people.academic)

    def ask(account, user, reason):
        return services.request_leave(account, kind="leave", date=today(), hours="1", reason=reason, acting_user=user)

    ask(mao_account, people.teacher_user, "待批一")
    ask(colleague_account, people.colleague_user, "待批二")
    services.approve_leave(ask(mao_account, people.teacher_user, "已批"), acting_user=people.principal)
    services.reject_leave(ask(mao_account, people.teacher_user, "已驳"), acting_user=people.principal, note="当日有课")
    far = Account.objects.get(bank=other_bank, staff=people.other_staff)
    services.record_afterschool_duty(other_bank, people.other_staff, date=last_month(), periods=8, acting_user=None)
    services.request_leave(far, kind="leave", date=today(), hours="1", reason="江山", acting_user=None)

    principal = _client(people.principal)
    assert todo_count(principal, TODO) == 2
    assert page_text(principal, todo_url(principal, TODO)).count('data-status="pending"') == 2
    assert cockpit_row(_client(people.county), "timebank.leave_pending") == (2, None)
