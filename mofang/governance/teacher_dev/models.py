"""教师发展 — models."""
