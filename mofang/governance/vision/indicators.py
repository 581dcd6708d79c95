"""The indicator 视力健康 ships: 近视率 (lower is better), the target one point below last year's."""

from mofang.platform.indicators.catalogue import PCT, ShippedIndicator, ShippedRule, register_indicators, register_rules

INDICATORS = [
    ShippedIndicator(
        "vision_myopia_rate",
        "近视率",
        "筛查性近视学生数占视力筛查学生数的百分比（裸眼视力<5.0且非散瞳电脑验光等效球镜<−0.50D，"
        "配戴角膜塑形镜计为近视；每名学生按统计年度内最后一次筛查计一次）。目标：每年下降1个百分点。",
        "vision.myopic",
        "vision.screened",
        PCT,
        "lower",
        "视力健康模块筛查记录（《中小学生屈光不正筛查规范》《儿童青少年近视防控适宜技术指南》）",
        "近视率每年下降1个百分点（综合防控儿童青少年近视实施方案）",
        40,
        # no fixed demo targets: the module's demo sets last year's rate − 1.0 (demo.py)
    )
]

RULES = [
    ShippedRule(
        "vision_myopic_within_screened",
        "近视人数不超过筛查人数",
        "vision.myopic",
        "<=",
        "vision.screened",
        "school",
        "筛查性近视人数大于筛查人数，请核对视力筛查数据。",
    )
]


def register() -> None:
    register_indicators(*INDICATORS)
    register_rules(*RULES)
