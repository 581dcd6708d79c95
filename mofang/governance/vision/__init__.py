"""视力健康 — SPEC §3.7 (seed 003): vision screening, myopia classification, 近视率 against the one-point-a-year target, letters to parents."""
