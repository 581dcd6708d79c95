"""Word lists for the demo province: Chinese names, school names, subjects and birth places.

Surnames are weighted roughly by their frequency in Zhejiang (with the Quzhou names 毛, 徐, 汪,
姜, 祝 a little heavier, since the story is set in 常山县). Given names are split by generation,
because a 2015 first-grader is not called 建国 and a 1975 teacher is not called 梓涵.
"""

import random

# (surname, weight) — weights are relative, not percentages.
SURNAMES = [
    ("王", 70),
    ("陈", 65),
    ("张", 45),
    ("李", 40),
    ("徐", 38),
    ("吴", 35),
    ("周", 33),
    ("杨", 28),
    ("黄", 26),
    ("林", 26),
    ("朱", 24),
    ("胡", 24),
    ("金", 22),
    ("郑", 22),
    ("毛", 20),
    ("汪", 18),
    ("姜", 16),
    ("叶", 16),
    ("方", 15),
    ("余", 15),
    ("何", 14),
    ("刘", 14),
    ("潘", 13),
    ("蒋", 13),
    ("沈", 13),
    ("俞", 12),
    ("钱", 11),
    ("章", 11),
    ("应", 10),
    ("楼", 10),
    ("祝", 10),
    ("孙", 10),
    ("马", 9),
    ("高", 9),
    ("赵", 9),
    ("邵", 8),
    ("傅", 8),
    ("丁", 8),
    ("夏", 8),
    ("谢", 8),
    ("袁", 7),
    ("卢", 7),
    ("范", 7),
    ("孔", 6),
    ("严", 6),
    ("柴", 6),
    ("程", 6),
    ("童", 6),
    ("施", 5),
    ("陆", 5),
    ("戴", 5),
    ("厉", 4),
    ("詹", 4),
    ("鲍", 4),
    ("邱", 4),
    ("宋", 4),
    ("欧阳", 1),
    ("诸葛", 1),
    ("司马", 1),
]

# Given names of children born 2005–2023.
CHILD_MALE = [
    "子轩",
    "浩宇",
    "宇轩",
    "梓睿",
    "沐宸",
    "俊熙",
    "宇航",
    "子墨",
    "一鸣",
    "浩然",
    "奕辰",
    "皓轩",
    "思源",
    "博文",
    "睿泽",
    "梓豪",
    "俊杰",
    "家豪",
    "天佑",
    "铭轩",
    "子涵",
    "锦程",
    "昊天",
    "承泽",
    "宇辰",
    "嘉懿",
    "煜城",
    "懿轩",
    "烨磊",
    "晟睿",
    "天翊",
    "瑞霖",
    "致远",
    "俊驰",
    "明哲",
    "修杰",
    "黎昕",
    "远航",
    "旭尧",
    "鸿涛",
    "伟祺",
    "荣轩",
    "越泽",
    "宇杰",
    "瑾瑜",
    "皓月",
    "擎宇",
    "志泽",
    "子骞",
    "锦轩",
    "晨阳",
    "一凡",
    "嘉乐",
    "泽宇",
    "彦博",
    "乐天",
    "文昊",
    "星辰",
    "鑫鹏",
    "云帆",
    "思远",
]
CHILD_FEMALE = [
    "梓涵",
    "一诺",
    "欣怡",
    "雨桐",
    "诗涵",
    "梓萱",
    "可馨",
    "语嫣",
    "若汐",
    "芷若",
    "思琪",
    "雨萱",
    "佳怡",
    "紫萱",
    "梦瑶",
    "语桐",
    "沐晴",
    "欣妍",
    "诗雨",
    "晨曦",
    "雅琪",
    "梓晴",
    "心怡",
    "依诺",
    "芊芊",
    "静怡",
    "可欣",
    "嘉怡",
    "若曦",
    "安琪",
    "雨彤",
    "佳琪",
    "梦琪",
    "初夏",
    "欣然",
    "诗琪",
    "雨涵",
    "紫涵",
    "佳欣",
    "思涵",
    "梦洁",
    "筱雅",
    "若琳",
    "子琪",
    "雅涵",
    "欣悦",
    "语晨",
    "书瑶",
    "婉清",
    "语汐",
    "昕冉",
    "思彤",
    "一涵",
    "艺涵",
    "雨欣",
    "悦彤",
    "若彤",
]
# Given names of adults born 1960–2000 (teachers, parents, officials).
ADULT_MALE = [
    "建华",
    "国强",
    "建军",
    "志强",
    "海峰",
    "伟",
    "强",
    "军",
    "勇",
    "杰",
    "涛",
    "明",
    "超",
    "斌",
    "磊",
    "鹏",
    "俊",
    "辉",
    "刚",
    "峰",
    "立新",
    "文杰",
    "晓东",
    "建平",
    "卫东",
    "小军",
    "国平",
    "建国",
    "永红",
    "建林",
    "海军",
    "志刚",
    "剑锋",
    "振华",
    "红兵",
    "伟民",
    "旭东",
    "建明",
    "新华",
    "学军",
    "亚军",
    "金龙",
    "跃进",
    "春林",
    "锡华",
    "利民",
    "根水",
    "土根",
]
ADULT_FEMALE = [
    "丽萍",
    "海燕",
    "秀英",
    "桂英",
    "芳",
    "敏",
    "静",
    "丽",
    "艳",
    "娟",
    "霞",
    "燕",
    "玲",
    "萍",
    "红",
    "英",
    "慧",
    "琴",
    "洁",
    "婷",
    "玉梅",
    "丽娟",
    "晓燕",
    "美玲",
    "雪芬",
    "素芳",
    "彩霞",
    "秀芳",
    "建芬",
    "利萍",
    "小英",
    "巧玲",
    "月娥",
    "爱华",
    "晓红",
    "春燕",
    "丽华",
    "亚芬",
    "飞燕",
    "美华",
    "雅琴",
    "晓丽",
    "丹丹",
    "佳佳",
    "莉莉",
    "倩",
    "颖",
]

