"""视力健康 — models."""
