"""执行派位 as a background job: the page returns at once, the job reports progress and the result,
the run stays exactly-once (a second press while running or after is refused), a failed run can
be started again; publication tells every parent by SMS (and inbox) with their children's results."""

import pytest
from django.core.exceptions import ValidationError

from mofang.governance.enrollment import draws, registration, services
from mofang.governance.enrollment.models import Admission, Draw, DrawStatus
from mofang.platform.accounts.phone import parent_user_for
from mofang.platform.jobs.models import Job, JobStatus
from mofang.platform.notifications.models import InboxMessage, SMSMessage
from mofang.platform.testing import make_user

from .conftest import born
from .test_registration import _submit, child_id


@pytest.fixture
def seeded(district):
    d = district
    year = d.years[0]
    services.set_intake_plan(d.primary, year, "primary", classes=1, class_size=2, acting_user=d.admin)
    d.parents = [parent_user_for(f"1390000{n:04d}") for n in (101, 103, 105)]
    d.regs = [
        _submit(d, p, child_id(born("primary", year), f"{n:03d}"), name=f"儿童{n}")[0]
        for p, n in zip(d.parents, (101, 103, 105), strict=True)
    ]
    d.notary = make_user("notary_cs", "notary", d.tree.county)
    d.draw = draws.create_draw(d.tree.county, year, acting_user=d.admin)
    draws.enter_seed(d.draw, "20260601", acting_user=d.notary)
    d.url = f"/enrollment/manage/draws/{d.draw.pk}/"
    return d


def test_run_button_starts_a_job_and_returns_at_once(client, seeded):
    client.force_login(seeded.admin)
    r = client.post(seeded.url, {"action": "run"})  # on_commit not run: the job stays queued
    assert r.status_code == 302
    d = Draw.objects.get(pk=seeded.draw.pk)
    assert d.status == DrawStatus.RUNNING and d.job.status == JobStatus.QUEUED
    assert not Admission.objects.filter(draw=d).exists()
    page = client.get(seeded.url).content.decode()
    assert "正在派位" in page and 'hx-trigger="every 1s"' in page
    # a second press while running is refused, in Chinese, and starts no second job
    again = client.post(seeded.url, {"action": "run"})
    assert again.status_code == 400 and "正在派位，请勿重复操作" in again.content.decode()
    with pytest.raises(ValidationError):
        draws.run_draw(d, acting_user=seeded.admin)
    assert Job.objects.filter(kind="enrollment:draw").count() == 1


def test_job_reports_progress_and_result_and_the_page_stops_polling(client, seeded, django_capture_on_commit_callbacks):
    client.force_login(seeded.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(seeded.url, {"action": "run"})
    d = Draw.objects.get(pk=seeded.draw.pk)
    job = d.job
    assert d.status == DrawStatus.RUN and draws.verify_draw(d) == []
    assert (job.status, job.done, job.total, job.percent) == (JobStatus.SUCCEEDED, 4, 4, 100)
    assert job.message == "派位完成：共3人，录取2人，未录取1人"
    fragment = client.get(seeded.url, headers={"HX-Request": "true", "HX-Target": "draw-run"}).content.decode()
    assert fragment.lstrip().startswith('<section id="draw-run"') and "<html" not in fragment
    assert "every 1s" not in fragment and "派位完成：共3人，录取2人，未录取1人" in fragment
    assert d.output_hash in fragment and "公布结果并通知家长" in fragment


def test_a_stale_job_does_not_run_the_draw(seeded):
    draws.start_run(seeded.draw, acting_user=seeded.admin)  # job 1, not run (no commit)
    stale = Draw.objects.get(pk=seeded.draw.pk).job
    Draw.objects.filter(pk=seeded.draw.pk).update(job=None)
    draws.run_draw_task.call(stale.pk)
    stale.refresh_from_db()
    d = Draw.objects.get(pk=seeded.draw.pk)
    assert stale.status == JobStatus.FAILED and "该派位不在进行中" in stale.message
    assert d.status == DrawStatus.RUNNING and not Admission.objects.filter(draw=d).exists()


def test_engine_failure_resets_the_draw_to_seeded(client, seeded, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("引擎异常")

    monkeypatch.setattr(draws, "run_lottery", broken)
    client.force_login(seeded.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(seeded.url, {"action": "run"})
    d = Draw.objects.get(pk=seeded.draw.pk)
    assert d.status == DrawStatus.SEEDED and d.job.status == JobStatus.FAILED and "引擎异常" in d.job.message
    assert not Admission.objects.filter(draw=d).exists() and d.input_hash == ""
    page = client.get(seeded.url).content.decode()
    assert "引擎异常" in page and 'value="run"' in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(seeded.url, {"action": "run"}).status_code == 302
    assert Draw.objects.get(pk=seeded.draw.pk).status == DrawStatus.RUN


def test_publication_sends_each_parent_one_sms_with_the_result(client, seeded, django_capture_on_commit_callbacks):
    # the second child of parent 101 (a sibling registered from the same account)
    extra = _submit(seeded, seeded.parents[0], child_id(born("primary", seeded.years[0]), "107"), name="儿童107")[0]
    draws.run_draw(seeded.draw, acting_user=seeded.admin)
    with django_capture_on_commit_callbacks(execute=True):
        draws.publish_draw(seeded.draw, acting_user=seeded.admin)
    result = {a.registration.child_name: a for a in Admission.objects.select_related("registration", "school")}
    assert len(result) == 4 and sum(a.school is not None for a in result.values()) == 2
    sms = list(SMSMessage.objects.order_by("phone"))
    assert [m.phone for m in sms] == [p.phone for p in seeded.parents]  # one per parent, not per child
    assert {m.recipient for m in sms} == set(seeded.parents)
    first = sms[0].text
    for name in ("儿童101", "儿童107"):
        a = result[name]
        want = f"{name}：已录取{a.school.name}" if a.school else f"{name}：未录取"
        assert want in first
    for m, name in zip(sms[1:], ("儿童103", "儿童105"), strict=True):
        a = result[name]
        assert (f"已录取{a.school.name}" if a.school else "未录取") in m.text and "【教育魔方】" in m.text
    assert "未录取" in " ".join(m.text for m in sms)  # 4 children, 2 seats
    assert InboxMessage.objects.filter(recipient__in=seeded.parents).count() == 3
    assert extra.owner == seeded.parents[0]
    # publishing again is refused and sends nothing more
    with pytest.raises(ValidationError):
        draws.publish_draw(seeded.draw, acting_user=seeded.admin)
    assert draws.notify_parents(Draw.objects.get(pk=seeded.draw.pk)) == 0
    assert SMSMessage.objects.count() == 3


def test_sms_wait_for_the_commit(seeded):
    draws.run_draw(seeded.draw, acting_user=seeded.admin)
    draws.publish_draw(seeded.draw, acting_user=seeded.admin)  # on_commit callbacks not run
    assert SMSMessage.objects.count() == 0
    assert registration.admission_status(seeded.regs[0]) != "已报名，待派位"
