"""教育管理 — the management business: case engine users, directives, supervision, teacher affairs."""
