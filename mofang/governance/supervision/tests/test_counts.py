"""One rule per figure: 到期回头看 (RectificationQuerySet.recheck_due) is counted alike by the
inspector's home to-do, the rectification list it opens and the cockpit's row — on data where a
copy that forgot "closed" or "the date has come" would count differently."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from mofang.governance.supervision import services
from mofang.governance.supervision.models import Rectification
from mofang.platform.cases import services as cases
from mofang.platform.testing import cockpit_row, list_total, todo_count, todo_url

from .conftest import visit_with_problem

TODO = "到期回头看"


def _notice(sup, *, recheck_days=90):
    finding = visit_with_problem(sup).findings.get()
    return services.issue_notice(
        finding, content="整改", term_days=7, recheck_days=recheck_days, acting_user=sup.inspector_user
    )


def _closed(sup, *, recheck_days, days_ago=0):
    rect = _notice(sup, recheck_days=recheck_days)
    services.reply(rect, comment="已整改", acting_user=sup.principal)
    services.verify(rect, passed=True, acting_user=sup.inspector_user, now=timezone.now() - dt.timedelta(days=days_ago))
    return rect


@pytest.mark.django_db
def test_due_rechecks_are_counted_alike_by_the_to_do_the_list_and_the_cockpit(sup):
    _closed(sup, recheck_days=1, days_ago=2)  # due
    _closed(sup, recheck_days=1, days_ago=1)  # due today
    _closed(sup, recheck_days=90)  # not yet
    still_open = _notice(sup)  # not closed: no 回头看, whatever its date says
    Rectification.objects.filter(pk=still_open.pk).update(recheck_due=timezone.localdate() - dt.timedelta(days=5))
    held = _closed(sup, recheck_days=1, days_ago=3)  # done already
    services.recheck(held, held=True, note="成效保持", acting_user=sup.inspector_user)

    c = Client()
    c.force_login(sup.inspector_user)
    assert todo_count(c, TODO) == 2
    assert list_total(c, todo_url(c, TODO)) == 2
    assert cockpit_row(c, "supervision.recheck") == (2, None)


@pytest.mark.django_db
def test_the_schools_open_notices_are_the_rows_its_to_do_opens(sup):
    issued = _notice(sup)  # 待整改: counted
    started = _notice(sup)  # 整改中 (signed for): counted
    cases.fire(started.case, "start", acting_user=sup.principal)
    replied = _notice(sup)  # 待核查: the school has done its part
    services.reply(replied, comment="已整改", acting_user=sup.principal)
    _closed(sup, recheck_days=90)  # 已销号
    far_inspector = services.add_inspector(
        sup.tree.other_county, "江山督学", full_time=True, user=sup.other_inspector_user, acting_user=None
    )
    far = visit_with_problem(
        SimpleNamespace(
            inspector=far_inspector,
            inspector_user=sup.other_inspector_user,
            tree=SimpleNamespace(school=sup.tree.other_school),
            checklist=sup.checklist,
        )
    )
    services.issue_notice(
        far.findings.get(), content="整改", term_days=7, acting_user=sup.other_inspector_user
    )  # another school's

    c = Client()
    c.force_login(sup.principal)
    title = "待完成的整改通知"
    assert todo_count(c, title) == 2
    r = c.get(todo_url(c, title))
    assert r.context["page"].paginator.count == 2
    assert {row[0][0] for row in r.context["rows"]} == {issued.case.number, started.case.number}
