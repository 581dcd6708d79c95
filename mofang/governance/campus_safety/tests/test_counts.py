"""One rule per figure: the home page's 待认领 to-do counts exactly the cases the queue lists show
(the engine's queue rule: open, unclaimed, at a unit where the user works the queue)."""

from django.test import Client

from mofang.platform.cases import services as cases
from mofang.platform.testing import list_total, todo_count, todo_url

from ..cases import CODE

TODO = "待认领的校园安全隐患"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_queue_to_do_counts_what_the_queue_lists_show(world, report):
    report("traffic")  # the police's queue
    cases.claim(report("order"), acting_user=world.police2)  # claimed: no longer waiting
    report("fire")  # the fire brigade's queue
    report("food")  # no rule: the county's queue (待分派)
    # started by the police, then sent up: waiting in the county's queue while 处置中, not 待认领
    up = report("traffic", title="上报县里的隐患")
    cases.claim(up, acting_user=world.police1)
    cases.fire(up, "start", acting_user=world.police1)
    cases.escalate(up, acting_user=world.police1, reason="需县里协调")
    for user, waiting in ((world.police1, 1), (world.police2, 1), (world.fireman, 1), (world.admin, 2)):
        c = _client(user)
        assert todo_count(c, TODO) == waiting, user
        assert list_total(c, todo_url(c, TODO)) == waiting, user  # the hazard list the to-do opens
        assert list_total(c, f"/cases/t/{CODE}/?view=queue") == waiting, user  # the engine's own list
    assert todo_count(_client(world.principal), TODO) == 0
