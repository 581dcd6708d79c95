"""教育资源 — models."""
