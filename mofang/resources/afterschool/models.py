"""课后服务: models."""
