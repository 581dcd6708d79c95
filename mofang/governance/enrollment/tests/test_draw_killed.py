"""执行派位 whose worker is killed with SIGKILL in the middle of storing the admissions: nothing of
the run is left, the reaper releases the draw (no longer 正在派位), and it can be run again — to
the same, verifiable result, since the draw is reproducible from its seed. A real `mofang worker`
runs the job in a subprocess (SQLite file or PostgreSQL, see mofang/platform/jobs/testing.py)."""

import pytest

from mofang.governance.enrollment import draws, services
from mofang.governance.enrollment.models import Admission, Draw, DrawStatus
from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.jobs.models import JobStatus
from mofang.platform.jobs.reaper import reap_abandoned_jobs
from mofang.platform.jobs.testing import WorkerProcess, run_worker_here, shared_database
from mofang.platform.testing import build_tree, make_user

from .conftest import born
from .test_registration import _submit, child_id


@pytest.fixture
def shared(transactional_db, tmp_path, settings):
    yield from shared_database(tmp_path, settings)


@pytest.fixture
def tree(shared):  # the district of conftest.py, built on the database the worker sees
    return build_tree()


@pytest.fixture
def seeded(district):
    d = district
    year = d.years[0]
    services.set_intake_plan(d.primary, year, "primary", classes=1, class_size=2, acting_user=d.admin)
    d.regs = [
        _submit(d, parent_user_for(f"1390000{n:04d}"), child_id(born("primary", year), f"{n:03d}"), name=f"儿童{n}")[0]
        for n in (101, 103, 105)
    ]
    notary = make_user("notary_cs", "notary", d.tree.county)
    d.draw = draws.create_draw(d.tree.county, year, acting_user=d.admin)
    draws.enter_seed(d.draw, "20260601", acting_user=notary)
    return d


def test_a_draw_killed_while_storing_leaves_nothing_and_can_be_run_again(seeded, shared, tmp_path, settings):
    settings.JOB_MAX_ATTEMPTS = 1  # given up at once (the automatic re-queue: test_draw_reaped.py)
    hold = tmp_path / "hold"
    hold.touch()
    d = draws.start_run(seeded.draw, acting_user=seeded.admin)
    # held at the audit entry, the last write of the run's transaction: the admissions are written
    worker = WorkerProcess(shared, tmp_path, hold={"mofang.governance.enrollment.draws.record": hold})
    try:
        reached = tmp_path / "hold.reached"
        worker.wait_until(reached.exists, what="the run's transaction")
        assert not Admission.objects.filter(draw=d).exists()  # not committed
        worker.kill()
    finally:
        worker.stop()
    d.refresh_from_db()
    assert d.status == DrawStatus.RUNNING and d.job.status == JobStatus.RUNNING
    assert "正在派位" in draws._refuse_run(d).messages[0]  # before the reaper: refused for ever

    assert reap_abandoned_jobs() == 1
    d.refresh_from_db()
    assert d.status == DrawStatus.SEEDED and d.input_hash == ""
    assert d.job.status == JobStatus.FAILED and d.job.message == "任务中断：处理进程已退出，请重试"
    assert not Admission.objects.filter(draw=d).exists()

    hold.unlink()
    d = draws.start_run(d, acting_user=seeded.admin)  # runnable again
    run_worker_here()
    d = Draw.objects.get(pk=d.pk)
    assert d.status == DrawStatus.RUN and d.job.status == JobStatus.SUCCEEDED
    assert Admission.objects.filter(draw=d).count() == 3 and draws.verify_draw(d) == []
