"""教育数据 — the data business: indicators, data exchange, the cockpit (modules to come)."""
