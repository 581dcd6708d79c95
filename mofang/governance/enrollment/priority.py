"""Priority categories (招生类别) as local configuration (SPEC §3.1): per county and intake year,
an ordered list of rules over a registration's attributes. A registration's category for a school
is the first rule (by rank) all of whose conditions hold for that school; none → 未分类 (None).

The conditions are a fixed vocabulary, so a county's policy is data, not code:
- household_in_district: 户籍 (not 居住证) in a community of the school's 学区
- property_in_district: 房产证 as residence proof, in the school's 学区
- permit: 随迁子女 (居住证)
- in_district: the community is in the school's 学区 (any registration type)
- sibling_at_school: an elder sibling attends that school (长幼随学)
Each condition takes true or false (false = must not hold).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from mofang.platform.audit.services import AuditAction, record
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .models import PriorityCategory, Registration, RegistrationType, ResidenceProof, Stage

CONDITIONS = {
    "household_in_district": "户籍在学区",
    "property_in_district": "房产在学区",
    "permit": "随迁子女（居住证）",
    "in_district": "居住在学区",
    "sibling_at_school": "哥哥姐姐在该校就读",
}
MAX_CATEGORIES = 20
NAME_MAX = 100  # PriorityCategory.name


def _facts(reg: Registration, school: OrgUnit, district_ids: set[int]) -> dict[str, bool]:
    in_district = reg.community_id in district_ids
    return {
        "in_district": in_district,
        "household_in_district": in_district and reg.registration_type == RegistrationType.HOUSEHOLD,
        "property_in_district": in_district and reg.residence_proof == ResidenceProof.PROPERTY,
        "permit": reg.registration_type == RegistrationType.RESIDENCE_PERMIT,
        "sibling_at_school": reg.sibling_school_id == school.pk,
    }


def set_categories(county: OrgUnit, year: int, rules: list[dict], *, acting_user) -> list[PriorityCategory]:
    """Replace the county's categories for `year` with `rules` (in order): [{"name", "conditions"}]."""
    if county.kind != OrgKind.COUNTY:
        raise ValidationError(gettext("招生类别只能按区县设置"))
    if len(rules) > MAX_CATEGORIES:
        raise ValidationError(
            gettext("招生类别最多{max_categories}条").format(max_categories=MAX_CATEGORIES), code="count"
        )
    seen: dict[str, int] = {}
    for i, rule in enumerate(rules, start=1):
        name = (rule.get("name") or "").strip()
        if not name:
            raise ValidationError(gettext("第{i}条类别缺少名称").format(i=i), code="name")
        if len(name) > NAME_MAX:
            raise ValidationError(
                gettext("第{i}条类别的名称不能超过{name_max}个字").format(i=i, name_max=NAME_MAX), code="name"
            )
        if name in seen:
            raise ValidationError(
                gettext("第{i}条类别的名称与第{value}条重复").format(i=i, value=seen[name]), code="name"
            )
        seen[name] = i
        unknown = set(rule.get("conditions", {})) - set(CONDITIONS)
        if unknown:
            raise ValidationError(
                gettext("第{i}条类别含有未知条件：{value}").format(i=i, value="、".join(sorted(unknown))),
                code="condition",
            )
        if not all(isinstance(v, bool) for v in rule.get("conditions", {}).values()):
            raise ValidationError(gettext("第{i}条类别的条件取值只能是“是”或“否”").format(i=i), code="value")
    with transaction.atomic():
        old = list(PriorityCategory.objects.filter(county=county, year=year).values("rank", "name", "conditions"))
        PriorityCategory.objects.filter(county=county, year=year).delete()
        created = PriorityCategory.objects.bulk_create(
            [
                PriorityCategory(
                    county=county, year=year, rank=i, name=r["name"].strip(), conditions=dict(r.get("conditions", {}))
                )
                for i, r in enumerate(rules, start=1)
            ]
        )
        record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            summary=f"设置{county.name}{year}年招生类别",
            org=county,
            before={"categories": old},
            after={"categories": [{"rank": c.rank, "name": c.name, "conditions": c.conditions} for c in created]},
        )
    return created


def categories_of(county: OrgUnit, year: int) -> list[PriorityCategory]:
    return list(PriorityCategory.objects.filter(county=county, year=year).order_by("rank"))


def district_ids_of(school: OrgUnit, stage: str) -> set[int]:
    """The communities of `school`'s 学区 for the stage (小学 or 初中)."""
    related = school.junior_communities if stage == Stage.JUNIOR else school.primary_communities
    return set(related.values_list("pk", flat=True))


def category_for(
    reg: Registration,
    school: OrgUnit,
    categories: list[PriorityCategory] | None = None,
    district_ids: set[int] | None = None,
) -> PriorityCategory | None:
    """The first category (by rank) whose conditions `reg` meets for `school`, else None."""
    if categories is None:
        categories = categories_of(reg.community.county, reg.year)
    if district_ids is None:
        district_ids = district_ids_of(school, reg.stage)
    facts = _facts(reg, school, district_ids)
    for cat in categories:
        if all(facts[key] == want for key, want in cat.conditions.items()):
            return cat
    return None


def categories_for_school(
    school: OrgUnit, registrations, county: OrgUnit, year: int
) -> dict[int, PriorityCategory | None]:
    """Each registration's category for `school`, with the rules and the 学区 read once."""
    categories = categories_of(county, year)
    by_stage = {stage: district_ids_of(school, stage) for stage in {r.stage for r in registrations}}
    return {r.pk: category_for(r, school, categories, by_stage[r.stage]) for r in registrations}
