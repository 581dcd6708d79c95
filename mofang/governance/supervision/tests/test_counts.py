"""One rule per figure: 到期回头看 (RectificationQuerySet.recheck_due) is counted alike by the
inspector's home to-do, the rectification list it opens and the cockpit's row — on data where a
copy that forgot "closed" or "the date has come" would count differently."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mofang.governance.supervision import services
from mofang.governance.supervision.models import Rectification
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
