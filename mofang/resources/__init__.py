"""教育资源 — the resources business: lesson catalogues, after-school offerings (modules to come)."""
