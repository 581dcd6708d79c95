"""指标: indicators as data, targets, the precomputed analytics tables, validation rules (SPEC §1.9)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mofang.platform.accounts.scope import ScopedManager
from mofang.platform.orgs.models import OrgUnit


def _number(value) -> str:
    """A stored decimal without its trailing zeros (75.0000 → 75), for a row's name."""
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class PeriodType(models.TextChoices):
    YEAR = "year", _("年度")
    MONTH = "month", _("月度")


class Indicator(models.Model):
    """An indicator the bureau steers by (课后服务学生参与率 …): a numerator fact over a denominator
    fact, with a unit and a direction. Defined as data, not code; computed per org unit and period."""

    code = models.SlugField(_("指标代码"), max_length=60, unique=True)
    name = models.CharField(_("指标名称"), max_length=100)
    definition = models.TextField(_("指标定义"), blank=True)
    numerator = models.CharField(_("分子事实代码"), max_length=80)
    denominator = models.CharField(_("分母事实代码"), max_length=80, blank=True, help_text=_("计数类指标留空"))
    unit = models.CharField(_("单位"), max_length=10, default="%")
    factor = models.DecimalField(
        _("换算系数"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("100"),
        help_text=_("百分比为100，千分比为1000，计数为1"),
    )
    decimals = models.PositiveSmallIntegerField(_("小数位数"), default=1)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    period_type = models.CharField(_("统计周期"), max_length=8, choices=PeriodType.choices, default=PeriodType.YEAR)
    source_note = models.CharField(_("数据来源"), max_length=200, blank=True)
    seed_note = models.CharField(_("依据"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_count(self) -> bool:
        return not self.denominator

    @property
    def facts(self) -> list[str]:
        return [self.numerator] + ([self.denominator] if self.denominator else [])

    @property
    def formula(self) -> str:
        if self.is_count:
            return self.numerator
        times = f" × {self.factor.normalize():f}" if self.factor != 1 else ""
        return f"{self.numerator} ÷ {self.denominator}{times}"


class Target(models.Model):
    """The value an org unit means to reach on an indicator in a year (e.g. 智慧校园覆盖率 75% by 2026)."""

    scope_org_field = "org"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("指标"))
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("机构"))
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=4)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("指标目标")
        verbose_name_plural = _("指标目标")
        constraints = [models.UniqueConstraint(fields=["indicator", "org", "year"], name="indicator_target_once")]

    def __str__(self) -> str:
        return f"{self.org}{self.year}年“{self.indicator}”目标：{_number(self.value)}"


class FactValue(models.Model):
    """A fact as reported at one org unit for one period (the source's own count, or an imported
    statistic): the leaves of the aggregation. Refreshes replace them; totals are summed from them."""

    scope_org_field = "org"

    fact = models.CharField(_("事实代码"), max_length=80)
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("机构"))
    period = models.CharField(_("统计周期"), max_length=7)
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4)
    imported = models.BooleanField(_("导入"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("事实数据")
        verbose_name_plural = _("事实数据")
        constraints = [models.UniqueConstraint(fields=["fact", "period", "org"], name="fact_value_once")]

    def __str__(self) -> str:
        return f"{self.org}{self.period}“{self.fact}”：{_number(self.value)}{'（导入）' if self.imported else ''}"


class FactTotal(models.Model):
    """The precomputed analytics table: a fact summed over an org unit's whole subtree for a period.
    Indicator values are read from two of these rows (numerator, denominator)."""

    scope_org_field = "org"

    fact = models.CharField(_("事实代码"), max_length=80)
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("机构"))
    period = models.CharField(_("统计周期"), max_length=7)
    value = models.DecimalField(_("汇总值"), max_digits=20, decimal_places=4)
    computed_at = models.DateTimeField(_("计算时间"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("事实汇总")
        verbose_name_plural = _("事实汇总")
        constraints = [models.UniqueConstraint(fields=["fact", "period", "org"], name="fact_total_once")]

    def __str__(self) -> str:
        return f"{self.org}{self.period}“{self.fact}”汇总：{_number(self.value)}"


class FactRefresh(models.Model):
    """When a fact was last computed for a period: the 数据截至 time of every number built from it."""

    fact = models.CharField(_("事实代码"), max_length=80)
    period = models.CharField(_("统计周期"), max_length=7)
    refreshed_at = models.DateTimeField(_("数据截至"))
    full_at = models.DateTimeField(_("上次全量刷新"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)

    class Meta:
        verbose_name = _("事实刷新记录")
        verbose_name_plural = _("事实刷新记录")
        constraints = [models.UniqueConstraint(fields=["fact", "period"], name="fact_refresh_once")]

    def __str__(self) -> str:
        return f"“{self.fact}”{self.period}的刷新记录（{self.rows}行）"


class Operator(models.TextChoices):
    LE = "<=", "≤"
    LT = "<", "<"
    EQ = "==", "="
    NE = "!=", "≠"
    GE = ">=", "≥"
    GT = ">", ">"


class ValidationRule(models.Model):
    """A data-quality rule over facts, checked at every org unit of a kind after each refresh
    (e.g. 参与学生数 ≤ 在校学生数), as DHIS2's validation rules: left side, operator, right side."""

    code = models.SlugField(_("规则代码"), max_length=60, unique=True)
    name = models.CharField(_("规则名称"), max_length=100)
    instruction = models.CharField(_("说明"), max_length=300, blank=True)
    left = models.CharField(_("左侧事实代码"), max_length=80)
    operator = models.CharField(_("运算符"), max_length=2, choices=Operator.choices)
    right = models.CharField(_("右侧事实代码"), max_length=80, blank=True, help_text=_("留空则与常数比较"))
    right_constant = models.DecimalField(_("右侧常数"), max_digits=18, decimal_places=4, null=True, blank=True)
    org_kind = models.CharField(_("检查层级"), max_length=16, default="school")
    period_type = models.CharField(_("统计周期"), max_length=8, choices=PeriodType.choices, default=PeriodType.YEAR)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("校验规则")
        verbose_name_plural = _("校验规则")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def expression(self) -> str:
        right = self.right or (f"{self.right_constant.normalize():f}" if self.right_constant is not None else "0")
        return f"{self.left} {self.get_operator_display()} {right}"


class Violation(models.Model):
    """A rule broken at an org unit for a period. Open until a refresh finds the rule holds again;
    the responsible unit is notified once, when the violation is first found."""

    scope_org_field = "org"

    rule = models.ForeignKey(
        ValidationRule, on_delete=models.CASCADE, related_name="violations", verbose_name=_("规则")
    )
    org = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("机构"))
    period = models.CharField(_("统计周期"), max_length=7)
    left_value = models.DecimalField(_("左侧值"), max_digits=20, decimal_places=4)
    right_value = models.DecimalField(_("右侧值"), max_digits=20, decimal_places=4)
    found_at = models.DateTimeField(_("发现时间"))
    resolved_at = models.DateTimeField(_("消除时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("校验违规")
        verbose_name_plural = _("校验违规")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "org", "period"], condition=models.Q(resolved_at=None), name="violation_open_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org}{self.period}违反“{self.rule}”{'（已消除）' if self.resolved_at else ''}"