SUBJECTS = {
    "kindergarten": ["", "", "", "音乐", "美术", "体育"],
    "primary": [
        "语文",
        "语文",
        "语文",
        "数学",
        "数学",
        "数学",
        "英语",
        "科学",
        "道德与法治",
        "音乐",
        "体育",
        "美术",
        "信息科技",
        "劳动",
    ],
    "junior": [
        "语文",
        "数学",
        "英语",
        "英语",
        "科学",
        "科学",
        "历史与社会",
        "道德与法治",
        "体育与健康",
        "音乐",
        "美术",
        "信息科技",
    ],
    "senior": [
        "语文",
        "数学",
        "英语",
        "物理",
        "化学",
        "生物",
        "历史",
        "地理",
        "思想政治",
        "技术",
        "体育与健康",
        "艺术",
    ],
    "vocational": [
        "语文",
        "数学",
        "英语",
        "机械加工",
        "数控技术",
        "电子商务",
        "会计事务",
        "计算机应用",
        "旅游服务",
        "汽车运用与维修",
    ],
    "special": ["生活语文", "生活数学", "康复训练", "唱游与律动", "绘画与手工"],
}
VOCATIONAL_MAJORS = [
    "数控技术应用",
    "电子商务",
    "会计事务",
    "计算机应用",
    "汽车运用与维修",
    "旅游服务与管理",
    "学前教育",
    "机电技术应用",
]

# Prefixes of private (民办) school names by type.
PRIVATE_BRANDS = {
    "kindergarten": ["小天使", "金太阳", "童心", "阳光", "蓝天", "七彩", "贝贝", "小博士", "育苗", "春蕾"],
    "primary": ["育才", "启明", "明德", "博雅", "英才", "新世纪", "求是"],
    "junior": ["育才", "明德", "博雅", "英才", "求是", "新世纪"],
    "nine_year": ["外国语", "育英", "绿城育华", "东方", "华外"],
    "senior": ["育英", "博文", "新高考", "崇文"],
    "vocational": ["东方", "华星", "天成", "育英"],
    "special": [],
}

# Birth places of children who moved to Zhejiang (随迁子女): real GB/T 2260 county codes.
MIGRANT_BIRTH_REGIONS = [
    "341222",  # 安徽 太和县
    "341221",  # 安徽 临泉县
    "361121",  # 江西 上饶县 (now 广信区, the code is still on older ID cards)
    "360721",  # 江西 赣县
    "522121",  # 贵州 遵义县
    "522422",  # 贵州 大方县
    "430523",  # 湖南 邵阳县
    "511623",  # 四川 邻水县
    "412827",  # 河南 平舆县
    "500235",  # 重庆 云阳县
]

# The usual mainland mobile prefixes (1[3-9]x).
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "157",
    "158",
    "159",
    "173",
    "177",
    "180",
    "181",
    "182",
    "183",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]

_CN_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五, 110 → 一百一十 (school names: 第十二小学)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    head, rest = divmod(n, 100)
    if rest == 0:
        return _CN_DIGITS[head] + "百"
    if rest < 10:
        return _CN_DIGITS[head] + "百零" + _CN_DIGITS[rest]
    return _CN_DIGITS[head] + "百" + ("一" if rest < 20 else "") + chinese_ordinal(rest)


class NamePicker:
    """Draws surnames by weight and given names by generation from one seeded Random."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._surnames = [s for s, _ in SURNAMES]
        total = 0
        self._cum = []
        for _, w in SURNAMES:
            total += w
            self._cum.append(total)

    def surname(self) -> str:
        return self.rng.choices(self._surnames, cum_weights=self._cum)[0]

    def child(self, sex: str, surname: str | None = None) -> str:
        given = self.rng.choice(CHILD_MALE if sex == "M" else CHILD_FEMALE)
        return (surname or self.surname()) + given

    def adult(self, sex: str, surname: str | None = None) -> str:
        given = self.rng.choice(ADULT_MALE if sex == "M" else ADULT_FEMALE)
        return (surname or self.surname()) + given
