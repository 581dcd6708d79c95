"""一校一单: the list follows the school's profile; unticked items become reminders at month end."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mofang.platform.jobs.services import run_due_periodic_jobs
from mofang.platform.notifications.models import InboxMessage

from .. import checklist
from ..models import ChecklistTick


def codes(items):
    return {i.code for i in items}


def test_a_school_near_water_gets_the_drowning_items_a_boarding_school_the_dormitory_items(world):
    common = codes(checklist.items_for(None))
    assert "water_patrol" not in common and "dorm_duty" not in common
    near = checklist.save_profile(world.school, acting_user=world.principal, near_water=True)
    assert codes(checklist.items_for(near)) - common == {"water_patrol", "drowning_lesson"}
    both = checklist.save_profile(world.school, acting_user=world.principal, near_water=True, boarding=True)
    assert codes(checklist.items_for(both)) - common == {"water_patrol", "drowning_lesson", "dorm_duty", "dorm_power"}
    # unticking a flag takes its items off again
    none = checklist.save_profile(world.school, acting_user=world.principal)
    assert codes(checklist.items_for(none)) == common


def test_ticking_only_the_schools_own_items_in_a_past_or_current_month(world):
    checklist.save_profile(world.school, acting_user=world.principal, near_water=True)
    period = checklist.current_period()
    checklist.set_ticks(
        world.school, period, {"gate_duty": "", "water_patrol": "警示牌已更新"}, acting_user=world.academic
    )
    assert set(ChecklistTick.objects.filter(school=world.school).values_list("item", flat=True)) == {
        "gate_duty",
        "water_patrol",
    }
    with pytest.raises(ValidationError) as err:
        checklist.set_ticks(world.school, period, {"dorm_duty": ""}, acting_user=world.academic)
    assert "item" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        checklist.set_ticks(world.school, "2999-01", {}, acting_user=world.academic)
    assert "period" in err.value.message_dict
    with pytest.raises(ValidationError):
        checklist.set_ticks(world.tree.other_school, period, {}, acting_user=world.academic)
    # a later save un-ticks what it leaves out
    checklist.set_ticks(world.school, period, {"gate_duty": ""}, acting_user=world.academic)
    assert list(ChecklistTick.objects.filter(school=world.school).values_list("item", flat=True)) == ["gate_duty"]


def test_unticked_items_of_last_month_become_reminders_once(world):
    checklist.save_profile(world.school, acting_user=world.principal, near_water=True)
    checklist.save_profile(world.tree.other_school, acting_user=world.other_principal)
    last = checklist.previous_period()
    all_other = {i.code: "" for i in checklist.items_for(checklist.profile_of(world.tree.other_school))}
    checklist.set_ticks(world.tree.other_school, last, all_other, acting_user=world.other_principal)
    checklist.set_ticks(world.school, last, {"gate_duty": ""}, acting_user=world.principal)
    ran = run_due_periodic_jobs(timezone.localtime())
    assert f"campus_safety.checklist_reminders:{last}" in ran
    mine = InboxMessage.objects.filter(title__startswith="一校一单提醒")
    assert set(mine.values_list("recipient__username", flat=True)) == {"cs_principal", "cs_academic"}
    body = mine.filter(recipient=world.principal).get().body
    assert "防溺水专题教育" in body and "护学岗" not in body  # ticked items are not reminded
    again = run_due_periodic_jobs(timezone.localtime())
    assert not [r for r in again if r.startswith("campus_safety.")]
    assert mine.count() == 2


def test_completion_counts_per_school(world):
    checklist.save_profile(world.school, acting_user=world.principal, boarding=True)
    period = checklist.current_period()
    checklist.set_ticks(world.school, period, {"gate_duty": "", "dorm_duty": ""}, acting_user=world.principal)
    [row, other] = checklist.completion([world.school, world.tree.other_school], period)
    assert (row["done"], row["total"]) == (2, len(checklist.items_for(checklist.profile_of(world.school))))
    assert other["profiled"] is False and other["done"] == 0


def test_the_reminder_job_runs_quietly_when_nothing_is_missing_and_with_a_naive_time(world):
    import datetime as dt

    from mofang.platform.jobs.models import PeriodicRun

    ran = run_due_periodic_jobs(dt.datetime(2026, 11, 2, 9, 0))
    assert "campus_safety.checklist_reminders:2026-10" in ran
    assert PeriodicRun.objects.get(name="campus_safety.checklist_reminders").job is None
    assert not InboxMessage.objects.filter(title__startswith="一校一单提醒").exists()
