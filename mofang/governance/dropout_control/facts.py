"""控辍保学's facts for the indicators core (SPEC §1.9), per county, from the county's latest
register batch dated within the period (its reference date not after the period's end), matched
against today's roll (the platform keeps no roll history):

- register_children: children of compulsory-education age in the register;
- in_school: of them, those not on any of the three lists (在读, 休学未逾期, 已毕业);
- dropouts: those whose roll status is 辍学 or 休学逾期 (list b).

A county without a register has no data (暂无数据, `covers`), not 0.
"""

from .models import RegisterBatch


def _batches(period):
    seen, out = set(), []
    qs = RegisterBatch.objects.filter(reference_date__lte=period.end).order_by("county_id", "-reference_date", "-pk")
    for b in qs.select_related("county"):
        if b.county_id not in seen:
            seen.add(b.county_id)
            out.append(b)
    return out


def covered(period) -> list[int]:
    return sorted(set(RegisterBatch.objects.filter(reference_date__lte=period.end).values_list("county_id", flat=True)))


def register_children(period):
    return [(b.county_id, b.children) for b in _batches(period)]


def in_school(period):
    from .selectors import match_many

    batches = _batches(period)
    matched = match_many(batches)
    return [(b.county_id, matched[b.pk].in_school) for b in batches]


def dropouts(period):
    from .selectors import match_many

    batches = _batches(period)
    matched = match_many(batches)
    return [(b.county_id, matched[b.pk].dropouts) for b in batches]


FACTS = [
    ("register_children", "户籍名册义务教育适龄儿童数", register_children),
    ("in_school", "适龄儿童中在校（在读、休学未逾期、已毕业）人数", in_school),
    ("dropouts", "适龄儿童中辍学或休学逾期人数", dropouts),
]


def register() -> None:
    from mofang.platform.indicators.registry import FactSource, register_fact_source

    for code, name, collect in FACTS:
        register_fact_source(FactSource(f"dropout_control.{code}", name, collect, covers=covered))
