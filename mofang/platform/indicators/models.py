"""指标: models."""
