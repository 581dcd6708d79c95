"""The screening instruments: PHQ-9 and GAD-7 in their standard Chinese versions, scored as published.

PHQ-9 (Kroenke, Spitzer & Williams 2001): nine items, 0–3 each, total 0–27; severity cut-offs 5, 10,
15, 20 (轻度, 中度, 中重度, 重度). Item 9 asks about thoughts of death or self-harm: any answer ≥ 1 is a
crisis whatever the total. GAD-7 (Spitzer et al. 2006): seven items, 0–3 each, total 0–21; cut-offs
5, 10, 15 (轻度, 中度, 重度). Sources are cited in README.md.

The risk level (风险等级) the school acts on is derived from both totals and item 9:
危机 (item 9 ≥ 1) > 高 (PHQ-9 ≥ 15 or GAD-7 ≥ 15) > 中 (PHQ-9 ≥ 10 or GAD-7 ≥ 10) > 低.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

OPTIONS = ((0, "完全不会"), (1, "好几天"), (2, "一半以上的天数"), (3, "几乎每天"))

PHQ9 = (
    "做事时提不起劲或没有兴趣",
    "感到心情低落、沮丧或绝望",
    "入睡困难、睡不安稳或睡眠过多",
    "感觉疲倦或没有活力",
    "食欲不振或吃太多",
    "觉得自己很糟，或觉得自己很失败，或让自己或家人失望",
    "对事物专注有困难，例如阅读报纸或看电视时",
    "动作或说话速度缓慢到别人已经察觉？或正好相反——烦躁或坐立不安、动来动去的情况更胜于平常",
    "有不如死掉或用某种方式伤害自己的念头",
)
GAD7 = (
    "感觉紧张、焦虑或急切",
    "不能够停止或控制担忧",
    "对各种各样的事情担忧过多",
    "很难放松下来",
    "由于不安而无法静坐",
    "变得容易烦恼或急躁",
    "感到似乎将有可怕的事情发生而害怕",
)
SELF_HARM_ITEM = 9  # PHQ-9 item 9 (1-based)

PHQ9_BANDS = ((20, "重度"), (15, "中重度"), (10, "中度"), (5, "轻度"), (0, "无或极轻"))
GAD7_BANDS = ((15, "重度"), (10, "中度"), (5, "轻度"), (0, "无或极轻"))


class Risk(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")
    CRISIS = "crisis", _("危机")


RISK_ORDER = (Risk.LOW, Risk.MEDIUM, Risk.HIGH, Risk.CRISIS)


def band(total: int, bands) -> str:
    return next(label for floor, label in bands if total >= floor)


@dataclass(frozen=True)
class Score:
    phq9: int
    gad7: int
    self_harm: int  # PHQ-9 item 9's answer
    risk: str

    @property
    def phq9_band(self) -> str:
        return band(self.phq9, PHQ9_BANDS)

    @property
    def gad7_band(self) -> str:
        return band(self.gad7, GAD7_BANDS)


def risk_of(phq9: int, gad7: int, self_harm: int) -> str:
    if self_harm >= 1:
        return Risk.CRISIS
    if phq9 >= 15 or gad7 >= 15:
        return Risk.HIGH
    if phq9 >= 10 or gad7 >= 10:
        return Risk.MEDIUM
    return Risk.LOW


def score(phq9_answers: list[int], gad7_answers: list[int]) -> Score:
    """Score one questionnaire; answers are validated by the caller (9 and 7 values in 0..3)."""
    if len(phq9_answers) != len(PHQ9) or len(gad7_answers) != len(GAD7):
        raise ValueError("wrong number of answers")
    if any(a not in (0, 1, 2, 3) for a in (*phq9_answers, *gad7_answers)):
        raise ValueError("answer out of range")
    p, g, s = sum(phq9_answers), sum(gad7_answers), phq9_answers[SELF_HARM_ITEM - 1]
    return Score(p, g, s, risk_of(p, g, s))
