"""心理健康护航 — SPEC §3.8 (seeds 000, 003): screening campaigns (PHQ-9, GAD-7), crisis alerts, the 发现→咨询→干预→救援→帮扶→诊疗→回访 case loop, hotline records; strictest scope."""
