"""学生综合素质评价 — SPEC §3.14 (seed 001): 德智体美劳 records with evidence, review, 公示 with objections, archive per term."""
