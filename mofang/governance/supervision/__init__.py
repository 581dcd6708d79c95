"""教育督导与整改 — SPEC §3.3 (seeds 000, 003): inspector staffing rules, inspection visits with checklists, findings as 整改通知 on the case engine, 回头看, 督办单, 挂牌督导."""
