"""The organisation tree: 省 → 市 → 区县 → 学校 → 年级 → 班级, plus departments per region."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from mofang.platform.accounts.scope import ScopedQuerySet


class OrgKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("区县")
    SCHOOL = "school", _("学校")
    GRADE = "grade", _("年级")
    CLASS = "class", _("班级")
    DEPARTMENT = "department", _("部门")


REGION_KINDS = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY)


class SchoolType(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    NINE_YEAR = "nine_year", _("九年一贯制")
    COMPLETE_SECONDARY = "complete_secondary", _("完全中学")
    SENIOR = "senior", _("普通高中")
    VOCATIONAL = "vocational", _("中职")
    UNIVERSITY = "university", _("高校")
    SPECIAL = "special", _("特殊教育学校")
    COMMUNITY = "community", _("老年学堂/社区学校")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("公办")
    PRIVATE = "private", _("民办")


class OrgQuerySet(ScopedQuerySet, MP_NodeQuerySet):
    pass


class OrgManager(MP_NodeManager):
    def get_queryset(self):
        return OrgQuerySet(self.model).order_by("path")

    def visible_to(self, user, perm):
        return self.get_queryset().visible_to(user, perm)


class OrgUnit(MP_Node):
    """One node of the bureau's organisation tree; a user's data scope is a subtree of it.

    The materialised path makes "everything under 宁波" one indexed prefix match.
    """

    node_order_by = None
    steplen = 4
    scope_org_field = ""  # the node itself

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=OrgKind.choices, db_index=True)
    # GB/T 2260 division code for regions, 10-digit 学校标识码 for schools, free for others.
    code = models.CharField(_("代码"), max_length=20, blank=True, null=True, unique=True)
    school_type = models.CharField(_("学校类型"), max_length=24, choices=SchoolType.choices, blank=True)
    ownership = models.CharField(_("办学性质"), max_length=8, choices=Ownership.choices, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)

    objects = OrgManager()

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.kind == OrgKind.SCHOOL:
            if not (self.code and len(self.code) == 10 and self.code.isdigit()):
                raise ValidationError({"code": _("学校标识码必须是10位数字")})
            if not self.school_type:
                raise ValidationError({"school_type": _("请选择学校类型")})
        if self.kind in REGION_KINDS and self.code and not (len(self.code) == 6 and self.code.isdigit()):
            raise ValidationError({"code": _("行政区划代码必须是6位数字（GB/T 2260）")})

    @property
    def is_region(self) -> bool:
        return self.kind in REGION_KINDS

    def ancestor_of_kind(self, kind: str) -> "OrgUnit | None":
        if self.kind == kind:
            return self
        return OrgUnit.objects.get_ancestors(self).filter(kind=kind).last()

    @property
    def school(self) -> "OrgUnit | None":
        return self.ancestor_of_kind(OrgKind.SCHOOL)

    def breadcrumb(self) -> list["OrgUnit"]:
        return [*OrgUnit.objects.get_ancestors(self), self]

    @classmethod
    def subtree_q(cls, path: str, prefix: str = ""):
        """Q for rows whose org (reached through `prefix`) lies in the subtree at `path`."""
        return models.Q(**{f"{prefix}path__startswith": path})
