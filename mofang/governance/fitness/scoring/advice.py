"""练习建议: one Chinese line per weak item, what to practise."""

from __future__ import annotations

from .engine import Result, item_label

# What to practise, by item: short, concrete, safe for a child to do at home or at school.
ADVICE: dict[str, str] = {
    "vital_capacity": "每天慢跑、跳绳或游泳20分钟，练习深呼吸和吹气球，提高心肺功能",
    "run_50m": "每周练习3次30米至50米加速跑和高抬腿、小步跑，注意起跑反应和摆臂",
    "sit_and_reach": "每天做静态拉伸（坐位体前屈、压腿、弓步拉伸）10分钟，每个动作保持20～30秒，循序渐进",
    "rope_skipping_1min": "每天分组练习跳绳（每组1分钟，做3～5组），先求连贯再求速度，手腕发力、前脚掌着地",
    "situps_1min": "每天做仰卧起坐、卷腹和平板支撑各2～3组，加强腹部力量，动作规范再提速度",
    "pullups": "每天练习悬垂、斜身引体和俯卧撑各2～3组，逐步增加次数，加强上肢和背部力量",
    "standing_long_jump": "每周练习3次蛙跳、深蹲跳和摆臂起跳，注意双臂摆动与蹬地协调",
    "run_50x8": "每周练习2～3次往返跑和间歇跑，练习折返时降低重心、快速转身",
    "run_1000m": "每周慢跑或间歇跑3次、每次20～30分钟，逐步加量，学会匀速分配体力",
    "run_800m": "每周慢跑或间歇跑3次、每次20～30分钟，逐步加量，学会匀速分配体力",
}

BMI_ADVICE: dict[str, str] = {
    "低体重": "保证三餐和优质蛋白（奶、蛋、鱼、肉）摄入，配合力量练习，必要时请校医或医生评估",
    "超重": "少吃高油高糖零食和含糖饮料，每天进行60分钟中等强度运动（快走、慢跑、跳绳、游泳）",
    "肥胖": "在家长和校医指导下调整饮食（少油少糖、不吃夜宵），每天坚持60分钟有氧运动，必要时就医评估",
}

WEAK_BELOW = 60


def practice_advice(result: Result) -> list[str]:
    """One line per weak item: every item scoring below 60 (lowest first); if there is none, the
    lowest-scoring item(s) when below 100. A BMI outside 正常 always gets its own line, first."""
    lines: list[str] = []
    if result.bmi_class is not None and result.bmi_class != "正常":
        bmi = result.items["bmi"]
        lines.append(
            f"{item_label('bmi')} {bmi.value}（{result.bmi_class}）得分 {bmi.score}：{BMI_ADVICE[result.bmi_class]}"
        )
    scored = [(s.score, code) for code, s in result.items.items() if code != "bmi"]
    if not scored:
        return lines
    weak = sorted(x for x in scored if x[0] < WEAK_BELOW)
    if not weak:
        lowest = min(s for s, _ in scored)
        if lowest < 100:
            weak = [x for x in scored if x[0] == lowest]
    order = {code: i for i, (_, code) in enumerate(scored)}
    weak.sort(key=lambda x: (x[0], order[x[1]]))
    for s, code in weak:
        lines.append(f"{item_label(code)} 得分 {s}：{ADVICE[code]}")
    return lines
