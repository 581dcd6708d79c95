from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Holds the `privacy` template library (small-count suppression); no models."""

    name = "mofang.platform.privacy"
    label = "privacy"
    verbose_name = "小数抑制"
