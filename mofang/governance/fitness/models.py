"""体质健康 — models."""
