"""清单管理: models."""
