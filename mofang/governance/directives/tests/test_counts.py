"""One rule per figure: 待签收 and 待办理 are counted alike by a unit's home to-dos and the 收文 list
they open; 未办结 and 逾期 alike by the cockpit's row, the deliveries list and the sender's to-do —
on data where 待办理 and 未办结 differ (an unsigned delivery is not yet 待办理)."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from mofang.governance.directives import services
from mofang.governance.directives.models import Delivery, Directive
from mofang.platform.testing import cockpit_row, list_total, todo_count, todo_url

from .conftest import send, week


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_units_to_dos_the_inbox_and_the_cockpit_count_alike(zl):
    school = zl.tree.school
    asked = "在校学生数|数字|必填"
    send(zl, title="待签收的填报", spec=asked)  # unsigned everywhere
    signed = send(zl, title="已签收待填报", spec=asked)
    services.sign(Delivery.objects.get(directive=signed, unit=school), acting_user=zl.principal)
    notice = send(zl, title="签收即办结的通知", kind="notice")
    services.sign(Delivery.objects.get(directive=notice, unit=school), acting_user=zl.principal)
    late = send(zl, title="已过期限", spec=asked, targets=[school, zl.kg])
    Directive.objects.filter(pk=late.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    send(zl, by=zl.other_admin, org=zl.tree.other_county, targets=[zl.tree.other_school], title="江山的")

    c = _client(zl.principal)
    for title, n in (("待签收的政令", 2), ("待办理（填报/转发）的政令", 1)):
        assert todo_count(c, title) == n, title
        assert list_total(c, todo_url(c, title)) == n, title
    assert list_total(c, "/directives/deliveries/?mine=1&state=pending") == 3  # 未办结: both together

    admin = _client(zl.admin)
    # 未办结 in 常山县: 3 + 3 + 2 (the school's notice is done) + 2
    assert cockpit_row(admin, "directives.pending") == (10, 2)
    assert list_total(admin, "/directives/deliveries/?state=pending") == 10
    assert todo_count(admin, "有单位逾期未办的发出政令") == 1  # `late`, with its two units


def test_the_senders_overdue_to_do_opens_exactly_those_directives(zl):
    school = zl.tree.school
    past = timezone.now() - dt.timedelta(days=1)
    late = send(zl, title="逾期两家未办", targets=[school, zl.kg])
    one_late = send(zl, title="逾期一家未办", kind="notice")
    for unit in (school, zl.kg):
        services.sign(Delivery.objects.get(directive=one_late, unit=unit), acting_user=None)
    all_done = send(zl, title="逾期但都已签收", kind="notice", targets=[school])
    services.sign(Delivery.objects.get(directive=all_done, unit=school), acting_user=None)
    send(zl, title="未到期限")
    forwarded = services.send_directive(  # a school's own (a 转发 in practice): visible to the county, not its to-do
        sender_org=school,
        title="学校发的",
        body="x",
        kind="notice",
        deadline=week(),
        targets=[school],
        acting_user=None,
    )
    far = send(zl, by=zl.other_admin, org=zl.tree.other_county, targets=[zl.tree.other_school], title="江山的")
    Directive.objects.filter(pk__in=[late.pk, one_late.pk, all_done.pk, forwarded.pk, far.pk]).update(deadline=past)

    c = _client(zl.admin)
    title = "有单位逾期未办的发出政令"
    assert todo_count(c, title) == 2
    r = c.get(todo_url(c, title))
    assert r.context["page"].paginator.count == 2
    rows = {row[0][0]: row[-1][0] for row in r.context["rows"]}  # 标题 → 逾期未办
    assert rows == {"逾期两家未办": 2, "逾期一家未办": 1}
