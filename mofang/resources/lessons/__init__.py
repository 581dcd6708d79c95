"""教育资源 — SPEC §3.11 (seeds 002, 004): 共享优课 catalogue, 云校 live schedules, 问道名师 Q&A, view and like counters."""
