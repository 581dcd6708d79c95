"""The shipped catalogue is what the core and the installed modules register, and comes back
after a database is flushed (post_migrate), so no module's indicator is named by the core."""

from django.core.management.sql import emit_post_migrate_signal

from mofang.platform.indicators import catalogue
from mofang.platform.indicators.models import Indicator, ValidationRule
from mofang.platform.indicators.registry import fact_source, is_imported


def _fed(code: str) -> bool:
    return not code or is_imported(code) or fact_source(code) is not None


def test_every_shipped_indicator_and_rule_counts_registered_facts():
    unfed = [
        f"{i.code}: {fact}"
        for i in catalogue.SHIPPED_INDICATORS.values()
        for fact in (i.numerator, i.denominator)
        if not _fed(fact)
    ]
    unfed += [
        f"{r.code}: {fact}" for r in catalogue.SHIPPED_RULES.values() for fact in (r.left, r.right) if not _fed(fact)
    ]
    assert not unfed, "shipped over facts no installed module registers:\n" + "\n".join(unfed)


def test_the_core_ships_only_indicators_over_its_own_facts():
    core = {i.code for i in catalogue.CORE_INDICATORS}
    facts = {f for i in catalogue.CORE_INDICATORS for f in (i.numerator, i.denominator) if f}
    assert core <= set(catalogue.SHIPPED_INDICATORS)
    assert all(f.split(".", 1)[0] in {"orgs", "people", "import"} for f in facts), facts


def test_a_flushed_database_gets_the_shipped_catalogue_back(db):
    ValidationRule.objects.all().delete()
    Indicator.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what flush and migrate send
    assert set(Indicator.objects.values_list("code", flat=True)) == set(catalogue.SHIPPED_INDICATORS)
    assert set(ValidationRule.objects.values_list("code", flat=True)) == set(catalogue.SHIPPED_RULES)
    rate = Indicator.objects.get(code="smart_campus_coverage")
    assert (rate.unit, rate.factor, rate.decimals, rate.denominator) == ("%", 100, 1, "orgs.k12_schools")


def test_a_module_registering_later_is_shipped_on_the_next_migrate(db):
    late = catalogue.ShippedIndicator(
        "late_count", "后装模块计数", "测试。", "late.things", "", catalogue.count_of("件"), order=999
    )
    catalogue.register_indicators(late)
    try:
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        row = Indicator.objects.get(code="late_count")
        assert (row.name, row.unit, row.decimals) == ("后装模块计数", "件", 0)
    finally:
        catalogue.SHIPPED_INDICATORS.pop("late_count")
