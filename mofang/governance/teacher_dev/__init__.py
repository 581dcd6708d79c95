"""教师发展 — SPEC §3.13 (seeds 002, 003): teacher points from records the platform holds, the growth ladder, 名师工作室."""
